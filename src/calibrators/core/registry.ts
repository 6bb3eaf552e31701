/**
 * Every calibration method calibra knows, by id. The CLI (`fit`, `apply`, `compare`) and the model-file
 * loader look methods up here. To add a method: one import line and one entry line (keep the list flat).
 */
import { CalibraError } from '../../errors.js';
import { foldName, nearestNames } from '../../suggest.js';
import { guardedSpec } from './checks.js';
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
 * Other names people type for a method (compared case-insensitively, `_` = `-`): the method's name in words,
 * in scikit-learn / netcal / the papers. Listed by `calibra fit --help`.
 */
export const METHOD_ALIASES: Readonly<Record<string, string>> = {
  uncalibrated: 'none', identity: 'none', softmax: 'none',
  temperature: 'ts', 'temperature-scaling': 'ts', temp: 'ts', 'temp-scaling': 'ts',
  vector: 'vs', 'vector-scaling': 'vs',
  matrix: 'ms', 'matrix-scaling': 'ms',
  'dirichlet-calibration': 'dirichlet', 'dirichlet-full': 'dirichlet', 'full-dirichlet': 'dirichlet',
  'dirichlet-diagonal': 'dirichlet-diag', 'diag-dirichlet': 'dirichlet-diag',
  odir: 'dirichlet-odir', 'dirichlet-l2': 'dirichlet-odir',
  'ensemble-temperature-scaling': 'ets', 'ensemble-ts': 'ets',
  'parameterized-temperature-scaling': 'pts', 'parameterised-temperature-scaling': 'pts',
  'platt-scaling': 'platt', sigmoid: 'platt', logistic: 'platt',
  'beta-calibration': 'beta',
  'histogram-binning': 'histogram', hist: 'histogram', binning: 'histogram',
  'isotonic-regression': 'isotonic', iso: 'isotonic',
  'bayesian-binning': 'bbq', 'bayesian-binning-into-quantiles': 'bbq',
  'isotonic-regression-multiclass': 'irm', 'mix-n-match': 'irm',
  'spline-calibration': 'spline', splines: 'spline',
  'scaling-binning-calibrator': 'scaling-binning', 'scaling-and-binning': 'scaling-binning',
  'correctness-aware': 'ca', 'correctness-aware-calibration': 'ca',
};

/**
 * The spec registered under `id`, its alias ({@link METHOD_ALIASES}) or either in another case. Throws
 * CalibraError E_OPTION with the nearest ids ("did you mean") and the known ids when there is none. The spec
 * checks its arguments (`guardedSpec`): wrong shapes and nested arrays are CalibraErrors, options default to {}.
 * Cost: O(number of methods + aliases).
 * @example getCalibrator('isotonic').title // => "Isotonic regression (Zadrozny & Elkan 2002; scikit-learn semantics)"
 * @example getCalibrator('Temperature').id // => "ts"
 */
export function getCalibrator(id: string): CalibratorSpec {
  if (typeof id !== 'string') throw new CalibraError('E_OPTION', `the method id must be a string (got ${typeof id})`, { fix: "e.g. getCalibrator('ts')" });
  const exact = calibratorSpecs.find((s) => s.id === id);
  if (exact !== undefined) return guardedSpec(exact);
  const folded = foldName(id);
  const target = calibratorSpecs.find((s) => foldName(s.id) === folded)?.id ?? METHOD_ALIASES[folded];
  const spec = target === undefined ? undefined : calibratorSpecs.find((s) => s.id === target);
  if (spec === undefined) {
    const ids = calibratorSpecs.map((s) => s.id);
    const near = nearestNames(id, [...ids, ...Object.keys(METHOD_ALIASES)]).map((n) => METHOD_ALIASES[n] !== undefined ? `${METHOD_ALIASES[n] as string} (${n})` : n);
    const hint = near.length > 0 ? `did you mean ${[...new Set(near)].map((n) => `'${n}'`).join(' or ')}? ` : '';
    throw new CalibraError('E_OPTION', `unknown calibration method '${id}'`, { fix: `${hint}known methods: ${ids.join(', ')} (aliases such as temperature, vector, matrix, isotonic-regression, histogram-binning work too)` });
  }
  return guardedSpec(spec);
}
