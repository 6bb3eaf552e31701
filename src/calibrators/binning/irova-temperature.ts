/**
 * IROvA after temperature scaling (`irova-ts`), Mix-n-Match's "Method 6" (Zhang, Kailkhura & Han,
 * ICML 2020; calibrators.md §5.2): fit T by temperature scaling with the MSE (Brier) loss, as the reference
 * does (L-BFGS-B in T ∈ [0.05, 5]; here the bracketed solver {@link fitTemperature} with the same bounds),
 * then IROvA on softmax(z/T). Not argmax-preserving. Cost: TS fit O(N·K) per solver pass, then IROvA's.
 */
import { softmax } from '../../math/softmax.js';
import type { Matrix } from '../../math/matrix.js';
import { checkLabelled, checkPredictInput } from '../core/checks.js';
import { checkEnvelope, envelope, fitBlock } from '../core/envelope.js';
import { checkOptionKeys } from '../core/options.js';
import { applyColumnIsotonic, fitColumnIsotonic, loadColumnIsotonic } from './irova.js';
import type { IsotonicScoreMap } from './isotonic-map.js';
import { MIX_N_MATCH_TIE_BREAK } from './irm.js';
import { invalidModel, readObject, readTemperature } from '../core/model-fields.js';
import { fitTemperature } from '../scaling/temperature.js';
import type { CalibrationInput, CalibratorJSON, CalibratorSpec, FitContext, FittedCalibrator, FitResult, LabelledInput, RawOptions } from '../core/types.js';

const ID = 'irova-ts';
/** The reference's temperature bounds (L-BFGS-B in util_calibration.py). */
export const IROVA_TS_T_BOUNDS = { min: 0.05, max: 5 } as const;

function makeModel(temperature: number, maps: readonly IsotonicScoreMap[], tieBreak: number, numClasses: number, fit: CalibratorJSON['fit']): FittedCalibrator {
  return {
    method: ID,
    numClasses,
    preservesArgmax: false,
    predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
      checkPredictInput(input.logits, numClasses, ID);
      return applyColumnIsotonic(softmax(input.logits, temperature, out), maps, tieBreak);
    },
    toJSON(): CalibratorJSON {
      return envelope({ method: ID, input: 'logits', numClasses, reduction: 'ovr', options: {}, params: { T: temperature, maps: maps.map((m) => m.toJSON()), tieBreak }, fit, seed: null });
    },
  };
}

/** `irova-ts`: temperature scaling (MSE loss) followed by IROvA. Not argmax-preserving. */
export const irovaTs: CalibratorSpec = {
  id: ID,
  title: 'IROvA after temperature scaling, IROvA-TS (Zhang et al. 2020, Mix-n-Match)',
  input: 'logits',
  preservesArgmax: false,
  defaults: {},
  fit(data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult {
    checkOptionKeys(options, [], ID);
    checkLabelled(data, ID);
    const ts = fitTemperature(data.logits, data.labels, { objective: 'brier', tMin: IROVA_TS_T_BOUNDS.min, tMax: IROVA_TS_T_BOUNDS.max });
    ctx.onProgress?.(0.2);
    const maps = fitColumnIsotonic(softmax(data.logits, ts.temperature), data.labels, (f) => ctx.onProgress?.(0.2 + 0.8 * f));
    const warnings = ts.warnings.map((w) => `temperature: ${w}`);
    return {
      model: makeModel(ts.temperature, maps, MIX_N_MATCH_TIE_BREAK, data.logits.cols, fitBlock(ts.converged, ts.iterations, ts.loss, warnings)),
      converged: ts.converged, iterations: ts.iterations, loss: ts.loss, warnings,
    };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    checkEnvelope(json, ID);
    if (json.reduction !== 'ovr') throw invalidModel('reduction', `irova-ts models are 'ovr', got '${json.reduction}'`);
    readObject(json.options, 'options');
    const t = readTemperature(json.params['T'], 'params.T');
    const { maps, tieBreak } = loadColumnIsotonic(json.params, json.numClasses);
    return makeModel(t, maps, tieBreak, json.numClasses, json.fit);
  },
};
