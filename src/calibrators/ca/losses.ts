/**
 * Per-sample losses of a per-sample temperature T acting on logits z (p = softmax(z/T), z̄ = Σ_j p_j z_j),
 * each with its exact derivative dl/dT, and the per-batch weighted reduction of the CA paper.
 *
 * - `ca` (Liu et al. 2024, ca-method.md §1.1): l = (ĉ − c)², ĉ = p_k at the unchanged argmax k, c = 1[k = y];
 *   dĉ/dT = ĉ (z̄ − z_k)/T², so dl/dT = 2(ĉ − c) ĉ (z̄ − z_k)/T².
 * - `ce` ("CE only" ablation): l = −ln p_y; dl/dT = (z_y − z̄)/T².
 * - `mse` (full-vector Brier): l = Σ_j (p_j − 1[j=y])²; dl/dT = Σ_j 2(p_j − 1[j=y]) p_j (z̄ − z_j)/T².
 *
 * Batch reduction L = Σ w_i l_i / Σ w_i; `balanced`: w_i = 1 − a for correct and a for wrong samples
 * (a = batch accuracy), which equals ½·mean_correct l + ½·mean_wrong l; `none`: w_i = 1.
 */
import type { FloatArray } from '../../math/matrix.js';
import { softmaxRowInto } from '../../math/softmax.js';
import type { CaLoss, CaWeighting } from './options.js';

/** Smallest probability inside a log (CE loss and NLL). */
export const LOG_EPS = 1e-300;

/**
 * Loss of row r of `logits` at temperature T; writes dl/dT into `dT[0]` and softmax(z/T) into `probs`.
 * Cost: O(C), no allocation.
 */
export function sampleLoss(loss: CaLoss, logits: FloatArray, cols: number, r: number, label: number, pred: number, T: number, probs: Float64Array, dT: Float64Array): number {
  const invT = 1 / T;
  softmaxRowInto(logits, cols, r, invT, probs, 0);
  const base = r * cols;
  let zbar = 0;
  for (let j = 0; j < cols; j++) zbar += (probs[j] as number) * (logits[base + j] as number);
  const invT2 = invT * invT;
  if (loss === 'ca') {
    const conf = probs[pred] as number;
    const diff = conf - (pred === label ? 1 : 0);
    dT[0] = 2 * diff * conf * (zbar - (logits[base + pred] as number)) * invT2;
    return diff * diff;
  }
  if (loss === 'ce') {
    dT[0] = ((logits[base + label] as number) - zbar) * invT2;
    return -Math.log(Math.max(probs[label] as number, LOG_EPS));
  }
  let l = 0;
  let d = 0;
  for (let j = 0; j < cols; j++) {
    const pj = probs[j] as number;
    const e = pj - (j === label ? 1 : 0);
    l += e * e;
    d += 2 * e * pj * (zbar - (logits[base + j] as number));
  }
  dT[0] = d * invT2;
  return l;
}

/**
 * Weights of the samples `index[start..end)` into `w[0..end-start)`; returns Σw. With `balanced`, a batch
 * that is all-correct or all-wrong (Σw = 0, NaN in the published code) falls back to unit weights and
 * `guard[0]` is incremented. Cost: O(batch).
 */
export function batchWeights(weighting: CaWeighting, correct: Uint8Array, index: Int32Array, start: number, end: number, w: Float64Array, guard: Int32Array): number {
  const n = end - start;
  if (weighting === 'balanced') {
    let nc = 0;
    for (let i = start; i < end; i++) nc += correct[index[i] as number] as number;
    const acc = nc / n;
    let sum = 0;
    for (let i = start; i < end; i++) {
      const wi = correct[index[i] as number] === 1 ? 1 - acc : acc;
      w[i - start] = wi;
      sum += wi;
    }
    if (sum > 0) return sum;
    guard[0] = (guard[0] as number) + 1;
  }
  for (let i = 0; i < n; i++) w[i] = 1;
  return n;
}
