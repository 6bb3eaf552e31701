/**
 * Multiclass reductions for the binning-family maps (histogram, isotonic, BBQ, scaling-binning),
 * calibrators.md §1.2, fitted by the one driver in core/reduction.ts. The maps read probabilities (the user's own when given, else softmax of the logits):
 * - **one-vs-rest** (`ovr`): map k is fitted on column k of softmax(z) against 1[y = k]; rows are then divided
 *   by their sum (an all-zero row becomes uniform, values in (1, 1+1e-5] snap to 1), as scikit-learn's
 *   `CalibratedClassifierCV` does, unless `independent`. With K = 2 only the positive column is calibrated and
 *   p0 = 1 − p1 (scikit-learn's binary case).
 * - **top-label**: one map on the confidence c = max p against the correctness of the argmax. The calibrated
 *   c′ goes on the predicted class and 1 − c′ is shared among the others in proportion to their probabilities
 *   (uniformly when c = 1). The label is kept, but the vector's argmax can move when c′ is small, so these
 *   models do not claim `preservesArgmax`.
 */
import { argmaxRow } from '../../math/softmax.js';
import type { Matrix } from '../../math/matrix.js';
import { checkPredictInput } from '../core/checks.js';
import { envelope } from '../core/envelope.js';
import { readArray } from '../core/model-fields.js';
import { inputProbabilities } from '../core/probabilities.js';
import { fitReduction, mapCount, type BinaryReduction } from '../core/reduction.js';
import type { CalibrationInput, CalibratorJSON, FittedCalibrator, LabelledInput } from '../core/types.js';

/** A fitted binary map from a score in [0, 1] to a calibrated probability. */
export interface ScoreMap {
  /** `out[outOffset + i·outStride] = f(x[xOffset + i·xStride])` for i < n; `x` and `out` may be the same array. */
  apply(n: number, x: Float64Array, xStride: number, xOffset: number, out: Float64Array, outStride: number, outOffset: number): void;
  /** The learned values, as plain JSON. */
  toJSON(): Record<string, unknown>;
}

/** Fits one map on scores and 0/1 targets; `index` is the class (OvR) or -1 (top-label). */
export type MapFitter = (scores: Float64Array, targets: Uint8Array, index: number) => { readonly map: ScoreMap; readonly warnings?: readonly string[] };

/** Rebuilds one map from its JSON, checking every field; `field` names it in errors. */
export type MapLoader = (json: unknown, field: string) => ScoreMap;

/** The maps of a fitted reduction. */
export interface ReducedMaps {
  readonly reduction: BinaryReduction;
  readonly independent: boolean;
  readonly maps: readonly ScoreMap[];
  readonly warnings: readonly string[];
}

/**
 * Fits the maps of a reduction ({@link fitReduction}) on the input's probabilities (`inputProbabilities`: the
 * user's own when given, else softmax). `onMap` reports progress after each map.
 * Cost: K column extractions plus K map fits (OvR) or one (top-label); O(N·K) memory for the probabilities.
 */
export function fitReducedMaps(data: LabelledInput, reduction: BinaryReduction, independent: boolean, fitMap: MapFitter, onMap?: (done: number, total: number) => void): ReducedMaps {
  const probs = inputProbabilities(data);
  const r = fitReduction([probs.data], probs.cols, data.labels, reduction, (cols, t, index) => fitMap(cols[0] as Float64Array, t, index), onMap);
  return { reduction, independent, maps: r.maps, warnings: r.warnings };
}

/** Fills `conf` with max_k p_ik and `correct` with 1[argmax = y_i] (first index on ties). Cost: O(N·K). */
export function topLabelView(probs: Matrix, labels: Int32Array, conf: Float64Array, correct: Uint8Array): void {
  const { rows: n, cols: k, data } = probs;
  for (let i = 0; i < n; i++) {
    const best = argmaxRow(data, k, i);
    conf[i] = data[i * k + best] as number;
    correct[i] = labels[i] === best ? 1 : 0;
  }
}

/**
 * Calibrated probabilities through the maps: the input's probabilities are written into `out` and transformed
 * in place. Cost: O(N·K) plus the maps' own cost per entry; allocates only N-vectors for top-label.
 */
export function predictReduction(input: CalibrationInput, r: Pick<ReducedMaps, 'reduction' | 'independent' | 'maps'>, out?: Float64Array): Matrix<Float64Array> {
  const probs = inputProbabilities(input, out);
  const { rows: n, cols: k, data } = probs;
  if (r.reduction === 'top-label') {
    applyTopLabel(probs, r.maps[0] as ScoreMap);
    return probs;
  }
  if (k === 2) {
    (r.maps[0] as ScoreMap).apply(n, data, 2, 1, data, 2, 1);
    for (let i = 0; i < n; i++) data[2 * i] = 1 - (data[2 * i + 1] as number);
    return probs;
  }
  for (let c = 0; c < k; c++) (r.maps[c] as ScoreMap).apply(n, data, k, c, data, k, c);
  if (!r.independent) normaliseRows(probs);
  return probs;
}

/** scikit-learn's OvR normalisation: divide by the row sum; an all-zero row becomes 1/K; (1, 1+1e-5] snaps to 1. */
export function normaliseRows(m: Matrix<Float64Array>): void {
  const { rows: n, cols: k, data } = m;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += data[i * k + j] as number;
    for (let j = 0; j < k; j++) {
      let v = s !== 0 ? (data[i * k + j] as number) / s : 1 / k;
      if (v > 1 && v <= 1 + 1e-5) v = 1;
      data[i * k + j] = v;
    }
  }
}

/**
 * Top-label full vector: c′ = map(c) on the predicted class, the others rescaled to share 1 − c′ in
 * proportion to their probabilities (uniformly when they are all 0). `probs` is overwritten.
 */
export function applyTopLabelConfidences(probs: Matrix<Float64Array>, arg: Int32Array, cal: Float64Array): void {
  const { rows: n, cols: k, data } = probs;
  for (let i = 0; i < n; i++) {
    const c2 = cal[i] as number;
    const a = arg[i] as number;
    // The others' own sum (not 1 − c, which rounds to 0 or to a different tiny value for c ≈ 1).
    let rest = 0;
    for (let j = 0; j < k; j++) if (j !== a) rest += data[i * k + j] as number;
    const share = 1 - c2;
    for (let j = 0; j < k; j++) {
      const idx = i * k + j;
      if (j === a) data[idx] = c2;
      else data[idx] = rest > 0 ? ((data[idx] as number) / rest) * share : share / (k - 1);
    }
  }
}

/** Row maxima and their indices (first on ties). Cost: O(N·K). */
export function rowMax(probs: Matrix): { conf: Float64Array; arg: Int32Array } {
  const { rows: n, cols: k, data } = probs;
  const conf = new Float64Array(n);
  const arg = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const best = argmaxRow(data, k, i);
    conf[i] = data[i * k + best] as number;
    arg[i] = best;
  }
  return { conf, arg };
}

function applyTopLabel(probs: Matrix<Float64Array>, map: ScoreMap): void {
  const { conf, arg } = rowMax(probs);
  const cal = new Float64Array(probs.rows);
  map.apply(probs.rows, conf, 1, 0, cal, 1, 0);
  applyTopLabelConfidences(probs, arg, cal);
}

/** The `params.maps` array of a model file, loaded with `loadMap`; checks the count for the reduction. */
export function loadMaps(params: Readonly<Record<string, unknown>>, reduction: BinaryReduction, numClasses: number, loadMap: MapLoader): ScoreMap[] {
  const arr = readArray(params['maps'], 'params.maps', { length: mapCount(reduction, numClasses) });
  return arr.map((m, i) => loadMap(m, `params.maps[${i}]`));
}

/**
 * The fitted model of a binary-map method under a reduction (histogram, isotonic, BBQ, scaling-binning): predicts through
 * {@link predictReduction} and saves its maps in `params.maps`. Never argmax-preserving (a map per class,
 * or a new top-label confidence that can fall below another class's share).
 */
export function reducedMapModel<O extends { readonly reduction: BinaryReduction }>(
  id: string, options: O,
  r: Pick<ReducedMaps, 'reduction' | 'independent' | 'maps'>, numClasses: number, fit: CalibratorJSON['fit'],
  seed: number | null = null,
): FittedCalibrator {
  return {
    method: id,
    numClasses,
    preservesArgmax: false,
    predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
      checkPredictInput(input.logits, numClasses, id);
      return predictReduction(input, r, out);
    },
    toJSON(): CalibratorJSON {
      return envelope({ method: id, input: 'probs', numClasses, reduction: options.reduction, options: { ...options }, params: { maps: r.maps.map((m) => m.toJSON()) }, fit, seed });
    },
  };
}
