/**
 * The compact per-sample summary every non-class-wise metric needs: confidence, correctness, prediction,
 * label, and the per-sample Brier and NLL terms. 34 bytes a row, independent of the number of classes, so
 * a large N×K logits file is reduced to it chunk by chunk. Built in one fused pass over each row.
 */
import type { FloatArray, Matrix } from '../math/matrix.js';

/** Per-sample values derived from one probability row and its label. */
export interface SampleSummary {
  readonly n: number;
  readonly classes: number;
  /** c_i = max_k p_ik. */
  readonly confidences: Float64Array;
  /** a_i = 1[argmax_k p_ik = y_i] (first index on ties). */
  readonly correct: Uint8Array;
  readonly predicted: Int32Array;
  readonly labels: Int32Array;
  /** Σ_k (p_ik − 1[y_i = k])². */
  readonly brierTerms: Float64Array;
  /** −ln p_{i,y_i} (log-softmax when built from logits; ln max(p, NLL_EPS) from probabilities). */
  readonly nllTerms: Float64Array;
}

/** Probabilities are clipped at this value inside the log of the NLL when only probabilities are given. */
export const NLL_EPS = 1e-12;

/** A growable {@link SampleSummary}: rows are appended chunk by chunk; `view()` returns the filled part. */
export class SummaryBuilder {
  readonly classes: number;
  private size = 0;
  private conf: Float64Array;
  private corr: Uint8Array;
  private pred: Int32Array;
  private lab: Int32Array;
  private brier: Float64Array;
  private nll: Float64Array;

  constructor(classes: number, capacity = 1024) {
    this.classes = classes;
    const c = Math.max(1, capacity);
    this.conf = new Float64Array(c); this.corr = new Uint8Array(c); this.pred = new Int32Array(c);
    this.lab = new Int32Array(c); this.brier = new Float64Array(c); this.nll = new Float64Array(c);
  }

  /** Number of rows so far. */
  get length(): number { return this.size; }

  /** Forgets every row, keeping the buffers (for reuse across bootstrap replicates). */
  clear(): void { this.size = 0; }

  /** Makes room for `extra` more rows (amortised doubling). */
  reserve(extra: number): void {
    const need = this.size + extra;
    if (need <= this.conf.length) return;
    let cap = this.conf.length;
    while (cap < need) cap *= 2;
    const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => { const b = make(cap); b.set(a.subarray(0, this.size)); return b; };
    this.conf = grow(this.conf, (n) => new Float64Array(n)); this.corr = grow(this.corr, (n) => new Uint8Array(n));
    this.pred = grow(this.pred, (n) => new Int32Array(n)); this.lab = grow(this.lab, (n) => new Int32Array(n));
    this.brier = grow(this.brier, (n) => new Float64Array(n)); this.nll = grow(this.nll, (n) => new Float64Array(n));
  }

  /** Appends one row's values (call {@link reserve} first). */
  push(confidence: number, predicted: number, label: number, brierTerm: number, nllTerm: number): void {
    const i = this.size++;
    this.conf[i] = confidence; this.corr[i] = predicted === label ? 1 : 0; this.pred[i] = predicted;
    this.lab[i] = label; this.brier[i] = brierTerm; this.nll[i] = nllTerm;
  }

  /** Appends every row of another summary (exact merge of two partial summaries). */
  append(s: SampleSummary): void {
    this.reserve(s.n);
    this.conf.set(s.confidences, this.size); this.corr.set(s.correct, this.size); this.pred.set(s.predicted, this.size);
    this.lab.set(s.labels, this.size); this.brier.set(s.brierTerms, this.size); this.nll.set(s.nllTerms, this.size);
    this.size += s.n;
  }

  /** The rows so far (views sharing memory; later pushes may reallocate). */
  view(): SampleSummary {
    const n = this.size;
    return {
      n, classes: this.classes, confidences: this.conf.subarray(0, n), correct: this.corr.subarray(0, n), predicted: this.pred.subarray(0, n),
      labels: this.lab.subarray(0, n), brierTerms: this.brier.subarray(0, n), nllTerms: this.nll.subarray(0, n),
    };
  }
}

/**
 * Summary values of probability row `r` (no allocation): writes into `out` = [confidence, predicted,
 * brierTerm, nllTerm] for label `y`. Cost O(K).
 */
export function summarizeProbRow(p: FloatArray, base: number, cols: number, y: number, out: Float64Array): void {
  let best = 0;
  let bestV = p[base] as number;
  let brier = 0;
  for (let k = 0; k < cols; k++) {
    const v = p[base + k] as number;
    if (v > bestV) { bestV = v; best = k; }
    const d = k === y ? v - 1 : v;
    brier += d * d;
  }
  out[0] = bestV; out[1] = best; out[2] = brier;
  out[3] = -Math.log(Math.max(p[base + y] as number, NLL_EPS));
}

/**
 * Softmax of logits row `r` into `probRow` fused with the summary values (max subtracted, float64 sums,
 * NLL by log-softmax: ln Σ exp(z − max) + max − z_y). Writes [confidence, predicted, brierTerm, nllTerm]
 * into `out`. Cost O(K), no allocation.
 */
export function summarizeLogitRow(z: FloatArray, base: number, cols: number, y: number, probRow: Float64Array, out: Float64Array): void {
  let max = -Infinity;
  let best = 0;
  for (let k = 0; k < cols; k++) { const v = z[base + k] as number; if (v > max) { max = v; best = k; } }
  let sum = 0;
  for (let k = 0; k < cols; k++) { const e = Math.exp((z[base + k] as number) - max); probRow[k] = e; sum += e; }
  const inv = 1 / sum;
  let brier = 0;
  for (let k = 0; k < cols; k++) {
    const v = (probRow[k] as number) * inv;
    probRow[k] = v;
    const d = k === y ? v - 1 : v;
    brier += d * d;
  }
  out[0] = probRow[best] as number; out[1] = best; out[2] = brier;
  out[3] = Math.log(sum) + max - (z[base + y] as number);
}

/** The summary of a probability matrix (one pass). Cost O(N K) time, O(N) memory. */
export function summarizeProbs(probs: Matrix, labels: Int32Array): SampleSummary {
  const b = new SummaryBuilder(probs.cols, probs.rows);
  const tmp = new Float64Array(4);
  for (let r = 0; r < probs.rows; r++) {
    const y = labels[r] as number;
    summarizeProbRow(probs.data, r * probs.cols, probs.cols, y, tmp);
    b.push(tmp[0] as number, tmp[1] as number, y, tmp[2] as number, tmp[3] as number);
  }
  return b.view();
}

/** Rows `index[j]` of `s` gathered into `out` (a bootstrap resample; buffers reused). Cost O(len(index)). */
export function gatherSummary(s: SampleSummary, index: Int32Array, out: SummaryBuilder): SampleSummary {
  out.clear();
  out.reserve(index.length);
  for (let j = 0; j < index.length; j++) {
    const i = index[j] as number;
    out.push(s.confidences[i] as number, s.predicted[i] as number, s.labels[i] as number, s.brierTerms[i] as number, s.nllTerms[i] as number);
  }
  return out.view();
}
