/**
 * Bayesian Binning into Quantiles (`bbq`): Naeini, Cooper & Hauskrecht, AAAI 2015, as netcal 1.3.6
 * implements it (calibrators.md §7.3): equal-width histogram models for every bin count from
 * B_min = max(1, ⌊N^{1/3}/10⌋) to B_max = min(⌈N/5⌉, ⌈10·N^{1/3}⌉), each scored by BIC on the
 * calibration set (log-likelihood with each log clamped at −100), relative scores r = exp((min BIC − BIC)/2),
 * an elbow cut (α = 0.001), and a weighted average of the kept models, clipped to [0, 1].
 * This is netcal's BIC variant, not the paper's BDeu score (calibrators.md §13 item 3).
 *
 * netcal's histogram fits with `[lo, hi)` bins (last closed) and predicts with `(lo, hi]` bins (0 in the
 * first); both are kept so the numbers match netcal, and each model is stored as upper edges + values.
 * Cost per map: one O(N log N) sort, then O(B log N) per candidate model via prefix counts, so
 * O(B_max² log N) in all (not O(N·B_max)); predict O(#kept · log B) per entry.
 */
import { fitReducedMaps, loadMaps, reducedMapModel, type ScoreMap } from './reduced-maps.js';
import type { BinaryReduction } from '../core/reduction.js';
import { checkLabelled } from '../core/checks.js';
import { checkEnvelope, fitBlock } from '../core/envelope.js';
import { booleanOption, checkOptionKeys, choiceOption } from '../core/options.js';
import { binIndex } from './histogram-map.js';
import { invalidModel, readArray, readBoolean, readChoice, readNumber, readNumberArray, readObject } from '../core/model-fields.js';
import type { CalibratorJSON, CalibratorSpec, FitContext, FittedCalibrator, FitResult, LabelledInput, RawOptions } from '../core/types.js';

const ID = 'bbq';
/** Each log-likelihood term is clamped at this value (torch `binary_cross_entropy`, used by netcal). */
export const BBQ_LOG_CLAMP = -100;

/** One member of the ensemble: upper edges (last 1), bin values, and its weight. */
export interface BbqMember {
  readonly edges: Float64Array;
  readonly values: Float64Array;
  readonly weight: number;
}

/** Diagnostics of one candidate model (for tests and reports). */
export interface BbqCandidate {
  readonly bins: number;
  readonly values: Float64Array;
  readonly logLikelihood: number;
  readonly bic: number;
  readonly relative: number;
}

/** Number of sorted values strictly below v (`side='left'`), or at most v (`right`). */
function countBelow(sorted: Float64Array, v: number, inclusive: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = sorted[mid] as number;
    if (inclusive ? s <= v : s < v) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/**
 * Scores every candidate bin count on scores/targets (netcal's histogram + BIC), in increasing B.
 * Cost: O(N log N + Σ_B B log N).
 */
export function bbqCandidates(scores: Float64Array, targets: ArrayLike<number>, binRange?: { min: number; max: number }): BbqCandidate[] {
  const n = scores.length;
  // Sort positives and negatives natively and merge; ties never straddle a bin boundary, so their order is irrelevant.
  let nPos = 0;
  for (let i = 0; i < n; i++) if ((targets[i] as number) !== 0) nPos++;
  const ps = new Float64Array(nPos);
  const ns = new Float64Array(n - nPos);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    if ((targets[i] as number) !== 0) ps[a++] = scores[i] as number; else ns[b++] = scores[i] as number;
  }
  ps.sort();
  ns.sort();
  const sorted = new Float64Array(n);
  const pos = new Float64Array(n + 1);
  for (let j = 0, a = 0, b = 0; j < n; j++) {
    const takeNeg = b < ns.length && (a >= ps.length || (ns[b] as number) <= (ps[a] as number));
    sorted[j] = takeNeg ? (ns[b++] as number) : (ps[a++] as number);
    pos[j + 1] = (pos[j] as number) + (takeNeg ? 0 : 1);
  }
  const cube = Math.cbrt(n);
  const bMin = binRange?.min ?? Math.max(1, Math.floor(cube / 10));
  const bMax = binRange?.max ?? Math.min(Math.ceil(n / 5), Math.ceil(10 * cube));
  const out: BbqCandidate[] = [];
  const logN = Math.log(n);
  for (let b = bMin; b <= Math.max(bMin, bMax); b++) {
    const step = 1 / b;
    const edge = (i: number): number => (i === b ? 1 : i * step);
    const values = new Float64Array(b);
    // fit: bin j holds edge(j) ≤ s < edge(j+1); the last bin also holds s ≥ edge(b−1).
    for (let j = 0; j < b; j++) {
      const lo = j === 0 ? 0 : countBelow(sorted, edge(j), false);
      const hi = j === b - 1 ? n : countBelow(sorted, edge(j + 1), false);
      const cnt = hi - lo;
      values[j] = cnt > 0 ? ((pos[hi] as number) - (pos[lo] as number)) / cnt : (edge(j) + edge(j + 1)) / 2;
    }
    // predict: bin j holds edge(j) < s ≤ edge(j+1); the first bin also holds s ≤ edge(0), the last s > 1.
    let ll = 0;
    for (let j = 0; j < b; j++) {
      const lo = j === 0 ? 0 : countBelow(sorted, edge(j), true);
      const hi = j === b - 1 ? n : countBelow(sorted, edge(j + 1), true);
      const p = (pos[hi] as number) - (pos[lo] as number);
      const q = hi - lo - p;
      const h = values[j] as number;
      if (p > 0) ll += p * Math.max(Math.log(h), BBQ_LOG_CLAMP);
      if (q > 0) ll += q * Math.max(Math.log(1 - h), BBQ_LOG_CLAMP);
    }
    out.push({ bins: b, values, logLikelihood: ll, bic: -2 * ll + b * logN, relative: 0 });
  }
  let minBic = Infinity;
  for (const c of out) minBic = Math.min(minBic, c.bic);
  return out.map((c) => ({ ...c, relative: Math.exp((minBic - c.bic) / 2) }));
}

/**
 * netcal's elbow cut on relative scores (α = 0.001): sort descending, skip leading exact ties, then keep
 * going while (r_k − r_{k+1}) / var(r) > α; returns the kept indices (into `relative`) in that order.
 */
export function bbqElbow(relative: readonly number[], alpha = 0.001): number[] {
  const idx = relative.map((_, i) => i).sort((a, b) => ((relative[b] as number) - (relative[a] as number)) || (b - a));
  const r = idx.map((i) => relative[i] as number);
  const m = r.length;
  let mean = 0;
  for (const v of r) mean += v;
  mean /= m;
  let variance = 0;
  for (const v of r) variance += (v - mean) * (v - mean);
  variance /= m;
  let k = 0;
  while (k < m - 1 && r[k] === r[k + 1]) k++;
  while (k < m - 1 && ((r[k] as number) - (r[k + 1] as number)) / variance > alpha) k++;
  return idx.slice(0, k + 1);
}

/** A fitted BBQ map: the weighted members, output clipped to [0, 1]. */
export class BbqMap implements ScoreMap {
  constructor(readonly members: readonly BbqMember[]) {}

  /** Fits the ensemble on scores and 0/1 targets. */
  static fit(scores: Float64Array, targets: ArrayLike<number>): BbqMap {
    const cands = bbqCandidates(scores, targets);
    const kept = bbqElbow(cands.map((c) => c.relative));
    let total = 0;
    for (const i of kept) total += (cands[i] as BbqCandidate).relative;
    return new BbqMap(kept.map((i) => {
      const c = cands[i] as BbqCandidate;
      const edges = new Float64Array(c.bins);
      for (let j = 1; j <= c.bins; j++) edges[j - 1] = j === c.bins ? 1 : j * (1 / c.bins);
      return { edges, values: c.values, weight: c.relative / total };
    }));
  }

  apply(n: number, x: Float64Array, xs: number, xo: number, out: Float64Array, os: number, oo: number): void {
    const ms = this.members;
    for (let i = 0; i < n; i++) {
      const s = x[xo + i * xs] as number;
      let v = 0;
      for (const m of ms) v += m.weight * (m.values[binIndex(m.edges, s)] as number);
      out[oo + i * os] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }

  toJSON(): Record<string, unknown> {
    return { members: this.members.map((m) => ({ edges: Array.from(m.edges), values: Array.from(m.values), weight: m.weight })) };
  }

  /** Rebuilds from `{members: [{edges, values, weight}]}`; weights positive and summing to 1 (±1e-9). */
  static load(json: unknown, field: string): BbqMap {
    const o = readObject(json, field);
    const arr = readArray(o['members'], `${field}.members`, { minLength: 1 });
    let total = 0;
    const members = arr.map((mj, i) => {
      const f = `${field}.members[${i}]`;
      const m = readObject(mj, f);
      const edges = readNumberArray(m['edges'], `${f}.edges`, { minLength: 1, min: 0, max: 1, order: 'increasing' });
      if (edges[edges.length - 1] !== 1) throw invalidModel(`${f}.edges`, `the last edge must be 1, got ${edges[edges.length - 1]}`);
      const values = readNumberArray(m['values'], `${f}.values`, { length: edges.length, min: 0, max: 1 });
      const weight = readNumber(m['weight'], `${f}.weight`, { min: 0, max: 1 });
      total += weight;
      return { edges, values, weight };
    });
    if (Math.abs(total - 1) > 1e-9) throw invalidModel(`${field}.members`, `weights sum to ${total}, not 1`);
    return new BbqMap(members);
  }
}

interface BbqOptions { readonly reduction: BinaryReduction; readonly independent: boolean }


/** `bbq`: Bayesian binning into quantiles (netcal's BIC-weighted equal-width variant); OvR (normalised) or top-label. */
export const bbq: CalibratorSpec = {
  id: ID,
  title: 'Bayesian binning into quantiles (Naeini et al. 2015; netcal BIC variant)',
  input: 'probs',
  preservesArgmax: false,
  defaults: { reduction: 'ovr', independent: false },
  fit(data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult {
    checkOptionKeys(options, ['reduction', 'independent'], ID);
    const o: BbqOptions = { reduction: choiceOption(options, 'reduction', ['ovr', 'top-label'] as const, 'ovr', ID), independent: booleanOption(options, 'independent', false, ID) };
    checkLabelled(data, ID);
    const r = fitReducedMaps(data, o.reduction, o.independent, (s, t) => ({ map: BbqMap.fit(s, t) }), (d, t) => ctx.onProgress?.(d / t));
    const fit = fitBlock(true, 0, null, r.warnings);
    return { model: reducedMapModel(ID, o, r, data.logits.cols, fit), converged: true, iterations: 0, loss: null, warnings: r.warnings };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    checkEnvelope(json, ID);
    const opts = readObject(json.options, 'options');
    const o: BbqOptions = { reduction: readChoice(opts['reduction'], 'options.reduction', ['ovr', 'top-label'] as const), independent: readBoolean(opts['independent'], 'options.independent') };
    readChoice(json.reduction, 'reduction', [o.reduction]);
    const maps = loadMaps(json.params, o.reduction, json.numClasses, BbqMap.load);
    return reducedMapModel(ID, o, { reduction: o.reduction, independent: o.independent, maps }, json.numClasses, json.fit);
  },
};
