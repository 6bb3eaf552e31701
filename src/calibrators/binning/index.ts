/** Public re-exports of the registry, model files, and the binning-family calibrators (H4 area). */
export { calibratorSpecs, getCalibrator } from '../core/registry.js';
export { checkEnvelope, loadModelJson, loadModelObject, MODEL_FORMAT, MODEL_VERSION, serializeModel } from '../core/model-file.js';
export { uncalibrated } from '../scaling/uncalibrated.js';
export { fitHistogramMap, histogramBinning } from './histogram.js';
export type { HistogramOptions } from './histogram.js';
export { binMeans, equalMassEdges, equalWidthEdges, HistogramMap } from './histogram-map.js';
export { isotonicRegression } from './isotonic.js';
export { IsotonicScoreMap } from './isotonic-map.js';
export { bbq, BbqMap, bbqCandidates, bbqElbow } from './bbq.js';
export { irm, MIX_N_MATCH_TIE_BREAK } from './irm.js';
export { irova } from './irova.js';
export { irovaTs } from './irova-temperature.js';
export { fitSplineTable, splineCalibration } from './spline.js';
export { fitPlattMle, fitScalingBinningMap, scalingBinning, ScalingBinningMap } from './scaling-binning.js';
export type { BinaryReduction, ScoreMap } from './reduced-maps.js';
export { fitIsotonic, fitIsotonicBinary, pavInPlace, predictIsotonic } from '../../math/pav.js';
export type { IsotonicMap, IsotonicOptions } from '../../math/pav.js';
