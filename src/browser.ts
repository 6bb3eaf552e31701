/**
 * `calibra/browser`: the browser entry. It is exactly the public `calibra` surface (src/index.ts), which
 * imports no Node built-in and no native package; `npm run build:web` bundles it with esbuild to
 * web/dist/calibra.browser.js (ESM). Node-only parts (files, ONNX models, datasets, PNG) are in `calibra/node`.
 *
 * @example
 * ```js
 * import { loadModelJson, parseCsvMatrix } from 'calibra/browser'; // in a page: from './calibra.browser.js'
 * const jsonText = '{"format":"calibra.calibrator","version":1,"method":"ts","input":"logits","numClasses":2,"reduction":"none","options":{},"params":{"T":2},"fit":{"converged":true,"iterations":1,"loss":0.5,"warnings":[]},"seed":null}';
 * const model = loadModelJson(jsonText, 'model.json');
 * const probs = model.predictProba({ logits: parseCsvMatrix('0,2\n') });
 * probs.data // ~> [0.268941, 0.731059]
 * ```
 */
export * from './index.js';
