/**
 * Multiclass reductions for the binary scaling maps (Platt, beta), calibrators.md §1.2 (fitted by the one
 * driver in core/reduction.ts):
 * - K = 2: one map on class 1, `p0 = 1 − p1` (reduction 'none');
 * - 'ovr': one map per class on `1[y = k]`, rows normalised (all-zero rows become uniform) unless
 *   `independent`, which returns the K marginal probabilities as they are (rows then need not sum to 1);
 * - 'top-label': one map on the top confidence against correctness; the predicted class gets the new
 *   confidence c′ and the others share 1 − c′ in proportion to their original probabilities (the argmax can
 *   change when c′ < 1/2, so this is not argmax-preserving).
 * Each map reads (p, ln p, ln(1 − p)): the user's probabilities exactly when given (`CalibrationInput.probs`),
 * else computed stably from the logits, so no probability is rounded to 0 or 1 before a log is taken.
 */
import { argmaxRow } from '../../math/softmax.js';
import { fitReduction } from '../core/reduction.js';
import type { CalibrationInput, Reduction } from '../core/types.js';

/**
 * Probability, log-probability and log-complement of every entry: P[i·K+k] = p_ik, lnP = ln p_ik,
 * lnQ = ln(1 − p_ik). From the user's probabilities when `input.probs` is given (p exactly as given, a zero
 * giving ln p = −∞ for the map's own clip), else stably from the logits. Cost O(N·K).
 */
export function logProbPairs(input: CalibrationInput): { P: Float64Array; lnP: Float64Array; lnQ: Float64Array } {
  const { rows: N, cols: K } = input.logits;
  const P = new Float64Array(N * K), lnP = new Float64Array(N * K), lnQ = new Float64Array(N * K);
  for (let i = 0; i < N; i++) pairRow(input, K, i, P, lnP, lnQ, i * K);
  return { P, lnP, lnQ };
}

/** One row of {@link logProbPairs} into the given arrays at `off`. */
export function pairRow(input: CalibrationInput, K: number, i: number, P: Float64Array, lnP: Float64Array, lnQ: Float64Array, off: number): void {
  const base = i * K;
  if (input.probs !== undefined) {
    const d = input.probs.data;
    for (let k = 0; k < K; k++) {
      const p = d[base + k] as number;
      P[off + k] = p; lnP[off + k] = Math.log(p); lnQ[off + k] = Math.log1p(-p);
    }
    return;
  }
  const data = input.logits.data;
  let m = -Infinity, arg = 0;
  for (let k = 0; k < K; k++) { const z = data[base + k] as number; if (z > m) { m = z; arg = k; } }
  let s = 0, others = 0;
  for (let k = 0; k < K; k++) { const e = Math.exp((data[base + k] as number) - m); s += e; if (k !== arg) others += e; }
  const ls = Math.log(s);
  for (let k = 0; k < K; k++) {
    const lp = (data[base + k] as number) - m - ls;
    lnP[off + k] = lp;
    P[off + k] = Math.exp(lp);
    lnQ[off + k] = k === arg ? Math.log(others) - ls : Math.log1p(-Math.exp(lp));
  }
}

/** A binary map family: fit on (s, ln s, ln(1 − s), 0/1 targets), apply to one triple. */
export interface BinaryMapFamily<P> {
  fit(s: Float64Array, lnP: Float64Array, lnQ: Float64Array, targets: Uint8Array): { params: P; loss: number; iterations: number; converged: boolean; warnings: string[] };
  apply(params: P, s: number, lnP: number, lnQ: number): number;
}

/** Which maps a reduction fits: reduction name and map count. */
export function reductionFor(K: number, mode: 'ovr' | 'top-label'): { reduction: Reduction; maps: number } {
  if (K === 2) return { reduction: 'none', maps: 1 };
  return mode === 'ovr' ? { reduction: 'ovr', maps: K } : { reduction: 'top-label', maps: 1 };
}

/**
 * Fits the maps of a reduction on (p, ln p, ln(1 − p)) with the one driver {@link fitReduction}; returns the
 * per-map parameters and summed diagnostics. Top-label picks each row's class by the user's probabilities
 * when given, else by ln p. Cost: O(N·K) plus the maps' fits.
 */
export function fitBinaryMaps<P>(
  family: BinaryMapFamily<P>, input: CalibrationInput, labels: Int32Array, reduction: Reduction,
): { maps: P[]; loss: number; iterations: number; converged: boolean; warnings: string[] } {
  const { P: probs, lnP, lnQ } = logProbPairs(input);
  const byProbs = input.probs !== undefined;
  let loss = 0, iterations = 0, converged = true;
  const r = fitReduction(byProbs ? [probs, lnP, lnQ] : [lnP, probs, lnQ], input.logits.cols, labels, reduction === 'top-label' ? 'top-label' : 'ovr', (cols, t) => {
    const f = family.fit(cols[byProbs ? 0 : 1] as Float64Array, cols[byProbs ? 1 : 0] as Float64Array, cols[2] as Float64Array, t);
    loss += f.loss; iterations += f.iterations; converged &&= f.converged;
    return { map: f.params, warnings: f.warnings };
  });
  return { maps: r.maps, loss, iterations, converged, warnings: r.warnings };
}

/** Applies fitted maps to the input under a reduction; writes N×K into `dst`. Cost O(N·K). */
export function applyReduction<P>(
  family: BinaryMapFamily<P>, maps: readonly P[], input: CalibrationInput, reduction: Reduction, independent: boolean, dst: Float64Array,
): void {
  const { rows: N, cols: K } = input.logits;
  const S = new Float64Array(K), lnP = new Float64Array(K), lnQ = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    pairRow(input, K, i, S, lnP, lnQ, 0);
    const o = i * K;
    if (reduction === 'none') {
      const p1 = family.apply(maps[0] as P, S[1] as number, lnP[1] as number, lnQ[1] as number);
      dst[o] = 1 - p1; dst[o + 1] = p1;
    } else if (reduction === 'top-label') {
      const best = argmaxRow(input.probs !== undefined ? S : lnP, K, 0);
      const c = family.apply(maps[0] as P, S[best] as number, lnP[best] as number, lnQ[best] as number);
      let rest = 0;
      for (let k = 0; k < K; k++) if (k !== best) rest += S[k] as number;
      for (let k = 0; k < K; k++) {
        dst[o + k] = k === best ? c : rest > 0 ? (1 - c) * (S[k] as number) / rest : (1 - c) / (K - 1);
      }
    } else {
      let sum = 0;
      for (let k = 0; k < K; k++) { const v = family.apply(maps[k] as P, S[k] as number, lnP[k] as number, lnQ[k] as number); dst[o + k] = v; sum += v; }
      if (!independent) {
        if (sum > 0) for (let k = 0; k < K; k++) dst[o + k] = (dst[o + k] as number) / sum;
        else for (let k = 0; k < K; k++) dst[o + k] = 1 / K;
      }
    }
  }
}

/** Top-label view: the calibrated confidence of each row's predicted class (reduction 'top-label' only). Cost O(N·K). */
export function topLabelConfidences<P>(family: BinaryMapFamily<P>, map: P, input: CalibrationInput): Float64Array {
  const { rows: N, cols: K } = input.logits;
  const S = new Float64Array(K), lnP = new Float64Array(K), lnQ = new Float64Array(K);
  const out = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    pairRow(input, K, i, S, lnP, lnQ, 0);
    const best = argmaxRow(input.probs !== undefined ? S : lnP, K, 0);
    out[i] = family.apply(map, S[best] as number, lnP[best] as number, lnQ[best] as number);
  }
  return out;
}
