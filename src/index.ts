/**
 * `calibra`: the public API, browser-safe (no Node built-in, no native package). It is the union of
 * `calibra/calibrators` and `calibra/metrics` plus errors, the matrix type, the byte-level parsers of
 * `.npy`/`.npz`/CSV/JSON, the report's SVG/HTML builders and the image views/corruptions. Files, ONNX models,
 * datasets and PNG export are in `calibra/node`. Anything not exported here is internal and may change.
 *
 * @example
 * ```ts
 * import { getCalibrator, evaluateMetrics, parseNpy, toFloat64Array, encodeNpy } from 'calibra';
 * const arr = parseNpy(encodeNpy({ shape: [4, 2], data: Float64Array.of(2, 0, 0, 1, 1, 0, 0, 2) })); // bytes of a .npy file
 * const logits = { data: toFloat64Array(arr.data as Float64Array), rows: arr.shape[0]!, cols: arr.shape[1]! };
 * const labels = Int32Array.of(0, 1, 1, 1), test = logits, testLabels = labels;
 * const fit = getCalibrator('isotonic').fit({ logits, labels }, { independent: true }, { seed: 0 });
 * const values = evaluateMetrics(fit.model.predictProba({ logits: test }), testLabels, ['ece@15', 'nll']);
 * Object.keys(values) // => ['ece@15', 'nll']
 * ```
 */
export { CalibraError, isCalibraError, formatError, type CalibraErrorCode, type CalibraErrorDetails } from './errors.js';
export { asMatrix, zerosMatrix, type FloatArray, type Matrix } from './math/matrix.js';
export { softmax, probsToLogits, argmaxRows } from './math/softmax.js';
export * from './calibrators/index.js';
export * from './metrics/index.js';
export * from './data/index.js';
export * from './report/index.js';
export { applyView, viewIds, viewSpecs, parseViewId, applyCorruption, corruptionIds, parseCorruptionId, imageRng, type ViewId, type ViewResult, type CorruptionId, type CorruptionResult } from './views/index.js';
export { createImage, greyToRgb, imageFromU8, imageToU8, type Image } from './views/image.js';
export { computeViewsLogits, type ImageClassifier, type ViewsRequest, type ViewsRun } from './inference/views-pipeline.js';
export { VERSION } from './version.js';
