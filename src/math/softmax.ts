/**
 * Numerically stable softmax kernels over row-major logits. Row max is subtracted before exp and the
 * sum is accumulated in float64. No allocation: callers pass `out`.
 */
import type { FloatArray, Matrix } from './matrix.js';

/** Softmax of row `r` of `logits` (scaled by 1/temperature) into `out[offset..offset+cols)`. Returns log-sum-exp of the scaled row. */
export function softmaxRowInto(
  logits: FloatArray, cols: number, r: number, invTemperature: number, out: FloatArray, outOffset: number,
): number {
  const base = r * cols;
  let max = -Infinity;
  for (let j = 0; j < cols; j++) {
    const z = (logits[base + j] as number) * invTemperature;
    if (z > max) max = z;
  }
  if (max === Infinity && invTemperature > 0) return softmaxRowOverflow(logits, cols, base, invTemperature, out, outOffset);
  let sum = 0;
  for (let j = 0; j < cols; j++) {
    const e = Math.exp((logits[base + j] as number) * invTemperature - max);
    out[outOffset + j] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let j = 0; j < cols; j++) out[outOffset + j] = (out[outOffset + j] as number) * inv;
  return max + Math.log(sum);
}

/**
 * The rare row whose scaled logits overflow (finite z, z / T = Infinity): the max is subtracted before
 * scaling, (z - max) / T, so the largest entries give exp(0) = 1 and the others underflow to 0, instead of
 * Infinity - Infinity = NaN. Returns Infinity (the log-sum-exp overflows).
 */
function softmaxRowOverflow(logits: FloatArray, cols: number, base: number, invTemperature: number, out: FloatArray, outOffset: number): number {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) max = Math.max(max, logits[base + j] as number);
  let sum = 0;
  for (let j = 0; j < cols; j++) {
    const d = (logits[base + j] as number) - max;
    const e = d === 0 ? 1 : Math.exp(d * invTemperature);
    out[outOffset + j] = e;
    sum += e;
  }
  for (let j = 0; j < cols; j++) out[outOffset + j] = (out[outOffset + j] as number) / sum;
  return Infinity;
}

/** Log-sum-exp of row `r` scaled by `scale`. */
export function logSumExpRow(logits: FloatArray, cols: number, r: number, scale = 1): number {
  const base = r * cols;
  let max = -Infinity;
  for (let j = 0; j < cols; j++) {
    const z = (logits[base + j] as number) * scale;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += Math.exp((logits[base + j] as number) * scale - max);
  return max + Math.log(sum);
}

/** Softmax of every row of `logits` divided by `temperature` (default 1). Returns a new Float64 matrix unless `out` is given. */
export function softmax(logits: Matrix, temperature = 1, out?: Float64Array): Matrix<Float64Array> {
  const { rows, cols } = logits;
  const dst = out ?? new Float64Array(rows * cols);
  const inv = 1 / temperature;
  for (let r = 0; r < rows; r++) softmaxRowInto(logits.data, cols, r, inv, dst, r * cols);
  return { data: dst, rows, cols };
}

/** Softmax with a per-row temperature. */
export function softmaxPerRowTemperature(logits: Matrix, temperatures: ArrayLike<number>, out?: Float64Array): Matrix<Float64Array> {
  const { rows, cols } = logits;
  const dst = out ?? new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) softmaxRowInto(logits.data, cols, r, 1 / (temperatures[r] as number), dst, r * cols);
  return { data: dst, rows, cols };
}

/** Natural log of each probability (clipped at `eps`), i.e. logits whose softmax gives back `probs`. */
export function probsToLogits(probs: Matrix, eps = 1e-12): Matrix<Float64Array> {
  const out = new Float64Array(probs.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.log(Math.max(probs.data[i] as number, eps));
  return { data: out, rows: probs.rows, cols: probs.cols };
}

/**
 * Index of the largest entry of row r: the first one on ties, and the first NaN when the row holds one,
 * like numpy's argmax (NaN propagates as the maximum: np.argmax([1, nan, 3]) == 1).
 */
export function argmaxRow(data: FloatArray, cols: number, r: number): number {
  const base = r * cols;
  let best = 0;
  let bestV = data[base] as number;
  if (bestV !== bestV) return 0;
  for (let j = 1; j < cols; j++) {
    const v = data[base + j] as number;
    if (v > bestV) { bestV = v; best = j; } else if (v !== v) return j;
  }
  return best;
}

/** Argmax of each row. */
export function argmaxRows(m: Matrix): Int32Array {
  const out = new Int32Array(m.rows);
  for (let r = 0; r < m.rows; r++) out[r] = argmaxRow(m.data, m.cols, r);
  return out;
}
