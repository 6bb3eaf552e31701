/**
 * The Node file layer: load logits, probabilities and labels from `.npy`, `.npz`, `.csv` or `.json`; save
 * matrices atomically; stream big `.npy` files; read and write views files. Every error names the file,
 * the position and the fix (issue 8). The byte-level parsers it uses are browser-safe and live beside it.
 */
import * as path from 'node:path';
import { CalibraError, listForMessage } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { createAtomicWriter, writeFileAtomic, type WriteOptions } from './atomic.js';
import { descrOf, HOST_LITTLE_ENDIAN } from './dtype.js';
import { formatCsvMatrix, parseCsvMatrix, type CsvHeader } from './csv.js';
import { formatJsonMatrix, parseJsonArray, type JsonArrayKey } from './json.js';
import { checkInputFile, readInputFile, readTextFile } from './read-file.js';
import { encodeNpy, encodeNpyHeader, parseNpy } from './npy.js';
import { parseNpz } from './npz.js';
import { arrayToLabels, arrayToLogits, arrayToProbs, checkSameRows, DEFAULT_PROBS_TOLERANCE, type FloatStorage, type NumericArray } from './validate.js';

export { checkpoint, createAtomicWriter, removeStaleTemps, writeFileAtomic, type AtomicWriter, type WriteOptions } from './atomic.js';
export { readNpyChunks, readNpyFileHeader, type NpyChunk } from './npy-stream.js';
export { checkInputFile, MAX_TEXT_BYTES, readInputFile, readTextFile } from './read-file.js';
export { loadViewsFile, saveViewsFile, VIEWS_RESERVED_NAMES, type ViewsFile, type ViewsFileInput } from './views-file.js';

/** Options for the loaders. */
export interface LoadOptions {
  /** Decoded-size limit in bytes (default `CALIBRA_MAX_BYTES` or 2 GiB). */
  readonly maxBytes?: number;
  /** For `.npz` and object-form `.json`: which array to read (default: the role name, or the only array). */
  readonly key?: string;
  /** Read a `.npy` file into a SharedArrayBuffer, so its matrix can be handed to worker threads without a copy. */
  readonly shared?: boolean;
  /** How a `.csv` file's first row is read (CLI `--header`; default 'auto', see parseCsvMatrix). */
  readonly csvHeader?: CsvHeader;
}

/** Options for {@link loadLogits} and {@link loadProbs} that keep float32 files as Float32Array. */
export interface NativeFloatOptions {
  /**
   * `'native'`: a float32 (or float16) file stays Float32Array — half the memory of float64 and no
   * conversion pass; every calibra kernel reads either kind and accumulates in float64. Default `'float64'`.
   */
  readonly storage?: FloatStorage;
}

/** Options for {@link loadProbs}. */
export interface LoadProbsOptions extends LoadOptions {
  /** Largest accepted |row sum - 1| (default 1e-4). */
  readonly tolerance?: number;
}

const FORMATS = ['.npy', '.npz', '.csv', '.json'];

function extensionOf(file: string): string {
  const ext = path.extname(file).toLowerCase();
  if (!FORMATS.includes(ext)) {
    throw new CalibraError('E_FORMAT', `unknown file type ${JSON.stringify(ext || '(no extension)')}`, { source: file, fix: `use one of ${FORMATS.join(', ')}` });
  }
  return ext;
}

/**
 * Reads a numeric array for a role from any supported file. For `.npz`, the member named `opts.key`, else the
 * member named after the role, else the only member. Cost: O(file size).
 */
export function loadNumericArray(file: string, role: JsonArrayKey, opts: LoadOptions = {}): NumericArray {
  checkInputFile(file); // what the path is (missing, a folder, a FIFO, a device) before what its name says
  const ext = extensionOf(file);
  const limits = { source: file, ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}) };
  if (ext === '.csv') {
    const m = parseCsvMatrix(readTextFile(file, opts.maxBytes), { source: file, header: opts.csvHeader ?? 'auto', role });
    return { shape: m.cols === 1 ? [m.rows] : [m.rows, m.cols], data: m.data, ...(m.readAs !== '' ? { readAs: m.readAs } : {}) };
  }
  if (ext === '.json') {
    // An object input is read at the role's key: {"logits": ..., "labels": ...} serves --logits and --labels.
    return parseJsonArray(readTextFile(file, opts.maxBytes), { source: file, key: opts.key ?? role });
  }
  const bytes = readInputFile(file, opts.maxBytes, opts.shared === true && ext === '.npy');
  // the bytes were just read and belong to us: float data is viewed in place, not copied
  if (ext === '.npy') return numeric(parseNpy(bytes, { ...limits, share: true }), file, undefined);
  const names = parseNpz(bytes, { ...limits, only: [] }).names;
  const key = opts.key ?? (names.includes(role) ? role : names.length === 1 ? names[0] : undefined);
  if (key === undefined || !names.includes(key)) {
    throw new CalibraError('E_FORMAT', `the archive has no array ${JSON.stringify(opts.key ?? role)} (arrays: ${listForMessage(names)})`, { source: file, fix: `name the array "${role}" when saving: np.savez(f, ${role}=a)` });
  }
  const arr = parseNpz(bytes, { ...limits, only: [key], share: true }).arrays.get(key);
  return numeric(arr, file, key);
}

/** Runs a check on an array read from a CSV, adding to its message what the CSV reader guessed. */
function withReadAs<T>(a: NumericArray & { readonly readAs?: string }, fn: (a: NumericArray) => T): T {
  try {
    return fn(a);
  } catch (e) {
    if (!(e instanceof CalibraError) || a.readAs === undefined) throw e;
    throw new CalibraError(e.code, `${e.message} (read as: ${a.readAs})`, { ...(e.source !== undefined ? { source: e.source } : {}), ...(e.where !== undefined ? { where: e.where } : {}), ...(e.fix !== undefined ? { fix: `${e.fix}; or pass --header yes|no if the guess was wrong` } : {}) });
  }
}

function numeric(a: ReturnType<typeof parseNpy> | undefined, file: string, key: string | undefined): NumericArray {
  if (a === undefined || a.kind !== 'numeric') {
    throw new CalibraError('E_DTYPE', 'the array holds strings, not numbers', { source: file, ...(key !== undefined ? { where: `array ${JSON.stringify(key)}` } : {}), fix: 'save a numeric array: np.save(f, a.astype(np.float32), allow_pickle=False)' });
  }
  return a;
}

/**
 * Loads an N×K logits matrix (finite numbers). An N-vector is a binary problem's logit of class 1 and
 * becomes N×2 `[0, z]`. Throws E_NON_FINITE naming row and column. With `{storage: 'native'}` a float32
 * `.npy` is returned as a zero-copy Float32Array view of the file bytes (one read, no conversion).
 * Cost: O(file size).
 * @example
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { encodeNpy } from './npy.js';
 * const file = `${mkdtempSync(`${tmpdir()}/calibra-`)}/val-logits-f32.npy`;
 * writeFileSync(file, encodeNpy({ shape: [2, 3], data: new Float32Array(6) }));
 * loadLogits(file).cols // => 3
 * loadLogits(file, { storage: 'native' }).data instanceof Float32Array // => true
 */
export function loadLogits(file: string, opts?: LoadOptions & { readonly storage?: 'float64' }): Matrix<Float64Array>;
export function loadLogits(file: string, opts: LoadOptions & NativeFloatOptions): Matrix;
export function loadLogits(file: string, opts: LoadOptions & NativeFloatOptions = {}): Matrix {
  return withReadAs(loadNumericArray(file, 'logits', opts), (a) => arrayToLogits(a, file, opts.storage ?? 'float64'));
}

/**
 * Loads N×K probabilities (entries in [0,1], rows summing to 1 within `tolerance`, default 1e-4); an
 * N-vector of P(y = 1) becomes N×2. Throws E_PROBS naming the row. Cost: O(file size).
 */
export function loadProbs(file: string, opts?: LoadProbsOptions & { readonly storage?: 'float64' }): Matrix<Float64Array>;
export function loadProbs(file: string, opts: LoadProbsOptions & NativeFloatOptions): Matrix;
export function loadProbs(file: string, opts: LoadProbsOptions & NativeFloatOptions = {}): Matrix {
  return withReadAs(loadNumericArray(file, 'probs', opts), (a) => arrayToProbs(a, file, opts.tolerance ?? DEFAULT_PROBS_TOLERANCE, opts.storage ?? 'float64'));
}

/**
 * Loads N integer labels (or an N×K one-hot matrix), checked against `numClasses` when given
 * (E_LABEL_RANGE naming the row). Cost: O(file size).
 */
export function loadLabels(file: string, numClasses?: number, opts: LoadOptions = {}): Int32Array {
  return withReadAs(loadNumericArray(file, 'labels', opts), (a) => arrayToLabels(a, numClasses, file));
}

/**
 * Throws E_SHAPE naming both files when the number of rows and labels differ. Cost: O(1).
 */
export function checkLabelsMatch(m: Matrix, labels: Int32Array, matrixFile: string, labelsFile: string): void {
  checkSameRows(m.rows, labels.length, matrixFile, labelsFile);
}

/**
 * Saves a matrix atomically, the format chosen by extension: `.npy` (`<f8` for Float64Array data, `<f4` for
 * Float32Array), `.csv` (no header, shortest round-trip numbers) or `.json` (array of rows).
 * Replaces an existing file only with `force`. A `.npy` is written as header + the matrix's own bytes
 * (no in-memory copy of the file). Cost: O(rows * cols).
 */
export function saveMatrix(file: string, m: Matrix, opts: WriteOptions & { readonly header?: readonly string[] } = {}): void {
  const ext = path.extname(file).toLowerCase();
  let out: Uint8Array | string;
  if (ext === '.npy' && HOST_LITTLE_ENDIAN && m.data.length === m.rows * m.cols) {
    // header, then the items straight from memory: no copy of a possibly large matrix
    const writer = createAtomicWriter(file, { force: opts.force ?? false });
    try {
      writer.write(encodeNpyHeader(descrOf(m.data), [m.rows, m.cols]));
      writer.write(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength));
      writer.commit();
    } catch (e) {
      writer.abort();
      throw e;
    }
    return;
  }
  if (ext === '.npy') out = encodeNpy({ shape: [m.rows, m.cols], data: m.data });
  else if (ext === '.csv') out = formatCsvMatrix(m, opts.header !== undefined ? { header: opts.header } : {});
  else if (ext === '.json') {
    try {
      out = formatJsonMatrix(m);
    } catch (e) {
      throw e instanceof CalibraError ? e.withSource(file) : e;
    }
  } else throw new CalibraError('E_FORMAT', `cannot write ${JSON.stringify(ext || '(no extension)')} files`, { source: file, fix: 'use an output name ending in .npy, .csv or .json' });
  writeFileAtomic(file, out, { force: opts.force ?? false });
}
