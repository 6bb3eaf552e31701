/**
 * Every calibration method calibra knows, by id. The CLI (`fit`, `apply`, `compare`) and the model-file
 * loader look methods up here. To add a method: one import line and one entry line (keep the list flat).
 */
import { CalibraError } from '../errors.js';
import type { CalibratorSpec } from './types.js';
import { uncalibrated } from './uncalibrated.js';
import { temperatureScaling } from './temperature.js';
import { vectorScaling } from './vector-scaling.js';
import { matrixScaling } from './matrix-scaling.js';
import { dirichletFull, dirichletDiag, dirichletOdir } from './dirichlet.js';
import { ensembleTemperatureScaling } from './ets.js';
import { parameterisedTemperatureScaling } from './pts.js';
import { plattScaling } from './platt.js';
import { betaCalibration } from './beta.js';
import { histogramBinning } from './histogram.js';
import { isotonicRegression } from './isotonic.js';
import { bbq } from './bbq.js';
import { irm } from './irm.js';
import { irova } from './irova.js';
import { irovaTs } from './irova-ts.js';
import { splineCalibration } from './spline.js';
import { scalingBinning } from './scaling-binning.js';
import { caSpec } from './ca/spec.js';

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
