/**
 * Streaming `.npy` rows in chunks with `fs.readSync` on a file descriptor, so memory stays bounded by the
 * chunk size whatever the file size (issue 7 streaming, issue 2 "1 GB .npy"). Node only.
 */
import * as fs from 'node:fs';
import { CalibraError } from '../errors.js';
import { checkInputFile } from './read-file.js';
import type { Matrix } from '../math/matrix.js';
import { decodeToFloat64 } from './dtype.js';
import { MAX_NPY_HEADER_BYTES, parseNpyHeader, readNpyPrelude, type NpyHeader } from './npy.js';

/** One chunk: rows `start .. start + matrix.rows` of the file. */
export interface NpyChunk {
  readonly start: number;
  readonly matrix: Matrix<Float64Array>;
}

function readExactly(fd: number, buf: Uint8Array, position: number): number {
  let got = 0;
  while (got < buf.length) {
    const n = fs.readSync(fd, buf, got, buf.length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

function withFd<T>(file: string, fn: (fd: number, size: number) => T): T {
  checkInputFile(file); // a FIFO would block the open, a device never ends
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unknown';
    throw new CalibraError('E_IO', code === 'ENOENT' ? 'file not found' : `cannot open the file (${code})`, { source: file, fix: 'check the path and permissions' });
  }
  try {
    return fn(fd, fs.fstatSync(fd).size);
  } finally {
    fs.closeSync(fd);
  }
}

function headerOf(fd: number, size: number, file: string): NpyHeader {
  const pre = new Uint8Array(Math.min(12, size));
  readExactly(fd, pre, 0);
  const { headerStart, headerLength } = readNpyPrelude(pre, file);
  const total = headerStart + Math.min(headerLength, MAX_NPY_HEADER_BYTES + 1);
  const head = new Uint8Array(Math.min(total, size));
  readExactly(fd, head, 0);
  // The size limit does not apply: streaming never holds more than one chunk.
  const h = parseNpyHeader(head, { source: file, maxBytes: Number.MAX_SAFE_INTEGER });
  if (h.shape.length < 1 || h.shape.length > 2) {
    throw new CalibraError('E_SHAPE', `streaming needs an N-vector or an N×K matrix, got shape (${h.shape.join(', ')})`, { source: file, fix: 'reshape to 2-D before saving' });
  }
  if (h.fortranOrder && h.shape.length === 2 && (h.shape[1] as number) > 1) {
    throw new CalibraError('E_UNSUPPORTED', 'a Fortran-order (column-major) array cannot be streamed by rows', { source: file, fix: 're-save in C order: np.save(f, np.ascontiguousarray(a), allow_pickle=False), or load it whole' });
  }
  if (h.dtype.type === 'U' || h.dtype.type === 'S') throw new CalibraError('E_DTYPE', 'the array holds strings, not numbers', { source: file, fix: 'save a numeric array' });
  const available = size - h.dataOffset;
  if (available < h.dataBytes) throw new CalibraError('E_TRUNCATED', `the data is cut short: shape (${h.shape.join(', ')}) of ${h.dtype.descr} needs ${h.dataBytes} bytes, the file holds ${available}`, { source: file, where: `byte ${size}`, fix: 'the file is incomplete (interrupted copy or download); create it again' });
  if (available > h.dataBytes) throw new CalibraError('E_FORMAT', `the header does not match the data: shape (${h.shape.join(', ')}) needs ${h.dataBytes} bytes, the file holds ${available}`, { source: file, where: `byte ${h.dataOffset + h.dataBytes}`, fix: 'the header lies about the shape; re-save it with np.save' });
  return h;
}

/**
 * Reads and checks a `.npy` file's header without reading its data: shape, dtype, offset; refuses truncated
 * files and headers that disagree with the file size. Cost: O(header size).
 */
export function readNpyFileHeader(file: string): NpyHeader {
  return withFd(file, (fd, size) => headerOf(fd, size, file));
}

/**
 * Yields the rows of an N×K (or N-vector, as N×1) `.npy` file in chunks of `rowsPerChunk` rows as fresh
 * Float64 matrices, reading with `fs.readSync`; the file stays open until the iteration ends (also on
 * `break`). With `finite: true`, a NaN/Inf throws E_NON_FINITE naming its row in the file.
 * Memory: O(rowsPerChunk * K). Time: O(file size).
 * @example
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { encodeNpy } from './npy.js';
 * const file = `${mkdtempSync(`${tmpdir()}/calibra-`)}/big.npy`;
 * writeFileSync(file, encodeNpy({ shape: [5, 2], data: Float64Array.from({ length: 10 }, (_, i) => i) }));
 * [...readNpyChunks(file, 2)].map(({ start, matrix }) => [start, matrix.rows]) // => [[0, 2], [2, 2], [4, 1]]
 */
export function* readNpyChunks(file: string, rowsPerChunk: number, opts: { readonly finite?: boolean } = {}): Generator<NpyChunk, void, undefined> {
  if (!Number.isSafeInteger(rowsPerChunk) || rowsPerChunk < 1) throw new CalibraError('E_OPTION', `rowsPerChunk must be a positive integer, got ${rowsPerChunk}`, { fix: 'pass e.g. 65536' });
  checkInputFile(file); // a FIFO would block the open, a device never ends
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unknown';
    throw new CalibraError('E_IO', code === 'ENOENT' ? 'file not found' : `cannot open the file (${code})`, { source: file, fix: 'check the path and permissions' });
  }
  try {
    const h = headerOf(fd, fs.fstatSync(fd).size, file);
    const rows = h.shape[0] as number;
    const cols = h.shape.length === 2 ? (h.shape[1] as number) : 1;
    const rowBytes = cols * h.dtype.itemsize;
    const buf = new Uint8Array(Math.min(rowsPerChunk, Math.max(rows, 1)) * rowBytes);
    for (let start = 0; start < rows; start += rowsPerChunk) {
      const n = Math.min(rowsPerChunk, rows - start);
      const view = buf.subarray(0, n * rowBytes);
      const got = readExactly(fd, view, h.dataOffset + start * rowBytes);
      if (got < view.length) throw new CalibraError('E_TRUNCATED', 'the file shrank while it was read', { source: file, where: `row ${start}`, fix: 'do not modify the file while calibra reads it' });
      const data = new Float64Array(n * cols);
      decodeToFloat64(view, 0, n * cols, h.dtype, data);
      if (opts.finite === true) {
        for (let i = 0; i < data.length; i++) {
          const v = data[i] as number;
          if (v - v !== 0) throw new CalibraError('E_NON_FINITE', `the array holds ${v} (only finite numbers are allowed)`, { source: file, where: `row ${start + Math.floor(i / cols)}, column ${i % cols}`, fix: 'fix or drop that sample; non-finite values are never skipped silently' });
        }
      }
      yield { start, matrix: { data, rows: n, cols } };
    }
  } finally {
    fs.closeSync(fd);
  }
}
