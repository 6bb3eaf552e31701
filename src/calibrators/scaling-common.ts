/**
 * Shared plumbing of the scaling calibrators (TS, VS, MS, Dirichlet, ETS, PTS, Platt, beta):
 * input checks, option parsing with documented defaults, the JSON envelope (calibrators.md §1.3)
 * and field readers for `load(json)` that name the bad field.
 */
import { CalibraError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import type { CalibrationInput, CalibratorJSON, LabelledInput, RawOptions, Reduction } from './types.js';

/** Format name and version written by every scaling calibrator. */
export const MODEL_FORMAT = 'calibra.calibrator';
export const MODEL_VERSION = 1;

/** Checks logits are non-empty and finite; returns K. Cost O(N·K). */
export function checkLogits(logits: Matrix, method: string, numClasses?: number): number {
  const { rows, cols, data } = logits;
  if (rows < 1 || cols < 1) throw new CalibraError('E_EMPTY', `${method}: logits are empty (${rows}x${cols})`, { fix: 'pass at least one row and one column' });
  if (data.length !== rows * cols) throw new CalibraError('E_SHAPE', `${method}: logits data length ${data.length} != ${rows}x${cols}`);
  if (numClasses !== undefined && cols !== numClasses) {
    throw new CalibraError('E_SHAPE', `${method}: expected ${numClasses} columns, got ${cols}`, { fix: 'apply the model to logits of the classifier it was fitted for' });
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) {
      const r = Math.floor(i / cols), c = i % cols;
      throw new CalibraError('E_NON_FINITE', `${method}: logit is ${data[i]}`, { where: `row ${r}, column ${c}`, fix: 'remove or repair non-finite logits' });
    }
  }
  return cols;
}

/** Checks a labelled calibration set: finite logits, one label per row, labels in [0, K). Returns K. */
export function checkLabelled(data: LabelledInput, method: string, minClasses = 2): number {
  const K = checkLogits(data.logits, method);
  if (K < minClasses) throw new CalibraError('E_SHAPE', `${method}: needs at least ${minClasses} classes, got ${K}`);
  const { labels } = data;
  if (labels.length !== data.logits.rows) {
    throw new CalibraError('E_SHAPE', `${method}: ${labels.length} labels for ${data.logits.rows} rows of logits`, { fix: 'pass one label per row' });
  }
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (!(y >= 0 && y < K)) {
      throw new CalibraError('E_LABEL_RANGE', `${method}: label ${y} is outside [0, ${K})`, { where: `row ${i}`, fix: `labels must be class indices below the number of logit columns (${K})` });
    }
  }
  return K;
}

/** Output buffer for predictProba: `out` when given (checked), else a new array. */
export function outputBuffer(input: CalibrationInput, out: Float64Array | undefined, method: string): Float64Array {
  const n = input.logits.rows * input.logits.cols;
  if (out === undefined) return new Float64Array(n);
  if (out.length < n) throw new CalibraError('E_SHAPE', `${method}: output buffer has ${out.length} entries, needs ${n}`);
  return out;
}

/** Parses and validates options against a table of defaults; unknown keys are an error. */
export class OptionReader {
  private readonly used = new Set<string>();
  constructor(private readonly method: string, private readonly raw: RawOptions, private readonly defaults: Readonly<Record<string, string | number | boolean>>) {}

  /** A number option; strings are parsed. */
  number(key: string, check: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {}): number {
    this.used.add(key);
    const v = this.raw[key] ?? this.defaults[key];
    const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    const bad = !Number.isFinite(x) || (check.integer === true && !Number.isInteger(x))
      || (check.min !== undefined && (check.exclusiveMin === true ? x <= check.min : x < check.min))
      || (check.max !== undefined && x > check.max);
    if (bad) {
      const range = `${check.integer === true ? 'an integer' : 'a number'}${check.min !== undefined ? ` ${check.exclusiveMin === true ? '>' : '>='} ${check.min}` : ''}${check.max !== undefined ? ` <= ${check.max}` : ''}`;
      throw new CalibraError('E_OPTION', `${this.method}: option ${key}=${String(v)} must be ${range}`, { where: `option '${key}'` });
    }
    return x;
  }

  /** A boolean option ("true"/"false" strings accepted). */
  bool(key: string): boolean {
    this.used.add(key);
    const v = this.raw[key] ?? this.defaults[key];
    if (v === true || v === 'true' || v === 1 || v === '1') return true;
    if (v === false || v === 'false' || v === 0 || v === '0') return false;
    throw new CalibraError('E_OPTION', `${this.method}: option ${key}=${String(v)} must be true or false`, { where: `option '${key}'` });
  }

  /** One of a fixed set of strings. */
  choice<T extends string>(key: string, allowed: readonly T[]): T {
    this.used.add(key);
    const v = String(this.raw[key] ?? this.defaults[key]);
    const hit = allowed.find((a) => a === v);
    if (hit === undefined) throw new CalibraError('E_OPTION', `${this.method}: option ${key}=${v} must be one of ${allowed.join(', ')}`, { where: `option '${key}'` });
    return hit;
  }

  /** Throws E_OPTION naming the first option that no reader asked for. */
  finish(): void {
    for (const key of Object.keys(this.raw)) {
      if (!this.used.has(key)) {
        throw new CalibraError('E_OPTION', `${this.method}: unknown option '${key}'`, { where: `option '${key}'`, fix: `known options: ${Object.keys(this.defaults).join(', ') || '(none)'}` });
      }
    }
  }
}

/** Fit diagnostics as stored in the envelope. */
export interface FitDiagnostics {
  readonly converged: boolean;
  readonly iterations: number;
  readonly loss: number | null;
  readonly warnings: readonly string[];
}

/** Builds the §1.3 envelope. */
export function envelope(
  method: string, numClasses: number, reduction: Reduction, options: Record<string, unknown>,
  params: Record<string, unknown>, fit: FitDiagnostics, seed: number | null,
): CalibratorJSON {
  return {
    format: MODEL_FORMAT, version: MODEL_VERSION, method, input: 'logits', numClasses, reduction,
    options, params, fit: { converged: fit.converged, iterations: fit.iterations, loss: fit.loss, warnings: [...fit.warnings] }, seed,
  };
}

function invalid(method: string, field: string, what: string): CalibraError {
  return new CalibraError('E_MODEL_INVALID', `${method}: model field '${field}' ${what}`, { where: `field '${field}'`, fix: 'refit the model or restore the file' });
}

/** Checks format, version, method and numClasses of an envelope; returns K. */
export function checkEnvelope(json: CalibratorJSON, method: string, minClasses = 2): number {
  if (json === null || typeof json !== 'object') throw invalid(method, '(root)', 'is not an object');
  if (json.format !== MODEL_FORMAT) throw invalid(method, 'format', `is ${JSON.stringify(json.format)}, expected "${MODEL_FORMAT}"`);
  if (json.version !== MODEL_VERSION) {
    throw new CalibraError('E_MODEL_VERSION', `${method}: model version ${JSON.stringify(json.version)} is not supported (this build reads version ${MODEL_VERSION})`, { where: "field 'version'", fix: 'refit the model with this version of calibra' });
  }
  if (json.method !== method) throw invalid(method, 'method', `is ${JSON.stringify(json.method)}, expected "${method}"`);
  const K = json.numClasses;
  if (typeof K !== 'number' || !Number.isInteger(K) || K < minClasses) throw invalid(method, 'numClasses', `must be an integer >= ${minClasses}`);
  if (json.params === null || typeof json.params !== 'object') throw invalid(method, 'params', 'is missing');
  if (json.options === null || typeof json.options !== 'object') throw invalid(method, 'options', 'is missing');
  return K;
}

/** A finite number field of `obj` (named `path` in errors). */
export function readNumber(method: string, obj: Readonly<Record<string, unknown>>, key: string, path: string): number {
  const v = obj[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(method, path, 'must be a finite number');
  return v;
}

/** A vector of `length` finite numbers. */
export function readVector(method: string, obj: Readonly<Record<string, unknown>>, key: string, length: number, path: string): Float64Array {
  const v = obj[key];
  if (!Array.isArray(v) || v.length !== length) throw invalid(method, path, `must be an array of ${length} numbers`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const x: unknown = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw invalid(method, `${path}[${i}]`, 'must be a finite number');
    out[i] = x;
  }
  return out;
}

/**
 * A rows×cols matrix stored as an array of row arrays; returned row-major. Every row's length is checked
 * before the matrix is allocated, so a declared size (numClasses, topK) larger than the data the file
 * holds is an error, never an allocation of that size.
 */
export function readMatrix(method: string, obj: Readonly<Record<string, unknown>>, key: string, rows: number, cols: number, path: string): Float64Array {
  const v = obj[key];
  if (!Array.isArray(v) || v.length !== rows) throw invalid(method, path, `must be an array of ${rows} rows`);
  for (let r = 0; r < rows; r++) {
    const row: unknown = v[r];
    if (!Array.isArray(row) || row.length !== cols) throw invalid(method, `${path}[${r}]`, `must be an array of ${cols} numbers`);
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = readVector(method, { row: v[r] as unknown }, 'row', cols, `${path}[${r}]`);
    out.set(row, r * cols);
  }
  return out;
}

/** A string field that must be one of `allowed`. */
export function readChoice<T extends string>(method: string, obj: Readonly<Record<string, unknown>>, key: string, allowed: readonly T[], path: string): T {
  const v = obj[key];
  const hit = allowed.find((a) => a === v);
  if (hit === undefined) throw invalid(method, path, `must be one of ${allowed.join(', ')}`);
  return hit;
}

/** A boolean field. */
export function readBool(method: string, obj: Readonly<Record<string, unknown>>, key: string, path: string): boolean {
  const v = obj[key];
  if (typeof v !== 'boolean') throw invalid(method, path, 'must be true or false');
  return v;
}

/** Plain-number copy of a typed array, for JSON. */
export function toList(a: ArrayLike<number>): number[] {
  return Array.from(a);
}

/** Row arrays of a row-major matrix, for JSON. */
export function toRows(a: Float64Array, rows: number, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) out.push(Array.from(a.subarray(r * cols, (r + 1) * cols)));
  return out;
}

/** Recovers options stored in a model JSON as RawOptions (only scalar values survive). */
export function storedOptions(json: CalibratorJSON): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(json.options)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}
