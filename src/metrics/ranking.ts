/**
 * Metrics that rank samples by confidence: misclassification detection (AUROC, AUPR, FPR@95%TPR),
 * selective risk (AURC, E-AURC) and the Kolmogorov-Smirnov calibration error. Each takes the confidences,
 * the 0/1 correctness and one shared ascending order (see `stableOrder`), so a report sorts once.
 * Tied confidences are always handled as one block, which makes every function here independent of input order.
 */

/**
 * AUROC of confidence as a detector of correct predictions (Hendrycks & Gimpel, ICLR 2017): the
 * Mann-Whitney statistic with average ranks for ties (= sklearn `roc_auc_score`). NaN when all predictions
 * are correct or all wrong. Cost O(N) given the order.
 * @example
 * import { stableOrder } from './binning.js';
 * // fixture D1 of docs/metrics.md §0 (top-label confidence and correctness); 14/15 by hand
 * const conf = Float64Array.of(0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67);
 * const correct = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1);
 * auroc(conf, correct, stableOrder(conf)) // ~> 0.9333333333
 */
export function auroc(conf: Float64Array, correct: Uint8Array, order: Int32Array): number {
  const n = order.length;
  let pos = 0;
  let rankSum = 0;
  let r = 0;
  while (r < n) {
    let e = r + 1;
    const v = conf[order[r] as number] as number;
    while (e < n && conf[order[e] as number] === v) e++;
    const avgRank = (r + 1 + e) / 2; // ranks r+1..e
    let p = 0;
    for (let j = r; j < e; j++) p += correct[order[j] as number] as number;
    pos += p;
    rankSum += p * avgRank;
    r = e;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/**
 * Average precision (sklearn `average_precision_score`: Σ (R_n − R_{n−1}) P_n over distinct thresholds)
 * with correct predictions as positives and confidence as score (`positive = 'correct'`, AUPR-Success), or
 * wrong predictions as positives scored by −confidence (`'wrong'`, AUPR-Error). NaN without positives. Cost O(N).
 */
export function averagePrecision(conf: Float64Array, correct: Uint8Array, order: Int32Array, positive: 'correct' | 'wrong'): number {
  const n = order.length;
  const want = positive === 'correct' ? 1 : 0;
  let totalPos = 0;
  for (let j = 0; j < n; j++) if (correct[order[j] as number] === want) totalPos++;
  if (totalPos === 0) return Number.NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  // 'correct': thresholds from the highest confidence down; 'wrong': from the lowest up
  let r = positive === 'correct' ? n - 1 : 0;
  const step = positive === 'correct' ? -1 : 1;
  while (r >= 0 && r < n) {
    const v = conf[order[r] as number] as number;
    let dp = 0;
    let e = r;
    while (e >= 0 && e < n && conf[order[e] as number] === v) { if (correct[order[e] as number] === want) dp++; seen++; e += step; }
    tp += dp;
    if (dp > 0) ap += (dp / totalPos) * (tp / seen);
    r = e;
  }
  return ap;
}

/**
 * False-positive rate at 95 % true-positive rate, correct = positive (DeVries & Taylor 2018; daintlab CRL
 * code): the ROC point (one per distinct confidence, highest first) whose TPR is nearest to 0.95, first on
 * ties; no interpolation. NaN when all correct or all wrong. Cost O(N).
 */
export function fprAt95Tpr(conf: Float64Array, correct: Uint8Array, order: Int32Array): number {
  const n = order.length;
  let pos = 0;
  for (let j = 0; j < n; j++) pos += correct[j] as number;
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  let tp = 0;
  let fp = 0;
  let best = Math.abs(0 - 0.95);
  let bestFpr = 0;
  let r = n - 1;
  while (r >= 0) {
    const v = conf[order[r] as number] as number;
    while (r >= 0 && conf[order[r] as number] === v) { if (correct[order[r] as number] === 1) tp++; else fp++; r--; }
    const d = Math.abs(tp / pos - 0.95);
    if (d < best) { best = d; bestFpr = fp / neg; }
  }
  return bestFpr;
}

/**
 * Area under the risk-coverage curve (Geifman, Uziel & El-Yaniv, ICLR 2019): samples by confidence
 * descending, ρ_i = errors among the top i / i, AURC = mean_i ρ_i. Within a block of tied confidences the
 * errors are spread evenly (the mean over all orders of the block), so the value does not depend on input
 * order. Cost O(N).
 */
export function aurc(conf: Float64Array, correct: Uint8Array, order: Int32Array): number {
  const n = order.length;
  if (n === 0) return Number.NaN;
  let errorsBefore = 0;
  let sum = 0;
  let i = 0; // samples taken so far
  let r = n - 1;
  while (r >= 0) {
    const v = conf[order[r] as number] as number;
    let e = r;
    let blockErrors = 0;
    while (e >= 0 && conf[order[e] as number] === v) { if (correct[order[e] as number] === 0) blockErrors++; e--; }
    const m = r - e;
    for (let j = 1; j <= m; j++) sum += (errorsBefore + (blockErrors * j) / m) / (i + j);
    errorsBefore += blockErrors;
    i += m;
    r = e;
  }
  return sum / n;
}

/**
 * Excess AURC: AURC − AURC*, with the continuous optimum AURC* = r + (1 − r) ln(1 − r) for error rate r
 * (daintlab CRL `aurc_eaurc`; AURC* = 1 at r = 1). Pass `aurcValue` when AURC is already known. Cost O(N).
 */
export function eaurc(conf: Float64Array, correct: Uint8Array, order: Int32Array, aurcValue = aurc(conf, correct, order)): number {
  const n = order.length;
  let errors = 0;
  for (let j = 0; j < n; j++) if (correct[j] === 0) errors++;
  const rate = errors / n;
  const optimal = rate >= 1 ? 1 : rate + (1 - rate) * Math.log(1 - rate);
  return aurcValue - optimal;
}

/**
 * Kolmogorov-Smirnov calibration error (Gupta et al., ICLR 2021): max over prefixes of the ascending
 * confidence order of |(1/N) Σ (c_j − a_j)|, evaluated only at the ends of tie blocks. Cost O(N).
 * @example
 * import { stableOrder } from './binning.js';
 * // fixture D1 of docs/metrics.md §0 (top-label confidence and correctness)
 * const conf = Float64Array.of(0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67);
 * const correct = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1);
 * ksError(conf, correct, stableOrder(conf)) // ~> 0.1375
 */
export function ksError(conf: Float64Array, correct: Uint8Array, order: Int32Array): number {
  const n = order.length;
  if (n === 0) return Number.NaN;
  let s = 0;
  let best = 0;
  let r = 0;
  while (r < n) {
    const v = conf[order[r] as number] as number;
    while (r < n && conf[order[r] as number] === v) { s += v - (correct[order[r] as number] as number); r++; }
    best = Math.max(best, Math.abs(s));
  }
  return best / n;
}
