/**
 * Multiclass reductions for the binary scaling maps (Platt, beta), calibrators.md §1.2 (fitted by the one
 * driver in core/reduction.ts):
 * - K = 2: one map on class 1, `p0 = 1 − p1` (reduction 'none');
 * - 'ovr': one map per class on `1[y = k]`, rows normalised (all-zero rows become uniform) unless
 *   `independent`, which returns the K marginal probabilities as they are (rows then need not sum to 1);
 * - 'top-label': one map on the top confidence against correctness; the predicted class gets the new
 *   confidence c′ and the others share 1 − c′ in proportion to their original probabilities (the argmax can
 *   change when c′ < 1/2, so this is not argmax-preserving).
 * Each map reads (ln p, ln(1 − p)) computed stably from the logits, so no probability is rounded to 0 or 1
 * before a log is taken.
 */
import { argmaxRow } from '../../math/softmax.js';
import type { Matrix } from '../../math/matrix.js';
import { fitReduction } from '../core/reduction.js';
import type { Reduction } from '../core/types.js';

/** Log-probability and log-complement of every entry: lnP[i·K+k] = ln p_ik, lnQ[i·K+k] = ln(1 − p_ik). Cost O(N·K). */
export function logProbPairs(logits: Matrix): { lnP: Float64Array; lnQ: Float64Array } {
  const { rows: N, cols: K, data } = logits;
  const lnP = new Float64Array(N * K), lnQ = new Float64Array(N * K);
  for (let i = 0; i < N; i++) logPairRow(data, K, i, lnP, lnQ, i * K);
  return { lnP, lnQ };
}

/** One row of {@link logProbPairs} into the given arrays at `off`. */
export function logPairRow(data: ArrayLike<number>, K: number, i: number, lnP: Float64Array, lnQ: Float64Array, off: number): void {
  const base = i * K;
  let m = -Infinity, arg = 0;
  for (let k = 0; k < K; k++) { const z = data[base + k] as number; if (z > m) { m = z; arg = k; } }
  let s = 0, others = 0;
  for (let k = 0; k < K; k++) { const e = Math.exp((data[base + k] as number) - m); s += e; if (k !== arg) others += e; }
  const ls = Math.log(s);
  for (let k = 0; k < K; k++) {
    const lp = (data[base + k] as number) - m - ls;
    lnP[off + k] = lp;
    lnQ[off + k] = k === arg ? Math.log(others) - ls : Math.log1p(-Math.exp(lp));
  }
}

/** A binary map family: fit on (ln s, ln(1 − s), 0/1 targets), apply to one pair. */
export interface BinaryMapFamily<P> {
  fit(lnP: Float64Array, lnQ: Float64Array, targets: Uint8Array): { params: P; loss: number; iterations: number; converged: boolean; warnings: string[] };
  apply(params: P, lnP: number, lnQ: number): number;
}

/** Which maps a reduction fits: reduction name and map count. */
export function reductionFor(K: number, mode: 'ovr' | 'top-label'): { reduction: Reduction; maps: number } {
  if (K === 2) return { reduction: 'none', maps: 1 };
  return mode === 'ovr' ? { reduction: 'ovr', maps: K } : { reduction: 'top-label', maps: 1 };
}

/**
 * Fits the maps of a reduction on (ln p, ln(1 − p)) with the one driver {@link fitReduction}; returns the
 * per-map parameters and summed diagnostics. Cost: O(N·K) plus the maps' fits.
 */
export function fitBinaryMaps<P>(
  family: BinaryMapFamily<P>, logits: Matrix, labels: Int32Array, reduction: Reduction,
): { maps: P[]; loss: number; iterations: number; converged: boolean; warnings: string[] } {
  const { lnP, lnQ } = logProbPairs(logits);
  let loss = 0, iterations = 0, converged = true;
  const r = fitReduction([lnP, lnQ], logits.cols, labels, reduction === 'top-label' ? 'top-label' : 'ovr', (cols, t) => {
    const f = family.fit(cols[0] as Float64Array, cols[1] as Float64Array, t);
    loss += f.loss; iterations += f.iterations; converged &&= f.converged;
    return { map: f.params, warnings: f.warnings };
  });
  return { maps: r.maps, loss, iterations, converged, warnings: r.warnings };
}

/** Applies fitted maps to logits under a reduction; writes N×K into `dst`. Cost O(N·K). */
export function applyReduction<P>(
  family: BinaryMapFamily<P>, maps: readonly P[], logits: Matrix, reduction: Reduction, independent: boolean, dst: Float64Array,
): void {
  const { rows: N, cols: K, data } = logits;
  const lnP = new Float64Array(K), lnQ = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    logPairRow(data, K, i, lnP, lnQ, 0);
    const o = i * K;
    if (reduction === 'none') {
      const p1 = family.apply(maps[0] as P, lnP[1] as number, lnQ[1] as number);
      dst[o] = 1 - p1; dst[o + 1] = p1;
    } else if (reduction === 'top-label') {
      const best = argmaxRow(lnP, K, 0);
      const c = family.apply(maps[0] as P, lnP[best] as number, lnQ[best] as number);
      const rest = Math.exp(lnQ[best] as number);
      for (let k = 0; k < K; k++) {
        dst[o + k] = k === best ? c : rest > 0 ? (1 - c) * Math.exp(lnP[k] as number) / rest : (1 - c) / (K - 1);
      }
    } else {
      let sum = 0;
      for (let k = 0; k < K; k++) { const v = family.apply(maps[k] as P, lnP[k] as number, lnQ[k] as number); dst[o + k] = v; sum += v; }
      if (!independent) {
        if (sum > 0) for (let k = 0; k < K; k++) dst[o + k] = (dst[o + k] as number) / sum;
        else for (let k = 0; k < K; k++) dst[o + k] = 1 / K;
      }
    }
  }
}

/** Top-label view: the calibrated confidence of each row's predicted class (reduction 'top-label' only). Cost O(N·K). */
export function topLabelConfidences<P>(family: BinaryMapFamily<P>, map: P, logits: Matrix): Float64Array {
  const { rows: N, cols: K, data } = logits;
  const lnP = new Float64Array(K), lnQ = new Float64Array(K);
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    logPairRow(data, K, i, lnP, lnQ, 0);
    let best = 0;
    for (let k = 1; k < K; k++) if ((lnP[k] as number) > (lnP[best] as number)) best = k;
    out[i] = family.apply(map, lnP[best] as number, lnQ[best] as number);
  }
  return out;
}
