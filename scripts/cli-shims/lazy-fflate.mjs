// CLI bundle only (scripts/build-cli.mjs aliases 'fflate' here): the same fflate functions, whose module is
// initialised on first use. fflate builds its Huffman tables when it is evaluated (about 5 ms, issue 11 item 1),
// which every command paid at start-up although only .npz, .gz and digits files need it. The library build
// (dist/src, browser) imports fflate directly.
/* global require */
let real;
function load() {
  // esbuild turns this require of a bundled ES module into a call of its lazy initialiser (an import
  // statement would run fflate at start-up; import() would make every caller async)
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  real ??= require('./fflate-used.mjs');
  return real;
}
export function inflateSync(data, opts) { return load().inflateSync(data, opts); }
export function deflateSync(data, opts) { return load().deflateSync(data, opts); }
export function gunzipSync(data, opts) { return load().gunzipSync(data, opts); }
export function gzipSync(data, opts) { return load().gzipSync(data, opts); }
export function strFromU8(data, latin1) { return load().strFromU8(data, latin1); }
