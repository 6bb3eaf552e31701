/**
 * Browser entry of calibra: the browser-safe core (math, metrics, calibrators and model files, byte-level
 * parsers of .npy/.npz/.csv/.json, and the report's SVG/HTML builders). Nothing here imports a Node
 * built-in; `npm run build:web` bundles it with esbuild to web/dist/calibra.browser.js (ESM).
 *
 * @example
 * ```js
 * import { loadModelJson, parseCsvMatrix } from './calibra.browser.js';
 * const model = loadModelJson(jsonText, 'model.json');
 * const probs = model.predictProba({ logits: parseCsvMatrix(csvText) });
 * ```
 */
export * from './errors.js';
export * from './math/matrix.js';
export * from './math/softmax.js';
export * from './math/rng.js';
export * from './metrics/binning.js';
export * from './metrics/summary.js';
export { calibratorSpecs, getCalibrator, loadModelJson, loadModelObject, serializeModel, MODEL_FORMAT, MODEL_VERSION } from './calibrators/core/index.js';
export type * from './calibrators/core/types.js';
export { parseNpy, encodeNpy, toFloat64Array } from './data/npy.js';
export { parseNpz, encodeNpz } from './data/npz.js';
export { parseCsvMatrix, formatCsvMatrix } from './data/csv.js';
export { parseJsonArray } from './data/json.js';
export { arrayToLabels, arrayToLogits, arrayToProbs } from './data/validate.js';
export * from './report/index.js';
export { VERSION } from './version.js';
