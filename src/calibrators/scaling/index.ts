/** Public re-exports of the scaling calibrators (none, TS, VS, MS, Dirichlet, ETS, PTS) and L-BFGS. */
export { uncalibrated } from './uncalibrated.js';
export { minimizeLbfgs } from '../../math/lbfgs.js';
export type { LbfgsOptions, LbfgsResult, Objective } from '../../math/lbfgs.js';
export { fitTemperature, temperatureObjective, temperatureScaling, TemperatureModel } from './temperature.js';
export type { TemperatureFit, TemperatureOptions } from './temperature.js';
export { vectorScaling } from './vector-scaling.js';
export { matrixScaling } from './matrix-scaling.js';
export { dirichletDiag, dirichletFull, dirichletOdir } from './dirichlet.js';
export { crossValidateOdir, odirPaperGrid } from './dirichlet-cv.js';
export { fitLinearSoftmax, LinearSoftmaxModel } from './linear-softmax.js';
export { ensembleTemperatureScaling, EnsembleTemperatureModel, fitEnsembleWeights } from './ets.js';
export { parameterisedTemperatureScaling, PtsModel } from './pts.js';
