/** Public API of correctness-aware calibration (Liu et al. 2024, arXiv 2404.13016); see docs/ca.md. */
export { caFeatures, selectViews, viewKey } from './features.js';
export { CA_ID, CaModel, caModelFromJSON, type CaModelState } from './model.js';
export { CA_DEFAULTS, CA_OPTION_KEYS, DEFAULT_VIEWS as CA_DEFAULT_VIEWS, resolveCaOptions, type CaHead, type CaLoss, type CaMode, type CaOptions, type CaSelect, type CaWeighting } from './options.js';
export { caSpec, fitCa, type CaFitResult } from './spec.js';
export type { CaCurves, CaTrainHooks } from './training.js';
