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
  metafile: true,
  logLevel: 'warning',
});
const out = result.metafile.outputs['web/dist/calibra.browser.js'];
console.log(`web/dist/calibra.browser.js: ${(out.bytes / 1024).toFixed(1)} kB from ${Object.keys(result.metafile.inputs).length} modules`);
