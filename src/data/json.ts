/**
 * JSON arrays: an array of rows (`[[...], [...]]`), a flat array (`[...]`, a vector), or an object holding
 * one of those under `"logits"`, `"probs"` or `"labels"`. Browser-safe.
 */
import { CalibraError, listForMessage } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { numberText } from './csv.js';

/** Keys an object-form JSON input may hold. */
export type JsonArrayKey = 'logits' | 'probs' | 'labels';

/** A numeric array read from JSON: a vector (shape [n]) or a matrix (shape [n, k]). */
export interface JsonArray {
  readonly shape: readonly number[];
  readonly data: Float64Array;
}

function jsonError(code: 'E_FORMAT' | 'E_SHAPE' | 'E_EMPTY', message: string, where: string | undefined, fix: string, source: string | undefined): CalibraError {
  return new CalibraError(code, message, { ...(source !== undefined ? { source } : {}), ...(where !== undefined ? { where } : {}), fix });
}

/**
 * Parses JSON text into a vector or matrix. With `key`, an object input must hold that key (e.g. a file
 * `{"logits": [[...]], "labels": [...]}` serves both `key: 'logits'` and `key: 'labels'`). Every entry must
 * be a number; rows must have equal lengths. Cost: O(text length).
 * @example parseJsonArray('{"labels": [0, 2]}', {key: 'labels'}).shape // => [2]
 */
export function parseJsonArray(text: string, opts: { readonly source?: string; readonly key?: JsonArrayKey | (string & {}) } = {}): JsonArray {
  const source = opts.source;
  if (text.trim() === '') throw jsonError('E_EMPTY', 'the file is empty', undefined, 'write a JSON array of rows', source);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw jsonError('E_FORMAT', `not valid JSON (${e instanceof Error ? e.message : String(e)})`, undefined, 'write a JSON array of rows, e.g. [[0.1, 2.3], [1.5, -0.2]]', source);
  }
  let prefix = '';
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const keys: string[] = opts.key !== undefined ? [opts.key] : (['logits', 'probs', 'labels'] as const).filter((k) => k in obj);
    const key = keys[0];
    if (key === undefined || !(key in obj) || (opts.key === undefined && keys.length > 1)) {
      throw jsonError('E_FORMAT', `the JSON object has no ${opts.key !== undefined ? `"${opts.key}"` : 'single "logits", "probs" or "labels"'} key (keys: ${listForMessage(Object.keys(obj))})`, 'top level', `put the array under "${opts.key ?? 'logits'}", or give a bare array of rows`, source);
    }
    value = obj[key];
    prefix = `"${key}"`;
  }
  if (!Array.isArray(value)) throw jsonError('E_FORMAT', 'expected an array', prefix || 'top level', 'write a JSON array of rows, e.g. [[0.1, 2.3], [1.5, -0.2]]', source);
  const rows = value as unknown[];
  if (rows.length === 0) throw jsonError('E_EMPTY', 'the array is empty', prefix || 'top level', 'write one entry per sample', source);
  const isMatrix = Array.isArray(rows[0]);
  const cols = isMatrix ? (rows[0] as unknown[]).length : 1;
  const data = new Float64Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const cells: unknown[] = isMatrix ? (Array.isArray(row) ? row : []) : [row];
    if (isMatrix && (!Array.isArray(row) || row.length !== cols)) {
      throw jsonError('E_SHAPE', `row ${r} has ${Array.isArray(row) ? row.length : 'no'} entries where row 0 has ${cols}`, `${prefix}[${r}]`, 'give every row the same number of entries', source);
    }
    for (let c = 0; c < cols; c++) {
      const v = cells[c];
      if (typeof v !== 'number') {
        throw jsonError('E_FORMAT', `entry is ${v === null ? 'null' : typeof v}, not a number`, isMatrix ? `${prefix}[${r}][${c}] (row ${r}, column ${c})` : `${prefix}[${r}] (row ${r})`, 'every entry must be a JSON number (JSON has no NaN or Infinity)', source);
      }
      data[r * cols + c] = v;
    }
  }
  return { shape: isMatrix ? [rows.length, cols] : [rows.length], data };
}

/**
 * Formats a matrix as a JSON array of rows (numbers in shortest round-trip form). Non-finite values cannot
 * be written in JSON and are refused (E_NON_FINITE). Cost: O(rows * cols).
 * @example formatJsonMatrix({data: new Float64Array([1, 0.5]), rows: 1, cols: 2}) // => '[[1,0.5]]\n'
 */
export function formatJsonMatrix(m: Matrix): string {
  const rows: string[] = [];
  for (let r = 0; r < m.rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < m.cols; c++) {
      const v = m.data[r * m.cols + c] as number;
      if (!Number.isFinite(v)) throw new CalibraError('E_NON_FINITE', `value ${v} cannot be written as JSON`, { where: `row ${r}, column ${c}`, fix: 'write .npy or .csv, or fix the non-finite value' });
      cells.push(numberText(v));
    }
    rows.push(`[${cells.join(',')}]`);
  }
  return `[${rows.join(',\n')}]\n`;
}
