/**
 * The one set of input checks every calibrator runs: shapes, finiteness, label range, the class count of a
 * fitted model, and the caller's output buffer. Every failure is a CalibraError naming the place and the fix.
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import type { CalibrationInput, LabelledInput } from './types.js';

/**
 * Checks logits: at least one row, at least 2 columns (exactly `numClasses` when given), data length
 * rows·cols, every entry finite. Returns K. Cost: O(N·K).
 */
export function checkLogits(logits: Matrix, method: string, numClasses?: number): number {
  const { rows, cols, data } = logits;
  if (rows < 1) throw new CalibraError('E_EMPTY', `${method}: no rows to calibrate`, { fix: 'give at least one sample' });
  if (numClasses !== undefined && cols !== numClasses) {
    throw new CalibraError('E_SHAPE', `${method}: expected ${numClasses} columns, got ${cols}`, { fix: `the model was fitted on ${numClasses} classes: apply it to logits of the same classifier` });
  }
  if (cols < 2) throw new CalibraError('E_SHAPE', `${method}: need at least 2 classes, got ${cols} column(s)`, { fix: 'for a binary problem give N×2 logits or an N-vector of P(y=1) as probabilities' });
  if (data.length !== rows * cols) throw new CalibraError('E_SHAPE', `${method}: logits data length ${data.length} != ${rows}x${cols}`, { fix: 'give a row-major matrix with rows·cols entries' });
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) {
      const r = Math.floor(i / cols);
      throw new CalibraError('E_NON_FINITE', `${method}: non-finite logit ${String(data[i])}`, { where: `row ${r}, column ${i - r * cols}`, fix: 'remove or repair non-finite values' });
    }
  }
  return cols;
}

/**
 * Checks a labelled calibration set: {@link checkLogits}, one label per row, every label in [0, K). Returns K.
 * Cost: O(N·K).
 */
export function checkLabelled(data: LabelledInput, method: string): number {
  const K = checkLogits(data.logits, method);
  const { rows } = data.logits;
  if (data.labels.length !== rows) {
    throw new CalibraError('E_SHAPE', `${method}: ${rows} rows of logits but ${data.labels.length} labels`, { fix: 'give one label per row' });
  }
  for (let i = 0; i < rows; i++) {
    const y = data.labels[i] as number;
    if (!(y >= 0 && y < K)) {
      throw new CalibraError('E_LABEL_RANGE', `${method}: label ${y} is outside [0, ${K})`, { where: `row ${i}`, fix: `labels must be class indices below the number of columns (${K})` });
    }
  }
  return K;
}

/** Checks that input to a fitted model has the model's class count (and is finite). */
export function checkPredictInput(logits: Matrix, numClasses: number, method: string): void {
  checkLogits(logits, method, numClasses);
}

/** Output buffer for predictProba: `out` when given (checked), else a new array. */
export function outputBuffer(input: CalibrationInput, out: Float64Array | undefined, method: string): Float64Array {
  const n = input.logits.rows * input.logits.cols;
  if (out === undefined) return new Float64Array(n);
  if (out.length < n) throw new CalibraError('E_SHAPE', `${method}: output buffer has ${out.length} entries, needs ${n}`, { fix: `pass an output buffer of at least ${n} entries, or none` });
  return out;
}
