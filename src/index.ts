/** calibra's public API: re-exports only. */
export * from './errors.js';
export * from './math/matrix.js';
export * from './math/softmax.js';
export * from './math/rng.js';
export * from './math/adam.js';
export * from './calibrators/core/index.js';
export * from './calibrators/scaling/index.js';
export * from './calibrators/binary/index.js';
export * from './calibrators/binning/index.js';
export * from './calibrators/ca/index.js';
export * from './data/index.js';
export * from './metrics/index.js';
export * from './views/index.js';
export * from './report/index.js';
export * from './inference/index.js';
