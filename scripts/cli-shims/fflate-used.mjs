// The fflate functions calibra uses; required (not imported) by lazy-fflate.mjs so that esbuild wraps fflate in
// a lazy initialiser instead of running its table set-up when the CLI starts.
export { deflateSync, gunzipSync, gzipSync, inflateSync, strFromU8 } from 'fflate';
