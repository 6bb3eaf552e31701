/**
 * `calibra/calibrators`: every calibration method of calibra behind one interface (`CalibratorSpec`: `fit`
 * then `predictProba`), the registry that names them, and model files (docs/calibrators-*.md). Browser-safe,
 * no native package. Internals (reductions, field readers, solvers) are not part of this surface.
 *
 * @example
 * ```ts
 * import { getCalibrator, serializeModel, loadModelJson } from 'calibra/calibrators';
 * const logits = { data: Float64Array.of(2, 0, 0, 1, 1, 0, 0, 2), rows: 4, cols: 2 }, labels = Int32Array.of(0, 1, 1, 1);
 * const testLogits = { data: Float64Array.of(1, 0, 0, 0), rows: 2, cols: 2 };
 * const { model, converged } = getCalibrator('ts').fit({ logits, labels }, {}, { seed: 0 });
 * const probs = loadModelJson(serializeModel(model), 'ts.json').predictProba({ logits: testLogits });
 * converged // => true
 * probs.data // ~> [0.73, 0.27, 0.50, 0.50]
 * ```
 */
export { calibratorSpecs, getCalibrator, METHOD_ALIASES } from './core/registry.js';
export { loadModelJson, loadModelObject, serializeModel } from './core/model-file.js';
export { MODEL_FORMAT, MODEL_VERSION } from './core/envelope.js';
export { inputProbabilities, probabilityInput } from './core/probabilities.js';
export type {
  CalibrationInput, CalibratorJSON, CalibratorSpec, FitContext, FitResult, FittedCalibrator, LabelledInput, RawOptions, Reduction, ViewLogits,
} from './core/types.js';
export type { BinaryReduction } from './core/reduction.js';
// the methods, as registered
export { uncalibrated } from './scaling/uncalibrated.js';
export { fitTemperature, temperatureScaling, TemperatureModel, type TemperatureFit, type TemperatureOptions } from './scaling/temperature.js';
export { vectorScaling } from './scaling/vector-scaling.js';
export { matrixScaling } from './scaling/matrix-scaling.js';
export { dirichletDiag, dirichletFull, dirichletOdir } from './scaling/dirichlet.js';
export { crossValidateOdir, odirPaperGrid } from './scaling/dirichlet-cv.js';
export { ensembleTemperatureScaling } from './scaling/ets.js';
export { parameterisedTemperatureScaling } from './scaling/pts.js';
export { fitPlatt, plattScaling } from './binary/platt.js';
export { betaCalibration, fitBeta } from './binary/beta.js';
export { histogramBinning, type HistogramOptions } from './binning/histogram.js';
export { isotonicRegression } from './binning/isotonic.js';
export { bbq } from './binning/bbq.js';
export { irm } from './binning/irm.js';
export { irova } from './binning/irova.js';
export { irovaTs } from './binning/irova-temperature.js';
export { splineCalibration } from './binning/spline.js';
export { scalingBinning } from './binning/scaling-binning.js';
export { caSpec, fitCa, type CaFitResult } from './ca/spec.js';
export { CaModel, caModelFromJSON } from './ca/model.js';
export { CA_DEFAULTS, resolveCaOptions, type CaHead, type CaLoss, type CaMode, type CaOptions, type CaSelect, type CaWeighting } from './ca/options.js';
export type { CaCurves, CaTrainHooks } from './ca/training.js';
