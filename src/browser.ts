/**
 * `calibra/browser`: the browser entry. It is exactly the public `calibra` surface (src/index.ts), which
 * imports no Node built-in and no native package; `npm run build:web` bundles it with esbuild to
 * web/dist/calibra.browser.js (ESM). Node-only parts (files, ONNX models, datasets, PNG) are in `calibra/node`.
 *
 * @example
 * ```js
 * import { loadModelJson, parseCsvMatrix } from './calibra.browser.js';
 * const model = loadModelJson(jsonText, 'model.json');
 * const probs = model.predictProba({ logits: parseCsvMatrix(csvText) });
 * ```
 */
export * from './index.js';
