/**
 * The one set of input checks every calibrator runs: shapes, finiteness, label range, the class count of a
 * fitted model, and the caller's output buffer. Every failure is a CalibraError naming the place and the fix.
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import type { CalibrationInput, CalibratorSpec, FittedCalibrator, LabelledInput } from './types.js';

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

/**
 * Checks that a library caller passed a matrix `{ data, rows, cols }` (row-major Float64Array or Float32Array)
 * where one is expected, so a nested array, a missing field or a wrong length is a CalibraError naming the
 * argument and the fix instead of a TypeError deep inside a method. Cost O(1).
 */
export function checkMatrixArgument(value: unknown, what: string, method: string): void {
  if (Array.isArray(value)) throw new CalibraError('E_SHAPE', `${method}: ${what} must be a matrix {data, rows, cols} (got a nested array)`, { fix: `use matrixFromRows(rows) to build one from nested arrays` });
  const m = value as Partial<Matrix> | null | undefined;
  if (m === null || typeof m !== 'object' || !(m.data instanceof Float64Array || m.data instanceof Float32Array)) {
    throw new CalibraError('E_SHAPE', `${method}: ${what} must be a matrix {data: Float64Array | Float32Array, rows, cols} (got ${m === null ? 'null' : typeof m === 'object' ? `an object without a typed-array data field` : typeof m})`, { fix: 'use matrixFromRows(rows) for nested arrays, or asMatrix(data, rows, cols)' });
  }
  if (!Number.isInteger(m.rows) || !Number.isInteger(m.cols) || (m.rows as number) < 0 || (m.cols as number) < 0) {
    throw new CalibraError('E_SHAPE', `${method}: ${what} needs integer rows and cols (got ${String(m.rows)} × ${String(m.cols)})`, { fix: 'give {data, rows, cols} with rows·cols = data.length' });
  }
  if (m.data.length !== (m.rows as number) * (m.cols as number)) {
    throw new CalibraError('E_SHAPE', `${method}: ${what} data length ${m.data.length} != ${String(m.rows)}x${String(m.cols)}`, { fix: 'give a row-major matrix with rows·cols entries' });
  }
}

function checkInputArgument(input: unknown, method: string, labelled: boolean): void {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new CalibraError('E_SHAPE', `${method}: expected ${labelled ? '{ logits, labels }' : '{ logits }'} (got ${Array.isArray(input) ? 'an array' : String(input)})`, { fix: labelled ? 'call fit({ logits: matrixFromRows(rows), labels: Int32Array.from(labels) }, {}, { seed: 0 })' : 'call predictProba({ logits: matrixFromRows(rows) })' });
  }
  const x = input as { logits?: unknown; labels?: unknown; probs?: unknown };
  checkMatrixArgument(x.logits, 'logits', method);
  if (x.probs !== undefined) checkMatrixArgument(x.probs, 'probs', method);
  if (!labelled) return;
  const y = x.labels;
  if (!(y instanceof Int32Array) && !(Array.isArray(y) && y.every((v) => Number.isInteger(v)))) {
    throw new CalibraError('E_SHAPE', `${method}: labels must be an Int32Array (or an array) of class indices (got ${Array.isArray(y) ? 'an array with non-integers' : y === undefined ? 'nothing' : typeof y})`, { fix: 'give Int32Array.from(labels)' });
  }
}

const GUARDED = new WeakMap<CalibratorSpec, CalibratorSpec>();

/** `model` with its predict methods checking their argument first (same prototype, so instanceof still holds). */
function guardedModel(model: FittedCalibrator): FittedCalibrator {
  const g = Object.create(model) as { -readonly [K in keyof FittedCalibrator]: FittedCalibrator[K] };
  g.predictProba = (input, out) => { checkInputArgument(input, model.method, false); return model.predictProba(input, out); };
  const temps = model.predictTemperatures;
  if (temps !== undefined) g.predictTemperatures = (input) => { checkInputArgument(input, model.method, false); return temps.call(model, input); };
  g.toJSON = () => model.toJSON();
  return g;
}

/**
 * The library face of a spec: `fit(data, options = {}, ctx = { seed: 0 })` checks its arguments (matrix, labels,
 * options object) before the method runs, and the fitted or loaded model checks what it is given to predict.
 * What `getCalibrator` returns. Cost O(1) per call on top of the method's own checks.
 */
export function guardedSpec(spec: CalibratorSpec): CalibratorSpec {
  const known = GUARDED.get(spec);
  if (known !== undefined) return known;
  const g: CalibratorSpec = {
    ...spec,
    fit(data, options, ctx) {
      checkInputArgument(data, spec.id, true);
      if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
        throw new CalibraError('E_OPTION', `${spec.id}: options must be an object of key: value (got ${Array.isArray(options) ? 'an array' : String(options)})`, { fix: 'pass {} for the defaults, e.g. fit(data, {}, { seed: 0 })' });
      }
      const labels = data.labels instanceof Int32Array ? data.labels : Int32Array.from(data.labels as ArrayLike<number>);
      const result = spec.fit({ ...data, labels }, options ?? {}, ctx ?? { seed: 0 });
      return { ...result, model: guardedModel(result.model) };
    },
    load(json) { return guardedModel(spec.load(json)); },
  };
  GUARDED.set(spec, g);
  return g;
}
