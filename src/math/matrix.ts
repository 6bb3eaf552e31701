/**
 * The matrix shape used across calibra: row-major numbers with explicit rows and cols.
 * Kept apart by role in names: logits, probs, confidences, labels (labels are Int32Array).
 */
import { CalibraError } from '../errors.js';
export type FloatArray = Float32Array | Float64Array;

export interface Matrix<T extends FloatArray = FloatArray> {
  readonly data: T;
  readonly rows: number;
  readonly cols: number;
}

/** A Float64 matrix of the given shape, zero-filled. Cost: O(rows*cols) memory. */
export function zerosMatrix(rows: number, cols: number): Matrix<Float64Array> {
  return { data: new Float64Array(rows * cols), rows, cols };
}

/**
 * A Float64 matrix from nested arrays (one inner array per row, all the same length). Throws CalibraError
 * E_SHAPE naming the first ragged or non-numeric row. Cost O(rows·cols).
 * @example matrixFromRows([[2, 0.5], [0.1, 1]]) // => { data: Float64Array.of(2, 0.5, 0.1, 1), rows: 2, cols: 2 }
 */
export function matrixFromRows(rows: readonly (readonly number[])[]): Matrix<Float64Array> {
  if (!Array.isArray(rows)) throw new CalibraError('E_SHAPE', 'matrixFromRows: expected an array of rows', { fix: 'give [[...], [...], ...]' });
  const cols = rows.length > 0 && Array.isArray(rows[0]) ? (rows[0] as readonly number[]).length : 0;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== cols) throw new CalibraError('E_SHAPE', `matrixFromRows: row ${r} has ${Array.isArray(row) ? row.length : 'no'} entries, row 0 has ${cols}`, { where: `row ${r}`, fix: 'give rows of equal length' });
    row.forEach((v, c) => {
      if (typeof v !== 'number') throw new CalibraError('E_SHAPE', `matrixFromRows: entry (${r}, ${c}) is ${typeof v}, not a number`, { where: `row ${r}, column ${c}`, fix: 'give numbers' });
      data[r * cols + c] = v;
    });
  });
  return { data, rows: rows.length, cols };
}

/** Wraps a typed array as a matrix; checks that the length is rows*cols. */
export function asMatrix<T extends FloatArray>(data: T, rows: number, cols: number): Matrix<T> {
  if (data.length !== rows * cols) throw new RangeError(`asMatrix: length ${data.length} != ${rows}x${cols}`);
  return { data, rows, cols };
}

/** Rows `start..end` of `m`, sharing memory (subarray). */
export function sliceRows<T extends FloatArray>(m: Matrix<T>, start: number, end: number): Matrix<T> {
  return { data: m.data.subarray(start * m.cols, end * m.cols) as T, rows: end - start, cols: m.cols };
}

/** Selects rows by index into a new Float64 matrix. */
export function takeRows(m: Matrix, index: ArrayLike<number>): Matrix<Float64Array> {
  const out = new Float64Array(index.length * m.cols);
  for (let i = 0; i < index.length; i++) {
    const r = index[i] as number;
    out.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), i * m.cols);
  }
  return { data: out, rows: index.length, cols: m.cols };
}

/** Selects entries by index into a new Int32Array. */
export function takeLabels(labels: Int32Array, index: ArrayLike<number>): Int32Array {
  const out = new Int32Array(index.length);
  for (let i = 0; i < index.length; i++) out[i] = labels[index[i] as number] as number;
  return out;
}
