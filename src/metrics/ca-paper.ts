/**
 * The metrics exactly as the CA paper's code computes them ("Optimizing Calibration by Gaining Aware of
 * Prediction Correctness", Liu et al. 2024; liuyvchi/Correctness-aware-calibration
 * src/cal_metrics/all_metrics.py `all_meausres`), so calibra's numbers can be set beside published ones.
 * Quirks are kept on purpose and named. Edges are numpy `linspace(0, 1, B + 1)` values, i.e. `i * (1/B)`.
 */
import type { FloatArray, Matrix } from '../math/matrix.js';
import { combine, digitizeBin, guoBin } from './linspace-bins.js';

/**
 * `ca_paper.ece`: `_ECELoss(n_bins=25)`: bins (e_b, e_{b+1}] with linspace edges; confidence 0 is in no bin
 * but counts in N. Cost O(N).
 */
export function caPaperEce(conf: Float64Array, correct: Uint8Array, bins = 25): number {
  const count = new Float64Array(bins); const sc = new Float64Array(bins); const sa = new Float64Array(bins);
  for (let i = 0; i < conf.length; i++) {
    const b = guoBin(conf[i] as number, bins);
    if (b < 0) continue;
    count[b] = (count[b] as number) + 1; sc[b] = (sc[b] as number) + (conf[i] as number); sa[b] = (sa[b] as number) + (correct[i] as number);
  }
  return combine(count, sc, sa, conf.length, 'sum');
}

/**
 * `ca_paper.mce`: the code's `MCE`: 25 bins by `np.digitize` on the inner linspace edges (left-closed),
 * then **max over bins of (n_b/N)·|acc_b − conf_b|** (mass-weighted; not the textbook MCE). Cost O(N).
 */
export function caPaperMce(conf: Float64Array, correct: Uint8Array, bins = 25): number {
  const count = new Float64Array(bins); const sc = new Float64Array(bins); const sa = new Float64Array(bins);
  for (let i = 0; i < conf.length; i++) {
    const b = digitizeBin(conf[i] as number, bins);
    count[b] = (count[b] as number) + 1; sc[b] = (sc[b] as number) + (conf[i] as number); sa[b] = (sa[b] as number) + (correct[i] as number);
  }
  return combine(count, sc, sa, conf.length, 'max');
}

/**
 * numpy `percentile(sorted, q)` with the default linear method (virtual index (n−1)·q/100, numpy's
 * two-sided lerp).
 */
function percentileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  const virtual = (n - 1) * (q / 100);
  const lo = Math.floor(virtual);
  const hi = Math.min(lo + 1, n - 1);
  const t = virtual - lo;
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

/**
 * `ca_paper.ace`: the code's `AdaptiveECE`: sklearn `KBinsDiscretizer(n_bins=25, strategy='quantile')`
 * (sklearn 1.2 semantics, no subsampling): edges = linear percentiles at linspace(0, 100, 26), edges within
 * 1e-8 of their predecessor dropped, bin = searchsorted(inner edges, c, side='right'); then
 * Σ (n_b/N)|acc_b − conf_b|. Cost O(N log N).
 */
export function caPaperAce(conf: Float64Array, correct: Uint8Array, bins = 25): number {
  const n = conf.length;
  if (n === 0) return Number.NaN;
  const sorted = Float64Array.from(conf).sort();
  const step = 100 / bins;
  const raw: number[] = [];
  for (let i = 0; i <= bins; i++) raw.push(percentileSorted(sorted, i === bins ? 100 : i * step));
  const kept: number[] = [raw[0] as number];
  for (let i = 1; i < raw.length; i++) if ((raw[i] as number) - (raw[i - 1] as number) > 1e-8) kept.push(raw[i] as number);
  const inner = kept.slice(1, -1);
  const m = Math.max(kept.length - 1, 1);
  const count = new Float64Array(m); const sc = new Float64Array(m); const sa = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    const c = conf[i] as number;
    let lo = 0; let hi = inner.length; // first index with inner[idx] > c
    while (lo < hi) { const mid = (lo + hi) >> 1; if ((inner[mid] as number) <= c) lo = mid + 1; else hi = mid; }
    const b = Math.min(lo, m - 1);
    count[b] = (count[b] as number) + 1; sc[b] = (sc[b] as number) + c; sa[b] = (sa[b] as number) + (correct[i] as number);
  }
  return combine(count, sc, sa, n, 'sum');
}

/**
 * `ca_paper.ks`: the code calls `KS_error_from_conf_acc(correctness, conf)` with its arguments swapped, so it
 * sorts by correctness; the result is exactly max(Σ_{wrong} c_i / N, |acc − mean c|). Cost O(N).
 */
export function caPaperKs(conf: Float64Array, correct: Uint8Array): number {
  const n = conf.length;
  let wrong = 0;
  let diff = 0;
  for (let i = 0; i < n; i++) {
    const c = conf[i] as number;
    if (correct[i] === 0) wrong += c;
    diff += (correct[i] as number) - c;
  }
  return Math.max(wrong / n, Math.abs(diff) / n);
}

/**
 * `ca_paper.sce`: the code's `compute_sce(num_bins=25)`: per class k, bins (e_b, e_{b+1}] on p_ik (p = 0 in
 * no bin), Σ (n_bk/N)|mean 1[y=k] − mean p_k|, mean over K. Adds one probability row (label y) into
 * `stats` (K×bins×3, mergeable by addition) so it streams; finish with {@link caPaperSceFinish}. Cost O(K).
 */
export function caPaperSceAddRow(p: FloatArray, base: number, cols: number, y: number, stats: Float64Array, bins = 25): void {
  for (let k = 0; k < cols; k++) {
    const v = p[base + k] as number;
    const b = guoBin(v, bins);
    if (b < 0) continue;
    const idx = 3 * (k * bins + b);
    stats[idx] = (stats[idx] as number) + 1;
    stats[idx + 1] = (stats[idx + 1] as number) + v;
    if (k === y) stats[idx + 2] = (stats[idx + 2] as number) + 1;
  }
}

/** Final SCE value from the statistics of {@link caPaperSceAdd} over N samples and K classes. */
export function caPaperSceFinish(stats: Float64Array, n: number, classes: number, bins = 25): number {
  let sce = 0;
  for (let k = 0; k < classes; k++) {
    for (let b = 0; b < bins; b++) {
      const idx = 3 * (k * bins + b);
      const c = stats[idx] as number;
      if (c > 0) sce += (c / n) * Math.abs((stats[idx + 2] as number) / c - (stats[idx + 1] as number) / c);
    }
  }
  return sce / classes;
}

/** `ca_paper.sce` of a whole probability matrix. */
export function caPaperSce(probs: Matrix, labels: Int32Array, bins = 25): number {
  const stats = new Float64Array(3 * probs.cols * bins);
  for (let r = 0; r < probs.rows; r++) caPaperSceAddRow(probs.data, r * probs.cols, probs.cols, labels[r] as number, stats, bins);
  return caPaperSceFinish(stats, probs.rows, probs.cols, bins);
}
