/**
 * Multiclass isotonic regression (`irm`), Mix-n-Match's IRM (Zhang, Kailkhura & Han, ICML 2020;
 * calibrators.md §5.2): one increasing isotonic map (scikit-learn semantics, `out_of_bounds='clip'`) fitted
 * on all N·K pooled pairs (p_ik, 1[y_i = k]), applied to every entry, plus the reference's tie-break
 * 1e-9·p_ik that makes the map strictly increasing, then rows divided by their sum.
 * The same strictly increasing map for every class keeps each row's order, so the argmax is kept (up to
 * float ties between entries closer than ~1e-7 that fall on a flat part of the map).
 * Cost: fit O(N·K log(N·K)) (two native sorts of the pooled scores, 16·N·K bytes); predict O(N·K log m).
 */
import type { Matrix } from '../../math/matrix.js';
import { checkLabelled, checkPredictInput } from '../core/checks.js';
import { checkEnvelope, envelope, fitBlock } from '../core/envelope.js';
import { invalidModel, readNumber, readObject } from '../core/model-fields.js';
import { checkOptionKeys } from '../core/options.js';
import { inputProbabilities } from '../core/probabilities.js';
import type { CalibrationInput, CalibratorJSON, CalibratorSpec, FitContext, FittedCalibrator, FitResult, LabelledInput, RawOptions } from '../core/types.js';
import { IsotonicScoreMap } from './isotonic-map.js';

const ID = 'irm';
/** Mix-n-Match's tie-break: predictions are `iso(p) + MIX_N_MATCH_TIE_BREAK·p` before normalisation. */
export const MIX_N_MATCH_TIE_BREAK = 1e-9;

/**
 * Applies one isotonic map to every entry of the input's probabilities (`inputProbabilities`) with the
 * tie-break, then normalises rows. Writes into `out` when given. Cost: O(N·K log m).
 */
export function applyPooledIsotonic(input: CalibrationInput, map: IsotonicScoreMap, tieBreak: number, out?: Float64Array): Matrix<Float64Array> {
  const probs = inputProbabilities(input, out);
  const { rows: n, cols: k, data } = probs;
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    map.apply(k, data, 1, base, row, 1, 0);
    let s = 0;
    for (let j = 0; j < k; j++) {
      const v = (row[j] as number) + tieBreak * (data[base + j] as number);
      row[j] = v;
      s += v;
    }
    for (let j = 0; j < k; j++) data[base + j] = (row[j] as number) / s;
  }
  return probs;
}

function makeModel(map: IsotonicScoreMap, tieBreak: number, numClasses: number, fit: CalibratorJSON['fit']): FittedCalibrator {
  return {
    method: ID,
    numClasses,
    preservesArgmax: true,
    predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
      checkPredictInput(input.logits, numClasses, ID);
      return applyPooledIsotonic(input, map, tieBreak, out);
    },
    toJSON(): CalibratorJSON {
      return envelope({ method: ID, input: 'probs', numClasses, reduction: 'pooled', options: {}, params: { map: map.toJSON(), tieBreak }, fit, seed: null });
    },
  };
}

/** `irm`: Mix-n-Match multiclass isotonic regression (one pooled map, tie-break, normalised). Argmax-preserving. */
export const irm: CalibratorSpec = {
  id: ID,
  title: 'Multiclass isotonic regression, IRM (Zhang et al. 2020, Mix-n-Match)',
  input: 'probs',
  preservesArgmax: true,
  defaults: {},
  fit(data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult {
    checkOptionKeys(options, [], ID);
    checkLabelled(data, ID);
    const probs = inputProbabilities(data);
    const { rows: n, cols: k } = probs;
    const targets = new Uint8Array(n * k);
    for (let i = 0; i < n; i++) targets[i * k + (data.labels[i] as number)] = 1;
    const map = IsotonicScoreMap.fit(probs.data, targets);
    ctx.onProgress?.(1);
    return { model: makeModel(map, MIX_N_MATCH_TIE_BREAK, k, fitBlock(true, 0, null, [])), converged: true, iterations: 0, loss: null, warnings: [] };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    checkEnvelope(json, ID);
    if (json.reduction !== 'pooled') throw invalidModel('reduction', `irm models are 'pooled', got '${json.reduction}'`);
    const map = IsotonicScoreMap.load(json.params['map'], 'params.map');
    const tieBreak = readNumber(json.params['tieBreak'], 'params.tieBreak', { min: 0, max: 1e-3 });
    readObject(json.options, 'options');
    return makeModel(map, tieBreak, json.numClasses, json.fit);
  },
};
