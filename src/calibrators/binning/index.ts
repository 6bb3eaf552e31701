/** Public re-exports of the binning-family calibrators (histogram, isotonic, BBQ, IRM, IROvA, spline, scaling-binning). */
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
export type { ScoreMap } from './reduced-maps.js';
export type { BinaryReduction } from '../core/reduction.js';
export { fitIsotonic, fitIsotonicBinary, pavInPlace, predictIsotonic } from '../../math/pav.js';
export type { IsotonicMap, IsotonicOptions } from '../../math/pav.js';
