/**
 * Scaling-binning calibrator (`scaling-binning`): Kumar, Liang & Ma, "Verified Uncertainty Calibration",
 * NeurIPS 2019 (calibrators.md §10; reference p-lambda/verified_calibration `PlattBinnerCalibrator`).
 * 1. Platt scaling g(s) = σ(a·logit(clip(s, 1e-12, 1 − 1e-12)) + b), fitted by maximum likelihood with
 *    scikit-learn `LogisticRegression(C=1e10)`'s tiny penalty a²/(2C) (Newton's method, exact to 1e-12);
 * 2. equal-mass bins on the g-values of the calibration set (`get_equal_bins`);
 * 3. each bin outputs the mean of g over its calibration points (not of the labels); an empty bin its midpoint.
 * Predict h(g(s)) with `(e_{i−1}, e_i]` bins. `splits: 3` uses three disjoint seeded thirds for g, the edges
 * and the bin means, as the paper does; `1` (default) uses all the data for each step, as the library does.
 * Top-label (default, the label is kept) or one-vs-rest (normalised unless `independent`).
 * Cost: fit O(K·N·(Newton iterations + log N)); predict O(N·K·log B).
 */
import { CalibraError } from '../../errors.js';
import { Rng } from '../../math/rng.js';
import { fitReducedMaps, loadMaps, reducedMapModel, type ScoreMap } from './reduced-maps.js';
import type { BinaryReduction } from '../core/reduction.js';
import { checkLabelled } from '../core/checks.js';
import { checkEnvelope, fitBlock } from '../core/envelope.js';
import { booleanOption, checkOptionKeys, choiceOption, numberOption } from '../core/options.js';
import { binIndex, binMeans, equalMassEdges } from './histogram-map.js';
import { invalidModel, readBoolean, readChoice, readNumber, readNumberArray, readObject } from '../core/model-fields.js';
import type { CalibratorJSON, CalibratorSpec, FitContext, FittedCalibrator, FitResult, LabelledInput, RawOptions } from '../core/types.js';
import { logisticNewton } from '../binary/logistic-newton.js';

const ID = 'scaling-binning';
/** verified_calibration clips probabilities to [ε, 1 − ε] before the logit. */
export const SCALING_BINNING_EPS = 1e-12;
/** scikit-learn `LogisticRegression(C=1e10)`: the penalty a²/(2C) on the slope. */
export const PLATT_C = 1e10;

/** logit(clip(s, ε, 1 − ε)). */
export function clippedLogit(s: number): number {
  const c = s < SCALING_BINNING_EPS ? SCALING_BINNING_EPS : s > 1 - SCALING_BINNING_EPS ? 1 - SCALING_BINNING_EPS : s;
  return Math.log(c / (1 - c));
}

/** Result of {@link fitPlattMle}. */
export interface PlattMle { readonly a: number; readonly b: number; readonly iterations: number; readonly converged: boolean }

/**
 * Maximum-likelihood logistic regression of 0/1 targets on the features x (rows `idx`), with sklearn's
 * C = 1e10 slope penalty, by the shared exact Newton solver (logistic-newton.ts) from (0, 0).
 * Cost: O(n) per iteration, typically < 15 iterations.
 */
export function fitPlattMle(x: Float64Array, t: ArrayLike<number>, idx: ArrayLike<number>): PlattMle {
  const n = idx.length;
  const xs = new Float64Array(n);
  const ts = new Float64Array(n);
  for (let j = 0; j < n; j++) { const i = idx[j] as number; xs[j] = x[i] as number; ts[j] = (t[i] as number) !== 0 ? 1 : 0; }
  const r = logisticNewton([xs], ts, { penalty: 1 / PLATT_C });
  return { a: r.w[0] as number, b: r.w[1] as number, iterations: r.iterations, converged: r.converged };
}

/** A fitted scaling-binning map: Platt (a, b), then the bin lookup. */
export class ScalingBinningMap implements ScoreMap {
  constructor(readonly a: number, readonly b: number, readonly edges: Float64Array, readonly values: Float64Array) {}

  /** g(s) = σ(a·logit(clip s) + b). */
  scale(s: number): number {
    return 1 / (1 + Math.exp(-(this.a * clippedLogit(s) + this.b)));
  }

  apply(n: number, x: Float64Array, xs: number, xo: number, out: Float64Array, os: number, oo: number): void {
    for (let i = 0; i < n; i++) out[oo + i * os] = this.values[binIndex(this.edges, this.scale(x[xo + i * xs] as number))] as number;
  }

  toJSON(): Record<string, unknown> {
    return { a: this.a, b: this.b, edges: Array.from(this.edges), values: Array.from(this.values) };
  }

  /** Rebuilds from `{a, b, edges, values}`; edges strictly increasing ending at 1, values in [0, 1]. */
  static load(json: unknown, field: string): ScalingBinningMap {
    const o = readObject(json, field);
    const edges = readNumberArray(o['edges'], `${field}.edges`, { minLength: 1, min: 0, max: 1, order: 'increasing' });
    if (edges[edges.length - 1] !== 1) throw invalidModel(`${field}.edges`, `the last edge must be 1, got ${edges[edges.length - 1]}`);
    return new ScalingBinningMap(readNumber(o['a'], `${field}.a`), readNumber(o['b'], `${field}.b`), edges,
      readNumberArray(o['values'], `${field}.values`, { length: edges.length, min: 0, max: 1 }));
  }
}

/** Index sets for the three steps (g, edges, means): all rows, or three disjoint seeded thirds. */
export function splitIndices(n: number, splits: 1 | 3, seed: number): [Int32Array, Int32Array, Int32Array] {
  if (splits === 1) { const all = Int32Array.from({ length: n }, (_, i) => i); return [all, all, all]; }
  const perm = new Rng(seed).permutation(n);
  const a = Math.floor(n / 3), b = Math.floor((2 * n) / 3);
  return [perm.slice(0, a), perm.slice(a, b), perm.slice(b)];
}

/**
 * Fits one scaling-binning map on scores and 0/1 targets using the given index sets.
 * @example
 * // fixture B of calibrators.md §0
 * const s = Float64Array.of(0.05, 0.12, 0.12, 0.25, 0.33, 0.40, 0.40, 0.58, 0.66, 0.72, 0.85, 0.93);
 * const t = [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1];
 * fitScalingBinningMap(s, t, 3, splitIndices(12, 1, 0)).map // ~> { a: 0.7863, b: 0.6684, values: [0.2979, 0.6041, 0.8480] }
 */
export function fitScalingBinningMap(scores: Float64Array, targets: ArrayLike<number>, bins: number, sets: readonly [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>]): { map: ScalingBinningMap; warnings: string[] } {
  const x = new Float64Array(scores.length);
  for (let i = 0; i < x.length; i++) x[i] = clippedLogit(scores[i] as number);
  const platt = fitPlattMle(x, targets, sets[0]);
  const probe = new ScalingBinningMap(platt.a, platt.b, Float64Array.of(1), Float64Array.of(0));
  const g = (idx: ArrayLike<number>): Float64Array => Float64Array.from({ length: idx.length }, (_, j) => probe.scale(scores[idx[j] as number] as number));
  const edges = equalMassEdges(g(sets[1]), bins);
  const gm = g(sets[2]);
  const values = binMeans(edges, gm, gm, 'center');
  const warnings = platt.converged ? [] : [`Platt fit stopped after ${platt.iterations} iterations without converging (a = ${platt.a}, b = ${platt.b}); the data may be separable`];
  return { map: new ScalingBinningMap(platt.a, platt.b, edges, values), warnings };
}

interface SbOptions { readonly bins: number; readonly reduction: BinaryReduction; readonly independent: boolean; readonly splits: 1 | 3 }

/** `scaling-binning`: Platt scaling then equal-mass binning of the scaled values (Kumar et al. 2019). */
export const scalingBinning: CalibratorSpec = {
  id: ID,
  title: 'Scaling-binning calibrator (Kumar et al. 2019)',
  input: 'probs',
  preservesArgmax: false,
  defaults: { bins: 10, reduction: 'top-label', independent: false, splits: 1 },
  fit(data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult {
    checkOptionKeys(options, ['bins', 'reduction', 'independent', 'splits'], ID);
    const splits = numberOption(options, 'splits', 1, ID, { integer: true, min: 1, max: 3 });
    if (splits === 2) throw new CalibraError('E_OPTION', `${ID}: option splits=2 is not 1 or 3`, { fix: 'give splits=1 (one set for every step) or splits=3 (three disjoint thirds)' });
    const o: SbOptions = {
      bins: numberOption(options, 'bins', 10, ID, { integer: true, min: 1, max: 100000 }),
      reduction: choiceOption(options, 'reduction', ['top-label', 'ovr'] as const, 'top-label', ID),
      independent: booleanOption(options, 'independent', false, ID),
      splits: splits === 3 ? 3 : 1,
    };
    checkLabelled(data, ID);
    const sets = splitIndices(data.logits.rows, o.splits, ctx.seed);
    const r = fitReducedMaps(data, o.reduction, o.independent, (s, t) => fitScalingBinningMap(s, t, o.bins, sets), (d, t) => ctx.onProgress?.(d / t));
    const fit = fitBlock(r.warnings.length === 0, 0, null, r.warnings);
    return { model: reducedMapModel(ID, o, r, data.logits.cols, fit, o.splits === 3 ? ctx.seed : null), converged: r.warnings.length === 0, iterations: 0, loss: null, warnings: r.warnings };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    checkEnvelope(json, ID);
    const opts = readObject(json.options, 'options');
    const splits = readNumber(opts['splits'], 'options.splits', { integer: true, min: 1, max: 3 });
    if (splits === 2) throw invalidModel('options.splits', 'splits must be 1 or 3');
    const o: SbOptions = {
      bins: readNumber(opts['bins'], 'options.bins', { integer: true, min: 1 }),
      reduction: readChoice(opts['reduction'], 'options.reduction', ['top-label', 'ovr'] as const),
      independent: readBoolean(opts['independent'], 'options.independent'),
      splits: splits === 3 ? 3 : 1,
    };
    readChoice(json.reduction, 'reduction', [o.reduction]);
    const maps = loadMaps(json.params, o.reduction, json.numClasses, ScalingBinningMap.load);
    return reducedMapModel(ID, o, { reduction: o.reduction, independent: o.independent, maps }, json.numClasses, json.fit, json.seed);
  },
};
