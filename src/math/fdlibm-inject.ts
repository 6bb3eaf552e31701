/**
 * Injected into the browser bundle (scripts/web/build.mjs): esbuild rewrites `Math.exp`, `Math.log` and
 * `Math.log1p` in calibra's code to these fdlibm ports, so the bundle computes the same bits as Node 20,
 * whose V8 uses fdlibm for them (checked bit for bit in test/math/fdlibm.test.ts).
 */
export { exp as calibraExp, log as calibraLog, log1p as calibraLog1p } from './fdlibm.js';
