/**
 * The piecewise-constant map of histogram binning (Zadrozny & Elkan 2001; Guo et al. 2017), with one
 * interval convention at fit and predict: bins are `(e_{i−1}, e_i]` with 0 in the first bin (upper edges
 * `e`, last edge 1), the convention of p-lambda/verified_calibration (calibrators.md §7.1, metrics.md).
 * Also used by scaling-binning (§10) for its discretisation step.
 */
import type { ScoreMap } from './reduced-maps.js';
import { invalidModel, readNumberArray, readObject } from '../core/model-fields.js';

/** Index of the bin of `s`: the first i with `edges[i] ≥ s` (searchsorted left), clamped to the last bin. Cost: O(log B). */
export function binIndex(edges: Float64Array, s: number): number {
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((edges[mid] as number) < s) lo = mid + 1; else hi = mid;
  }
  return lo;
}

/** Upper edges `b/B` for b = 1..B (equal width on [0, 1]). */
export function equalWidthEdges(bins: number): Float64Array {
  const e = new Float64Array(bins);
  for (let b = 1; b <= bins; b++) e[b - 1] = b / bins;
  return e;
}

/**
 * Equal-mass upper edges as verified_calibration's `get_equal_bins`: sort the scores, split them into
 * B nearly equal parts (`np.array_split`: the first N mod B parts hold one more), put an edge at the
 * midpoint between neighbouring parts, end with 1.0, drop duplicate edges. B is capped at N.
 * Cost: O(N log N) (one copy and a native sort).
 * @example equalMassEdges(Float64Array.of(.05,.12,.12,.25,.33,.4,.4,.58,.66,.72,.85,.93), 3) // => [0.29000000000000004, 0.62, 1]
 */
export function equalMassEdges(scores: Float64Array, bins: number): Float64Array {
  const sorted = Float64Array.from(scores).sort();
  const n = sorted.length;
  const b = Math.min(bins, n);
  const edges: number[] = [];
  const base = Math.floor(n / b);
  const extra = n % b;
  let end = 0;
  for (let part = 0; part < b - 1; part++) {
    end += base + (part < extra ? 1 : 0);
    edges.push(((sorted[end - 1] as number) + (sorted[end] as number)) / 2.0);
  }
  edges.push(1.0);
  const uniq = Array.from(new Set(edges)).sort((x, y) => x - y);
  return Float64Array.from(uniq);
}

/** The value of an empty bin: the midpoint of its edges (`center`, first bin e_0/2) or 0 (`zero`). */
export type EmptyBinRule = 'center' | 'zero';

/**
 * Per-bin means of `values` over the scores that fall in each bin, with the empty-bin rule.
 * With `values` = 0/1 targets this is histogram binning; with `values` = the scores themselves it is
 * scaling-binning's discretisation. Cost: O(N log B).
 */
export function binMeans(edges: Float64Array, scores: Float64Array, values: ArrayLike<number>, empty: EmptyBinRule): Float64Array {
  const b = edges.length;
  const sum = new Float64Array(b);
  const cnt = new Float64Array(b);
  for (let i = 0; i < scores.length; i++) {
    const j = binIndex(edges, scores[i] as number);
    sum[j] = (sum[j] as number) + (values[i] as number);
    cnt[j] = (cnt[j] as number) + 1;
  }
  const out = new Float64Array(b);
  for (let j = 0; j < b; j++) {
    const c = cnt[j] as number;
    if (c > 0) out[j] = (sum[j] as number) / c;
    else out[j] = empty === 'zero' ? 0 : ((j === 0 ? 0 : (edges[j - 1] as number)) + (edges[j] as number)) / 2;
  }
  return out;
}

/** A fitted histogram map: upper edges (last = 1) and one value per bin. */
export class HistogramMap implements ScoreMap {
  constructor(readonly edges: Float64Array, readonly values: Float64Array) {}

  apply(n: number, x: Float64Array, xs: number, xo: number, out: Float64Array, os: number, oo: number): void {
    const { edges, values } = this;
    for (let i = 0; i < n; i++) out[oo + i * os] = values[binIndex(edges, x[xo + i * xs] as number)] as number;
  }

  toJSON(): Record<string, unknown> {
    return { edges: Array.from(this.edges), values: Array.from(this.values) };
  }

  /** Rebuilds a map from `{edges, values}`: edges strictly increasing in (0, 1] ending at 1, values in [0, 1], equal lengths. */
  static load(json: unknown, field: string): HistogramMap {
    const o = readObject(json, field);
    const edges = readNumberArray(o['edges'], `${field}.edges`, { minLength: 1, min: 0, max: 1, order: 'increasing' });
    if (edges[edges.length - 1] !== 1) throw invalidModel(`${field}.edges`, `the last edge must be 1, got ${edges[edges.length - 1]}`);
    const values = readNumberArray(o['values'], `${field}.values`, { length: edges.length, min: 0, max: 1 });
    return new HistogramMap(edges, values);
  }
}
