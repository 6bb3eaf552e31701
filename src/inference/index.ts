/**
 * Browser-safe part of the inference layer: preprocessing, the views pipeline (given any classifier with
 * `logits(n, getImage)`), corruption steps, the demo engine and its tables. The onnxruntime-node runner is
 * Node-only and is imported from `./onnx-runner.js` directly (it is not re-exported here so that bundling
 * the public API for the browser does not pull in a native module).
 */
export * from './preprocess.js';
export * from './views-pipeline.js';
export * from './corruption-step.js';
export * from './demo.js';
export * from './demo-tables.js';
