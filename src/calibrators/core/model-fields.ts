/**
 * The one field reader of model files (and the two writers that are their inverse, toList/toRows).
 * Readers for the learned values of a model file. Each one checks one field of a parsed JSON object and
 * throws CalibraError E_MODEL_INVALID naming the field (`where: "field 'params.maps[2].y'"`) and the fix,
 * so a hand-edited or corrupted model file is a clear error rather than a wrong prediction.
 */
import { CalibraError } from '../../errors.js';

const REFIT = 'refit the model with calibra fit, or restore the file as written';

function invalid(field: string, message: string): CalibraError {
  return new CalibraError('E_MODEL_INVALID', message, { where: `field '${field}'`, fix: REFIT });
}

/** A plain object (not an array, not null). */
export function readObject(value: unknown, field: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(field, `expected an object, got ${describe(value)}`);
  return value as Readonly<Record<string, unknown>>;
}

/** A finite number within optional bounds. */
export function readNumber(value: unknown, field: string, bounds: { min?: number; max?: number; integer?: boolean } = {}): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(field, `expected a finite number, got ${describe(value)}`);
  if (bounds.integer === true && !Number.isInteger(value)) throw invalid(field, `expected an integer, got ${value}`);
  if (bounds.min !== undefined && value < bounds.min) throw invalid(field, `expected a value ≥ ${bounds.min}, got ${value}`);
  if (bounds.max !== undefined && value > bounds.max) throw invalid(field, `expected a value ≤ ${bounds.max}, got ${value}`);
  return value;
}

/**
 * The range of a stored temperature: 1/T and T stay normal, finite numbers (a temperature of 5e-324 passes
 * `T > 0` but its inverse is Infinity, and softmax(z/T) is NaN). Fits never produce one outside it.
 */
export const TEMPERATURE_RANGE = { min: 1e-150, max: 1e150 } as const;

/** A stored temperature within {@link TEMPERATURE_RANGE} (and within `[lo, hi]` when the model records its fit bounds). */
export function readTemperature(value: unknown, field: string, lo: number = TEMPERATURE_RANGE.min, hi: number = TEMPERATURE_RANGE.max): number {
  const T = readNumber(value, field);
  const min = Math.max(lo, TEMPERATURE_RANGE.min), max = Math.min(hi, TEMPERATURE_RANGE.max);
  if (!(T >= min && T <= max)) throw invalid(field, `a temperature must lie in [${min}, ${max}], got ${T}`);
  return T;
}

/** A finite number or null. */
export function readNumberOrNull(value: unknown, field: string): number | null {
  return value === null ? null : readNumber(value, field);
}

/** A boolean. */
export function readBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(field, `expected true or false, got ${describe(value)}`);
  return value;
}

/** One of a fixed set of strings. */
export function readChoice<T extends string>(value: unknown, field: string, choices: readonly T[]): T {
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw invalid(field, `expected one of ${choices.join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** Options for {@link readNumberArray}. */
export interface ArrayRule {
  /** Exact length. */
  readonly length?: number;
  readonly minLength?: number;
  readonly min?: number;
  readonly max?: number;
  /** 'increasing': strictly; 'nondecreasing': ties allowed. */
  readonly order?: 'increasing' | 'nondecreasing';
}

/** An array of finite numbers, copied into a Float64Array, checked against `rule`. Cost: O(length). */
export function readNumberArray(value: unknown, field: string, rule: ArrayRule = {}): Float64Array {
  if (!Array.isArray(value)) throw invalid(field, `expected an array of numbers, got ${describe(value)}`);
  const arr = value as readonly unknown[];
  if (rule.length !== undefined && arr.length !== rule.length) throw invalid(field, `expected ${rule.length} values, got ${arr.length}`);
  if (rule.minLength !== undefined && arr.length < rule.minLength) throw invalid(field, `expected at least ${rule.minLength} values, got ${arr.length}`);
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`${field}[${i}]`, `expected a finite number, got ${describe(v)}`);
    if (rule.min !== undefined && v < rule.min) throw invalid(`${field}[${i}]`, `expected a value ≥ ${rule.min}, got ${v}`);
    if (rule.max !== undefined && v > rule.max) throw invalid(`${field}[${i}]`, `expected a value ≤ ${rule.max}, got ${v}`);
    if (i > 0 && rule.order !== undefined) {
      const prev = out[i - 1] as number;
      if (rule.order === 'increasing' ? !(v > prev) : !(v >= prev)) throw invalid(`${field}[${i}]`, `values must be ${rule.order === 'increasing' ? 'strictly increasing' : 'non-decreasing'} (${prev} then ${v})`);
    }
    out[i] = v;
  }
  return out;
}

/** An array of anything (elements checked by the caller), with an exact or minimum length. */
export function readArray(value: unknown, field: string, rule: { length?: number; minLength?: number } = {}): readonly unknown[] {
  if (!Array.isArray(value)) throw invalid(field, `expected an array, got ${describe(value)}`);
  const arr = value as readonly unknown[];
  if (rule.length !== undefined && arr.length !== rule.length) throw invalid(field, `expected ${rule.length} entries, got ${arr.length}`);
  if (rule.minLength !== undefined && arr.length < rule.minLength) throw invalid(field, `expected at least ${rule.minLength} entries, got ${arr.length}`);
  return arr;
}

/** A rows×cols matrix stored as an array of row arrays; returned row-major. Cost: O(rows·cols). */
export function readMatrix(value: unknown, field: string, rows: number, cols: number): Float64Array {
  const arr = readArray(value, field, { length: rows });
  // every row's length is checked before the matrix is allocated: a declared size (numClasses, topK)
  // larger than the data the file holds is an error, never an allocation of that size
  for (let r = 0; r < rows; r++) {
    const row = arr[r];
    if (!Array.isArray(row) || row.length !== cols) throw invalid(`${field}[${r}]`, `expected an array of ${cols} numbers, got ${Array.isArray(row) ? `${row.length} values` : describe(row)}`);
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) out.set(readNumberArray(arr[r], `${field}[${r}]`, { length: cols }), r * cols);
  return out;
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

/** Throws E_MODEL_INVALID for a stored learned-value rule that does not hold (e.g. "values has 3 entries but edges has 4"). */
export function invalidModel(field: string, message: string): CalibraError {
  return invalid(field, message);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `"${v.length > 30 ? v.slice(0, 30) + '…' : v}"`;
  if (typeof v === 'object') return 'an object';
  return String(v);
}
