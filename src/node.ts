/**
 * calibra's Node-only API: reading and writing files (re-exports only). Import the browser-safe core from
 * src/index.ts; this module adds loaders for `.npy`/`.npz`/`.csv`/`.json`, atomic writes, streaming
 * `.npy` chunks and views files. Importing it also registers the native dense kernels (onnxruntime's GEMM
 * for large full-W fits: matrix scaling, Dirichlet full/ODIR; loaded on first use).
 */
import { registerNativeKernels } from './math/native-kernels.js';

registerNativeKernels();
export { registerNativeKernels };
export * from './data/files.js';
export { defaultThreads, evaluateParallel, PARALLEL_MIN_ELEMENTS, DEFAULT_MAX_THREADS, type ParallelOptions } from './node-parallel/evaluate.js';
export { predictParallel } from './node-parallel/apply.js';
