/** Calibration metrics: the public surface of src/metrics (re-exports only). */
export * from './binning.js';
export * from './summary.js';
export * from './ranking.js';
export * from './kernel.js';
export * from './ca-paper.js';
export * from './netcal.js';
export * from './ids.js';
export * from './evaluate.js';
export * from './bootstrap.js';
