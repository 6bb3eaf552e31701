/**
 * Isotonic regression one-vs-all (`irova`), Mix-n-Match's IROvA (Zhang, Kailkhura & Han, ICML 2020;
 * calibrators.md §5.2): one isotonic map per class k on column k of the probabilities (the given ones, or softmax(z)) against 1[y = k] (all K
 * columns, also when K = 2), plus the tie-break 1e-9·p, then rows divided by their sum. Different maps per
 * class can reorder a row, so the argmax is not preserved ([oracle] 10 rows of fixture G flip).
 * Cost: fit O(K·N log N); predict O(N·K log m).
 */
import type { Matrix } from '../../math/matrix.js';
import { checkLabelled, checkPredictInput } from '../core/checks.js';
import { checkEnvelope, envelope, fitBlock } from '../core/envelope.js';
import { invalidModel, readArray, readNumber, readObject } from '../core/model-fields.js';
import { checkOptionKeys } from '../core/options.js';
import { inputProbabilities } from '../core/probabilities.js';
import type { CalibrationInput, CalibratorJSON, CalibratorSpec, FitContext, FittedCalibrator, FitResult, LabelledInput, RawOptions } from '../core/types.js';
import { IsotonicScoreMap } from './isotonic-map.js';
import { MIX_N_MATCH_TIE_BREAK } from './irm.js';

const ID = 'irova';

/** Fits one isotonic map per column of `probs` against the one-vs-rest targets. Cost: O(K·N log N). */
export function fitColumnIsotonic(probs: Matrix<Float64Array>, labels: Int32Array, onProgress?: (fraction: number) => void): IsotonicScoreMap[] {
  const { rows: n, cols: k, data } = probs;
  const scores = new Float64Array(n);
  const targets = new Uint8Array(n);
  const maps: IsotonicScoreMap[] = [];
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) { scores[i] = data[i * k + c] as number; targets[i] = labels[i] === c ? 1 : 0; }
    maps.push(IsotonicScoreMap.fit(scores, targets));
    onProgress?.((c + 1) / k);
  }
  return maps;
}

/** Applies per-column maps to `probs` in place, adds the tie-break and normalises rows. Cost: O(N·K log m). */
export function applyColumnIsotonic(probs: Matrix<Float64Array>, maps: readonly IsotonicScoreMap[], tieBreak: number): Matrix<Float64Array> {
  const { rows: n, cols: k, data } = probs;
  const cal = new Float64Array(n * k);
  for (let c = 0; c < k; c++) (maps[c] as IsotonicScoreMap).apply(n, data, k, c, cal, k, c);
  for (let i = 0; i < n; i++) {
    const base = i * k;
    let s = 0;
    for (let j = 0; j < k; j++) {
      const v = (cal[base + j] as number) + tieBreak * (data[base + j] as number);
      cal[base + j] = v;
      s += v;
    }
    for (let j = 0; j < k; j++) data[base + j] = s > 0 ? (cal[base + j] as number) / s : 1 / k;
  }
  return probs;
}

/** Loads `params.maps` (K isotonic maps) and `params.tieBreak`. */
export function loadColumnIsotonic(params: Readonly<Record<string, unknown>>, numClasses: number): { maps: IsotonicScoreMap[]; tieBreak: number } {
  const arr = readArray(params['maps'], 'params.maps', { length: numClasses });
  return {
    maps: arr.map((m, i) => IsotonicScoreMap.load(m, `params.maps[${i}]`)),
    tieBreak: readNumber(params['tieBreak'], 'params.tieBreak', { min: 0, max: 1e-3 }),
  };
}

function makeModel(maps: readonly IsotonicScoreMap[], tieBreak: number, numClasses: number, fit: CalibratorJSON['fit']): FittedCalibrator {
  return {
    method: ID,
    numClasses,
    preservesArgmax: false,
    predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
      checkPredictInput(input.logits, numClasses, ID);
      return applyColumnIsotonic(inputProbabilities(input, out), maps, tieBreak);
    },
    toJSON(): CalibratorJSON {
      return envelope({ method: ID, input: 'probs', numClasses, reduction: 'ovr', options: {}, params: { maps: maps.map((m) => m.toJSON()), tieBreak }, fit, seed: null });
    },
  };
}

/** `irova`: Mix-n-Match isotonic regression one-vs-all with the tie-break and row normalisation. Not argmax-preserving. */
export const irova: CalibratorSpec = {
  id: ID,
  title: 'Isotonic regression one-vs-all, IROvA (Zhang et al. 2020, Mix-n-Match)',
  input: 'probs',
  preservesArgmax: false,
  defaults: {},
  fit(data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult {
    checkOptionKeys(options, [], ID);
    checkLabelled(data, ID);
    const maps = fitColumnIsotonic(inputProbabilities(data), data.labels, ctx.onProgress);
    return { model: makeModel(maps, MIX_N_MATCH_TIE_BREAK, data.logits.cols, fitBlock(true, 0, null, [])), converged: true, iterations: 0, loss: null, warnings: [] };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    checkEnvelope(json, ID);
    if (json.reduction !== 'ovr') throw invalidModel('reduction', `irova models are 'ovr', got '${json.reduction}'`);
    readObject(json.options, 'options');
    const { maps, tieBreak } = loadColumnIsotonic(json.params, json.numClasses);
    return makeModel(maps, tieBreak, json.numClasses, json.fit);
  },
};
