// Builds the CLI bundle: src/cli/main.ts and the worker entries -> dist/cli/*.js (ESM, code-split), which
// bin/calibra.js runs. One file per entry plus shared chunks, so a command loads its code in a few files
// instead of ~40 modules, and each command's own chunk (and the native addons it imports: onnxruntime-node,
// sharp, resvg, DuckDB, Arrow, all external) is imported only when that command runs (src/cli/registry.ts).
// fflate (pure JS) is bundled and tree-shaken; every other dependency stays an ordinary import.
// Run by `npm run build` after tsc; the library (dist/src) is tsc's output alone.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const BUNDLED = new Set(['fflate']);
const external = [pkg.dependencies, pkg.optionalDependencies, pkg.devDependencies].flatMap((d) => Object.keys(d ?? {})).filter((d) => !BUNDLED.has(d));

// fflate's module is initialised on first use, not at start-up: every import of 'fflate' in src/ resolves to
// scripts/cli-shims/lazy-fflate.mjs, whose require() of fflate-used.mjs (the one importer left with the real
// package) esbuild compiles to a lazy initialiser.
const lazyFflate = {
  name: 'lazy-fflate',
  setup(b) {
    b.onResolve({ filter: /^fflate$/ }, (args) => (args.importer.endsWith('fflate-used.mjs') ? undefined : { path: `${root}scripts/cli-shims/lazy-fflate.mjs` }));
  },
};

// a fresh folder each time: chunk names are content hashes, so stale chunks would pile up
rmSync(`${root}dist/cli`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  // the workers are entries of their own: startWorker() starts `./<name>.js` next to the chunk that calls it
  entryPoints: { main: 'src/cli/main.ts', 'metrics-worker': 'src/node-parallel/metrics-worker.ts', 'apply-worker': 'src/node-parallel/apply-worker.ts' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: ['node20'],
  external: external.flatMap((d) => [d, `${d}/*`]),
  plugins: [lazyFflate],
  chunkNames: 'chunk-[hash]',
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
