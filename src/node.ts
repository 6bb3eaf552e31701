/**
 * `calibra/node`: the Node-only API, added to `calibra`: loading and saving `.npy`/`.npz`/`.csv`/`.json`
 * files, atomic writes, streaming `.npy` chunks, views files, threaded evaluate/apply, ONNX classifiers,
 * image datasets (Fashion-MNIST, digits, folders) and PNG export of the report. Importing it also registers the
 * native dense kernels (onnxruntime's GEMM for large full-W fits: matrix scaling, Dirichlet full/ODIR). The native
 * packages (onnxruntime-node, sharp, resvg) are loaded on first use, so importing this module loads none of them.
 *
 * @example
 * ```ts
 * import { loadLogits, loadLabels, OnnxClassifier } from 'calibra/node';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * const dir = mkdtempSync(`${tmpdir()}/calibra-`);
 * writeFileSync(`${dir}/val-logits.npy`, encodeNpy({ shape: [2, 3], data: Float64Array.of(1, 0, 0, 0, 0, 1) }));
 * writeFileSync(`${dir}/val-labels.npy`, encodeNpy({ shape: [2], data: Int32Array.of(0, 2) }));
 * const logits = loadLogits(`${dir}/val-logits.npy`); const labels = loadLabels(`${dir}/val-labels.npy`, logits.cols);
 * [logits.rows, logits.cols, labels] // => [2, 3, Int32Array.of(0, 2)]
 * typeof OnnxClassifier // => 'function'
 * ```
 */
import { registerNativeKernels } from './math/native-kernels.js';

registerNativeKernels();
export { registerNativeKernels };
export * from './data/files.js';
export { defaultThreads, evaluateParallel, PARALLEL_MIN_ELEMENTS, DEFAULT_MAX_THREADS, type ParallelOptions } from './node-parallel/evaluate.js';
export { predictParallel } from './node-parallel/apply.js';
export { OnnxClassifier, batchSizeForBudget, type ClassifierOptions, type RunOptions } from './inference/onnx-runner.js';
export { loadDataset, parseDatasetSpec, FASHION_MNIST_CLASSES, type ImageDataset, type LoadDatasetOptions, type DatasetSpec } from './datasets/index.js';
export { svgToPng, type PngOptions } from './report/node/png.js';
export { writeReportFiles, type WriteReportOptions } from './report/node/files.js';
