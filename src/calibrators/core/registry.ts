/**
 * Every calibration method calibra knows, by id. The CLI (`fit`, `apply`, `compare`) and the model-file
 * loader look methods up here. To add a method: one import line and one entry line (keep the list flat).
 */
import { CalibraError } from '../../errors.js';
import type { CalibratorSpec } from './types.js';
import { uncalibrated } from '../scaling/uncalibrated.js';
import { temperatureScaling } from '../scaling/temperature.js';
import { vectorScaling } from '../scaling/vector-scaling.js';
import { matrixScaling } from '../scaling/matrix-scaling.js';
import { dirichletFull, dirichletDiag, dirichletOdir } from '../scaling/dirichlet.js';
import { ensembleTemperatureScaling } from '../scaling/ets.js';
import { parameterisedTemperatureScaling } from '../scaling/pts.js';
import { plattScaling } from '../binary/platt.js';
import { betaCalibration } from '../binary/beta.js';
import { histogramBinning } from '../binning/histogram.js';
import { isotonicRegression } from '../binning/isotonic.js';
import { bbq } from '../binning/bbq.js';
import { irm } from '../binning/irm.js';
import { irova } from '../binning/irova.js';
import { irovaTs } from '../binning/irova-temperature.js';
import { splineCalibration } from '../binning/spline.js';
import { scalingBinning } from '../binning/scaling-binning.js';
import { caSpec } from '../ca/spec.js';

/** All registered calibrator specs; `none` (uncalibrated) first. */
export const calibratorSpecs: readonly CalibratorSpec[] = [
  uncalibrated,
  temperatureScaling,
  vectorScaling,
  matrixScaling,
  dirichletFull,
  dirichletDiag,
  dirichletOdir,
  ensembleTemperatureScaling,
  parameterisedTemperatureScaling,
  plattScaling,
  betaCalibration,
  histogramBinning,
  isotonicRegression,
  bbq,
  irm,
  irova,
  irovaTs,
  splineCalibration,
  scalingBinning,
  caSpec,
];

/**
 * The spec registered under `id`. Throws CalibraError E_OPTION listing the known ids when there is none.
 * Cost: O(number of methods).
 * @example getCalibrator('isotonic').title // "Isotonic regression (PAV, scikit-learn semantics)"
 */
export function getCalibrator(id: string): CalibratorSpec {
  const spec = calibratorSpecs.find((s) => s.id === id);
  if (spec === undefined) {
    throw new CalibraError('E_OPTION', `unknown calibration method '${id}'`, { fix: `known methods: ${calibratorSpecs.map((s) => s.id).join(', ')}` });
  }
  return spec;
}
