/**
 * Percentile bootstrap confidence intervals for any metric id (Efron & Tibshirani 1993): resample the N
 * (row, label) pairs with replacement, recompute, take the α/2 and 1 − α/2 percentiles (numpy's linear
 * interpolation). Replicates reuse one index buffer and one gathered per-sample summary; only class-wise ids
 * touch the N×K matrix (through the index, without copying it), except cw_ece_em which copies the rows.
 */
import { CalibraError } from '../errors.js';
import { takeLabels, takeRows, type Matrix } from '../math/matrix.js';
import { Rng } from '../math/rng.js';
import { addToBins, createBinnedStats, type BinnedStats, type EdgeRule } from './binning.js';
import { caPaperSceAddRow } from './ca-paper.js';
import { computeMetrics, parseMetricIds, type MetricContext } from './evaluate.js';
import type { MetricSpec } from './ids.js';
import { gatherSummary, SummaryBuilder, type SampleSummary } from './summary.js';

/** A point estimate with its interval. */
export interface Interval {
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** Bootstrap settings; one place validates them. */
export interface BootstrapOptions {
  /** Confidence level in (0, 1), e.g. 0.95. */
  readonly level: number;
  /** Number of resamples (default 1000). */
  readonly replicates?: number;
  /** Seed of the {@link Rng} that draws the resamples (default 0). */
  readonly seed?: number;
  /** Edge rule for equal-width ids. */
  readonly edges?: EdgeRule;
}

/**
 * numpy `percentile(values, q)` (linear) of an ascending array.
 * @example percentileOfSorted(Float64Array.of(0.2675, 0.3, 0.3125, 0.3475, 0.3925), 10) // => 0.2805
 */
export function percentileOfSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const v = (n - 1) * (q / 100);
  const lo = Math.floor(v);
  const hi = Math.min(lo + 1, n - 1);
  const t = v - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return t >= 0.5 ? b - (b - a) * (1 - t) : a + (b - a) * t;
}

/** Builds a metric context for the rows `index` of the original data (one bootstrap replicate). */
export function replicateContext(
  specs: readonly MetricSpec[], s: SampleSummary, rule: EdgeRule, buf: SummaryBuilder, index: Int32Array,
  probs: Matrix | null, labels: Int32Array | null,
): MetricContext {
  const g = gatherSummary(s, index, buf);
  const sums = { n: g.n, correct: 0, brier: 0, brierTop: 0, nll: 0 };
  for (let i = 0; i < g.n; i++) {
    const a = g.correct[i] as number;
    const c = g.confidences[i] as number;
    sums.correct += a; sums.brier += g.brierTerms[i] as number; sums.brierTop += (c - a) * (c - a); sums.nll += g.nllTerms[i] as number;
  }
  const top = new Map<number, BinnedStats>();
  const cond = new Map<number, BinnedStats>();
  const cls = new Map<number, BinnedStats>();
  const caSce = new Map<number, Float64Array>();
  for (const sp of specs) {
    if (sp.need === 'top-bins' && !top.has(sp.bins)) {
      const st = createBinnedStats(sp.bins, 1, rule);
      for (let i = 0; i < g.n; i++) addToBins(st, 0, g.confidences[i] as number, g.correct[i] as number);
      top.set(sp.bins, st);
    } else if (sp.need === 'cond-bins' && !cond.has(sp.bins)) {
      const st = createBinnedStats(sp.bins, s.classes, rule);
      for (let i = 0; i < g.n; i++) addToBins(st, g.predicted[i] as number, g.confidences[i] as number, g.correct[i] as number);
      cond.set(sp.bins, st);
    } else if (sp.need === 'class-bins' && !cls.has(sp.bins) && probs !== null) {
      const st = createBinnedStats(sp.bins, s.classes, rule);
      const K = probs.cols;
      for (let j = 0; j < index.length; j++) {
        const r = index[j] as number;
        const y = s.labels[r] as number;
        for (let k = 0; k < K; k++) addToBins(st, k, probs.data[r * K + k] as number, k === y ? 1 : 0);
      }
      cls.set(sp.bins, st);
    } else if (sp.need === 'ca-sce' && !caSce.has(sp.bins) && probs !== null) {
      const st = new Float64Array(3 * s.classes * sp.bins);
      for (let j = 0; j < index.length; j++) { const r = index[j] as number; caPaperSceAddRow(probs.data, r * probs.cols, probs.cols, s.labels[r] as number, st, sp.bins); }
      caSce.set(sp.bins, st);
    }
  }
  const needsMatrix = specs.some((sp) => sp.need === 'matrix');
  return {
    classes: s.classes, sums, summary: g, top, cond, cls, caSce,
    probs: needsMatrix && probs !== null ? takeRows(probs, index) : null,
    labels: needsMatrix && labels !== null ? takeLabels(labels, index) : null,
  };
}

/**
 * Percentile intervals for every id. `summary` is the full per-sample summary of the data (from
 * `summarizeProbs` or a `MetricAccumulator` with any samples id); `probs`/`labels` are needed only for
 * class-wise ids. `point` holds the estimates on the full data. Replicates whose value is NaN are dropped;
 * the interval is NaN when more than half are NaN. Cost O(replicates · cost of the ids on N rows).
 * @example
 * import { summarizeProbs } from './summary.js';
 * const probs = { data: Float64Array.of(0.9, 0.1, 0.2, 0.8, 0.6, 0.4, 0.3, 0.7), rows: 4, cols: 2 };
 * const summary = summarizeProbs(probs, Int32Array.of(0, 1, 1, 1));
 * const ci = bootstrapIntervals(summary, null, null, { accuracy: 0.75 }, ['accuracy'], { level: 0.8, replicates: 1000, seed: 1 });
 * ci['accuracy']!.low <= 0.75 && 0.75 <= ci['accuracy']!.high // => true
 */
export function bootstrapIntervals(
  summary: SampleSummary, probs: Matrix | null, labels: Int32Array | null, point: Record<string, number>,
  ids: readonly string[], opts: BootstrapOptions,
): Record<string, Interval> {
  const { level } = opts;
  const replicates = opts.replicates ?? 1000;
  if (!(level > 0 && level < 1)) throw new CalibraError('E_OPTION', `confidence level ${level} is not in (0, 1)`, { where: 'ci', fix: 'give e.g. 0.95' });
  if (!Number.isInteger(replicates) || replicates < 2) throw new CalibraError('E_OPTION', `bootstrap replicates ${replicates} must be an integer ≥ 2`, { where: 'bootstrap', fix: 'give e.g. 1000' });
  const specs = parseMetricIds(ids);
  const needsProbs = specs.some((s) => s.need === 'class-bins' || s.need === 'ca-sce' || s.need === 'matrix');
  if (needsProbs && probs === null) {
    throw new CalibraError('E_OPTION', `intervals for ${specs.filter((s) => s.need === 'class-bins' || s.need === 'ca-sce' || s.need === 'matrix').map((s) => s.id).join(', ')} need the whole matrix`, { where: 'ci', fix: 'evaluate in memory (raise --max-memory) or drop these ids' });
  }
  const n = summary.n;
  const rng = new Rng(opts.seed ?? 0);
  const index = new Int32Array(n);
  const buf = new SummaryBuilder(summary.classes, n);
  const values = specs.map(() => new Float64Array(replicates));
  for (let r = 0; r < replicates; r++) {
    for (let i = 0; i < n; i++) index[i] = rng.int(n);
    const res = computeMetrics(specs, replicateContext(specs, summary, opts.edges ?? 'right', buf, index, probs, labels));
    specs.forEach((s, j) => { (values[j] as Float64Array)[r] = res[s.id] as number; });
  }
  const alpha = (1 - level) / 2;
  const out: Record<string, Interval> = {};
  specs.forEach((s, j) => {
    const finite = (values[j] as Float64Array).filter((v) => !Number.isNaN(v)).sort();
    const ok = finite.length * 2 >= replicates;
    out[s.id] = {
      value: point[s.id] ?? Number.NaN,
      low: ok ? percentileOfSorted(finite, 100 * alpha) : Number.NaN,
      high: ok ? percentileOfSorted(finite, 100 * (1 - alpha)) : Number.NaN,
    };
  });
  return out;
}
