/**
 * Scores used by the CA experiment scripts (docs/ca.md): accuracy, ECE with 25 equal-width bins (the CA paper's),
 * NLL, top-label Brier (the paper's `bs`), AUROC of confidence for correct-vs-wrong, mean temperature.
 */
import type { Matrix } from '../src/math/matrix.js';
import { argmaxRows } from '../src/math/softmax.js';
import { stableOrder } from '../src/metrics/binning.js';
import { caPaperEce } from '../src/metrics/ca-paper.js';
import { auroc } from '../src/metrics/ranking.js';

/** One row of a results table. */
export interface Scores { acc: number; ece: number; nll: number; brier: number; auroc: number; meanT: number }
/** Scores of calibrated probabilities (N×C) against labels; `T` = per-sample temperatures. Cost O(N·C + N log N). */
export function score(probs: Matrix<Float64Array>, labels: Int32Array, T: ArrayLike<number>): Scores {
  const n = labels.length, C = probs.cols;
  const pred = argmaxRows(probs);
  const conf = new Float64Array(n), correct = new Uint8Array(n);
  let nll = 0, brier = 0, meanT = 0;
  for (let i = 0; i < n; i++) {
    conf[i] = probs.data[i * C + (pred[i] as number)] as number;
    correct[i] = pred[i] === labels[i] ? 1 : 0;
    nll -= Math.log(Math.max(probs.data[i * C + (labels[i] as number)] as number, 1e-300));
    brier += ((conf[i] as number) - (correct[i] as number)) ** 2;
    meanT += T[i] as number;
  }
  const acc = correct.reduce((a, b) => a + b, 0) / n;
  return { acc, ece: caPaperEce(conf, correct, 25), nll: nll / n, brier: brier / n, auroc: auroc(conf, correct, stableOrder(conf)), meanT: meanT / n };
}

