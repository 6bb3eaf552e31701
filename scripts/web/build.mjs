// Builds the browser bundle of calibra's core: src/browser.ts -> web/dist/calibra.browser.js (ESM, no Node
// built-ins; esbuild fails the build if anything imports one). Run with `npm run build:web`.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/browser.ts'],
  outfile: 'web/dist/calibra.browser.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022'],
  sourcemap: true,
  legalComments: 'none',
  // Engines disagree in the last bit of Math.exp/log/log1p (V8 changed them after Node 20). The bundle uses
  // fdlibm ports (src/math/fdlibm.ts) instead, which give the bits of Node 20 in every browser.
  define: { 'Math.exp': 'calibraExp', 'Math.log': 'calibraLog', 'Math.log1p': 'calibraLog1p' },
  inject: ['src/math/fdlibm-inject.ts'],
  metafile: true,
  logLevel: 'warning',
});
const out = result.metafile.outputs['web/dist/calibra.browser.js'];
console.log(`web/dist/calibra.browser.js: ${(out.bytes / 1024).toFixed(1)} kB from ${Object.keys(result.metafile.inputs).length} modules`);
