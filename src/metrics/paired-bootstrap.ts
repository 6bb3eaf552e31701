/**
 * Paired bootstrap of metric differences (Efron & Tibshirani 1993, §16; Koehn 2004 for system comparison):
 * several methods scored on the same N test samples are resampled with one shared index per replicate, so
 * the interval of "metric(A) − metric(B)" accounts for the samples both methods find hard. One replicate
 * computes the metric of every method on the same rows; any pair's interval is then the percentiles
 * (numpy's linear rule, {@link percentileOfSorted}) of the per-replicate differences.
 */
import { CalibraError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { Rng } from '../math/rng.js';
import type { EdgeRule } from './binning.js';
import { percentileOfSorted, replicateContext } from './bootstrap.js';
import { computeMetrics, parseMetricIds } from './evaluate.js';
import { SummaryBuilder, type SampleSummary } from './summary.js';

/** One method's test-set output, as the bootstrap needs it. */
export interface PairedSample {
  /** Per-sample summary of the method's probabilities (`summarizeProbs`). */
  readonly summary: SampleSummary;
  /** The probability matrix; needed only for class-wise ids (cw_ece, cw_ece_em, ca_paper.sce). */
  readonly probs: Matrix | null;
}

/** Settings of {@link bootstrapReplicateValues}. */
export interface PairedBootstrapOptions {
  /** Resamples (default 1000, at least 2). */
  readonly replicates?: number;
  /** Seed of the {@link Rng} drawing the shared indices (default 0). */
  readonly seed?: number;
  /** Edge rule of equal-width ids (default 'right'). */
  readonly edges?: EdgeRule;
  /**
   * Fills `out` with the rows of replicate `r` instead of drawing them (tests feed numpy's indices here).
   * Every entry must be in [0, N).
   */
  readonly indices?: (r: number, out: Int32Array) => void;
}

/** A difference with its paired percentile interval. */
export interface DifferenceInterval {
  /** Point difference metric(A) − metric(B) on all samples. */
  readonly diff: number;
  readonly low: number;
  readonly high: number;
  readonly level: number;
  /** Replicates used (those where both values are finite). */
  readonly replicates: number;
}

/**
 * `values[m][r]`: metric `id` of method m on bootstrap replicate r, every method on the same resampled rows.
 * All samples must have the same N (the same test set). Cost: replicates × methods × (cost of `id` on N rows);
 * memory O(N + methods × replicates).
 * @example
 * import { summarizeProbs } from './summary.js';
 * const labels = Int32Array.of(0, 1, 1);
 * const a = { summary: summarizeProbs({ data: Float64Array.of(0.9, 0.1, 0.2, 0.8, 0.6, 0.4), rows: 3, cols: 2 }, labels), probs: null };
 * const b = { summary: summarizeProbs({ data: Float64Array.of(0.6, 0.4, 0.4, 0.6, 0.5, 0.5), rows: 3, cols: 2 }, labels), probs: null };
 * bootstrapReplicateValues([a, b], 'nll', { replicates: 1000, seed: 0 })[0]!.length // => 1000
 */
export function bootstrapReplicateValues(samples: readonly PairedSample[], id: string, opts: PairedBootstrapOptions = {}): Float64Array[] {
  const replicates = opts.replicates ?? 1000;
  if (!Number.isInteger(replicates) || replicates < 2) throw new CalibraError('E_OPTION', `bootstrap replicates ${replicates} must be an integer ≥ 2`, { where: 'bootstrap', fix: 'give e.g. 1000' });
  const first = samples[0];
  if (first === undefined) return [];
  const n = first.summary.n;
  for (const s of samples) {
    if (s.summary.n !== n) throw new CalibraError('E_SHAPE', `paired bootstrap of methods scored on ${n} and ${s.summary.n} samples`, { fix: 'score every method on the same test set' });
  }
  const specs = parseMetricIds([id]);
  const spec = specs[0];
  if (spec === undefined) return [];
  const needsProbs = spec.need === 'class-bins' || spec.need === 'ca-sce' || spec.need === 'matrix';
  if (needsProbs && samples.some((s) => s.probs === null)) {
    throw new CalibraError('E_OPTION', `a paired interval of ${spec.id} needs every method's probability matrix`, { where: 'bootstrap', fix: 'pass probs, or choose a metric that is not class-wise' });
  }
  const rng = new Rng(opts.seed ?? 0);
  const index = new Int32Array(n);
  const buf = new SummaryBuilder(first.summary.classes, n);
  const values = samples.map(() => new Float64Array(replicates));
  const rule = opts.edges ?? 'right';
  for (let r = 0; r < replicates; r++) {
    if (opts.indices !== undefined) {
      opts.indices(r, index);
      for (let i = 0; i < n; i++) {
        const v = index[i] as number;
        if (!(v >= 0 && v < n)) throw new CalibraError('E_OPTION', `bootstrap index ${v} of replicate ${r} is not in [0, ${n})`, { where: 'bootstrap', fix: 'give row indices of the test set' });
      }
    } else {
      for (let i = 0; i < n; i++) index[i] = rng.int(n);
    }
    samples.forEach((s, m) => {
      const res = computeMetrics(specs, replicateContext(specs, s.summary, rule, buf, index, s.probs, s.summary.labels));
      (values[m] as Float64Array)[r] = res[spec.id] as number;
    });
  }
  return values;
}

/**
 * The paired percentile interval of A − B from two methods' replicate values (same replicates, same order)
 * and the point difference. Replicates where either value is NaN or infinite are dropped; the bounds are NaN
 * when fewer than half remain. Cost O(R log R).
 * @example
 * const a = Float64Array.of(0.10, 0.12, 0.11, 0.13), b = Float64Array.of(0.20, 0.21, 0.23, 0.22);
 * pairedDifference(-0.1, a, b, 0.5) // ~> { diff: -0.1, low: -0.1, high: -0.09, level: 0.5, replicates: 4 }
 */
export function pairedDifference(diff: number, a: Float64Array, b: Float64Array, level: number): DifferenceInterval {
  if (!(level > 0 && level < 1)) throw new CalibraError('E_OPTION', `confidence level ${level} is not in (0, 1)`, { where: 'ci', fix: 'give e.g. 0.95' });
  if (a.length !== b.length) throw new CalibraError('E_SHAPE', `paired replicates of different lengths (${a.length}, ${b.length})`, { fix: 'use values from one bootstrapReplicateValues call' });
  const d = new Float64Array(a.length);
  let m = 0;
  for (let r = 0; r < a.length; r++) {
    const x = (a[r] as number) - (b[r] as number);
    if (Number.isFinite(x)) d[m++] = x;
  }
  const sorted = d.subarray(0, m).sort();
  const ok = m * 2 >= a.length;
  const alpha = (1 - level) / 2;
  return {
    diff,
    low: ok ? percentileOfSorted(sorted, 100 * alpha) : Number.NaN,
    high: ok ? percentileOfSorted(sorted, 100 * (1 - alpha)) : Number.NaN,
    level,
    replicates: m,
  };
}
