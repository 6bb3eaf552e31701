/** Public re-exports of the binary parametric maps used through a reduction (Platt, beta). */
export { fitPlatt, plattScaling, PlattModel } from './platt.js';
export { betaCalibration, BetaModel, fitBeta } from './beta.js';
