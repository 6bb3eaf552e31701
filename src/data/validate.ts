/**
 * Turning parsed arrays into calibra's inputs, with every check in one place (STYLE.md: data/ is the only
 * place input is checked). Browser-safe. Positions in messages are 0-based row and column indices.
 */
import { CalibraError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import type { NpyNumericData } from './dtype.js';
import { toFloat64Array } from './npy.js';

/** Any parsed numeric array (from .npy, .csv or .json). */
export interface NumericArray {
  readonly shape: readonly number[];
  readonly data: NpyNumericData;
}

/** Default tolerance on |sum of a probability row - 1|. */
export const DEFAULT_PROBS_TOLERANCE = 1e-4;

function at(source: string | undefined): { source?: string } {
  return source === undefined ? {} : { source };
}

function asRowsCols(a: NumericArray, what: string, source: string | undefined): { rows: number; cols: number } {
  if (a.shape.length === 1) return { rows: a.shape[0] as number, cols: 1 };
  if (a.shape.length === 2) return { rows: a.shape[0] as number, cols: a.shape[1] as number };
  throw new CalibraError('E_SHAPE', `${what} must be an N×K matrix or an N-vector, got shape (${a.shape.join(', ')})`, { ...at(source), fix: a.shape.length === 0 ? 'save an array, not a scalar' : `reshape to 2-D first, e.g. np.save(f, a.reshape(len(a), -1))` });
}

function nonEmpty(rows: number, cols: number, what: string, source: string | undefined): void {
  if (rows === 0 || cols === 0) throw new CalibraError('E_EMPTY', `${what} has no ${rows === 0 ? 'rows' : 'columns'} (shape ${rows}×${cols})`, { ...at(source), fix: 'give at least one sample and one class' });
}

/** Values per block of {@link checkFinite}'s branch-free scan. */
const FINITE_BLOCK = 4096;

/**
 * Throws E_NON_FINITE naming the first NaN/Inf by row and column. Each block of values is summed as v·0
 * (0 for a finite v, NaN for NaN or ±Inf) without a branch per value, and only a block whose sum is not 0 is
 * searched for its first bad value (about 25 % faster than a test per value on 5·10⁷ float32 values).
 * Cost: O(rows * cols).
 */
export function checkFinite(m: Matrix, what: string, source?: string): void {
  const d = m.data;
  const n = d.length;
  for (let s = 0; s < n; s += FINITE_BLOCK) {
    const e = Math.min(n, s + FINITE_BLOCK);
    let acc = 0;
    for (let i = s; i < e; i++) acc += (d[i] as number) * 0;
    if (acc === 0) continue;
    for (let i = s; i < e; i++) {
      const v = d[i] as number;
      if (v - v !== 0) {
        throw new CalibraError('E_NON_FINITE', `${what} hold ${v} (only finite numbers are allowed)`, { ...at(source), where: `row ${Math.floor(i / m.cols)}, column ${i % m.cols}`, fix: 'fix or drop that sample before calibrating; non-finite values are never skipped silently' });
      }
    }
  }
}

/**
 * How loaded floating-point data is stored: `'float64'` converts everything to Float64Array (the default);
 * `'native'` keeps Float32Array data (float32 and float16 files) as it is, halving memory and skipping a
 * conversion pass. Values are identical either way (float32 → float64 is exact); consumers accumulate in
 * float64.
 */
export type FloatStorage = 'float64' | 'native';

function floatValues(data: NpyNumericData, storage: FloatStorage): Float64Array | Float32Array {
  return storage === 'native' && data instanceof Float32Array ? data : toFloat64Array(data);
}

/**
 * Logits from a parsed array: an N×K matrix of finite numbers (K >= 2), or, for a binary problem, an
 * N-vector (or N×1 matrix) of logits z of class 1, which becomes N×2 rows `[0, z]` (softmax gives
 * `[1 - sigmoid(z), sigmoid(z)]`). With `storage = 'native'` float32 data stays Float32Array.
 * Cost: O(N*K).
 * @example arrayToLogits({shape: [2], data: new Float64Array([0, 1])}).cols // => 2
 */
export function arrayToLogits(a: NumericArray, source?: string, storage?: 'float64'): Matrix<Float64Array>;
export function arrayToLogits(a: NumericArray, source: string | undefined, storage: FloatStorage): Matrix;
export function arrayToLogits(a: NumericArray, source?: string, storage: FloatStorage = 'float64'): Matrix {
  const { rows, cols } = asRowsCols(a, 'logits', source);
  nonEmpty(rows, cols, 'logits', source);
  const values = floatValues(a.data, storage);
  let m: Matrix;
  if (cols === 1) {
    const data = new Float64Array(rows * 2);
    for (let i = 0; i < rows; i++) data[2 * i + 1] = values[i] as number;
    m = { data, rows, cols: 2 };
    checkFinite({ data: values, rows, cols: 1 }, 'logits', source);
  } else {
    m = { data: values, rows, cols };
    checkFinite(m, 'logits', source);
  }
  return m;
}

/**
 * Probabilities from a parsed array: an N×K matrix with entries in [0, 1] and rows summing to 1 within
 * `tolerance` (default 1e-4), or an N-vector (or N×1 matrix) of P(y = 1), which becomes N×2 rows `[1-p, p]`.
 * With `storage = 'native'` float32 data stays Float32Array (row sums are still taken in float64).
 * Throws E_NON_FINITE or E_PROBS naming the row. Cost: O(N*K).
 */
export function arrayToProbs(a: NumericArray, source?: string, tolerance?: number, storage?: 'float64'): Matrix<Float64Array>;
export function arrayToProbs(a: NumericArray, source: string | undefined, tolerance: number | undefined, storage: FloatStorage): Matrix;
export function arrayToProbs(a: NumericArray, source?: string, tolerance = DEFAULT_PROBS_TOLERANCE, storage: FloatStorage = 'float64'): Matrix {
  const { rows, cols } = asRowsCols(a, 'probabilities', source);
  nonEmpty(rows, cols, 'probabilities', source);
  const values = floatValues(a.data, storage);
  checkFinite({ data: values, rows, cols }, 'probabilities', source);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < 0 || v > 1) {
      throw new CalibraError('E_PROBS', `probability ${v} is outside [0, 1]`, { ...at(source), where: `row ${Math.floor(i / cols)}, column ${i % cols}`, fix: 'pass raw scores with --logits instead of --probs, or apply softmax first' });
    }
  }
  if (cols === 1) {
    const data = new Float64Array(rows * 2);
    for (let i = 0; i < rows; i++) {
      data[2 * i] = 1 - (values[i] as number);
      data[2 * i + 1] = values[i] as number;
    }
    return { data, rows, cols: 2 };
  }
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < cols; c++) s += values[r * cols + c] as number;
    if (Math.abs(s - 1) > tolerance) {
      throw new CalibraError('E_PROBS', `row sums to ${s}, not 1 (tolerance ${tolerance})`, { ...at(source), where: `row ${r}`, fix: 'normalise each row (p / p.sum(axis=1, keepdims=True)), or pass raw scores with --logits instead' });
    }
  }
  return { data: values, rows, cols };
}

/**
 * Integer class labels from a parsed array: an N-vector (or N×1) of integers (integral floats and bools
 * accepted), or an N×K one-hot matrix (exactly one 1 per row, the rest 0). With `numClasses`, labels must be
 * below it (E_LABEL_RANGE naming the row) and a one-hot matrix must have that many columns.
 * Cost: O(N*K).
 * @example arrayToLabels({shape: [3], data: new Float64Array([0, 2, 1])}, 3) // => Int32Array.of(0, 2, 1)
 */
export function arrayToLabels(a: NumericArray, numClasses?: number, source?: string): Int32Array {
  const { rows, cols } = asRowsCols(a, 'labels', source);
  nonEmpty(rows, cols, 'labels', source);
  const values = a.data;
  const out = new Int32Array(rows);
  const limit = numClasses ?? 2 ** 31 - 1;
  const rangeFix = numClasses !== undefined ? `labels must be integers in [0, ${numClasses - 1}] (the logits have ${numClasses} columns); check that labels and logits come from the same dataset` : 'labels must be integers from 0';
  if (cols === 1) {
    for (let r = 0; r < rows; r++) {
      const v = Number(values[r] as number | bigint);
      if (!Number.isInteger(v)) {
        throw new CalibraError('E_LABEL_TYPE', `label ${v} is not an integer`, { ...at(source), where: `row ${r}`, fix: 'give class indices 0..K-1 (not probabilities or names)' });
      }
      if (v < 0 || v >= limit) throw new CalibraError('E_LABEL_RANGE', `label ${v} is out of range`, { ...at(source), where: `row ${r}`, fix: rangeFix });
      out[r] = v;
    }
    return out;
  }
  if (numClasses !== undefined && cols !== numClasses) {
    throw new CalibraError('E_SHAPE', `one-hot labels have ${cols} columns but there are ${numClasses} classes`, { ...at(source), fix: 'give one column per class, or integer labels' });
  }
  for (let r = 0; r < rows; r++) {
    let hot = -1;
    for (let c = 0; c < cols; c++) {
      const v = Number(values[r * cols + c] as number | bigint);
      if (v === 1 && hot < 0) hot = c;
      else if (v !== 0) {
        throw new CalibraError('E_LABEL_TYPE', `row is not one-hot (value ${v} at column ${c}${v === 1 ? ', a second 1' : ''})`, { ...at(source), where: `row ${r}, column ${c}`, fix: 'each row of one-hot labels needs exactly one 1 and zeros elsewhere; or give integer labels' });
      }
    }
    if (hot < 0) throw new CalibraError('E_LABEL_TYPE', 'row is not one-hot (no 1)', { ...at(source), where: `row ${r}`, fix: 'each row of one-hot labels needs exactly one 1 and zeros elsewhere; or give integer labels' });
    out[r] = hot;
  }
  return out;
}

/**
 * Throws E_SHAPE, naming both files, when logits and labels disagree on the number of samples.
 * Cost: O(1).
 */
export function checkSameRows(rows: number, labels: number, rowsSource: string, labelsSource: string): void {
  if (rows !== labels) {
    throw new CalibraError('E_SHAPE', `${rows} rows here but ${labels} labels in ${labelsSource}`, { source: rowsSource, fix: 'give one label per row, for the same samples in the same order' });
  }
}
