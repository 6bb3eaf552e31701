/**
 * Reading a whole input file with its size checked against the limit first. Node only.
 */
import * as fs from 'node:fs';
import { CalibraError } from '../errors.js';
import { checkSize, resolveMaxBytes } from './limits.js';
import { kindOf } from './outputs.js';

/**
 * The longest text calibra decodes into one string: V8's string length limit in Node 20 (2^29 - 24
 * characters, about 512 MiB); a UTF-8 file of at most this many bytes always fits.
 */
export const MAX_TEXT_BYTES = 2 ** 29 - 24;

/**
 * Reads a whole text input (.csv, .json, a model file) as UTF-8, refusing files over {@link MAX_TEXT_BYTES}
 * (or the limit, if lower) BEFORE reading them, with the fix of converting to .npy. Cost: O(file size).
 */
export function readTextFile(file: string, maxBytes?: number): string {
  const limit = Math.min(resolveMaxBytes(maxBytes), MAX_TEXT_BYTES);
  const st = checkInputFile(file);
  if (st.size > limit) {
    throw new CalibraError('E_TOO_LARGE', `the text file is ${st.size} bytes, over the ${limit} bytes ${limit === MAX_TEXT_BYTES ? '(512 MiB, the longest string Node can hold) ' : ''}that calibra reads as text`, { source: file, fix: 'convert it to .npy (np.save(f, np.loadtxt(csv, delimiter=",", ndmin=2).astype(np.float32))), which is read without a size cap of its own and can be streamed' });
  }
  return new TextDecoder().decode(readInputFile(file, maxBytes));
}

/**
 * Stats an input and refuses what cannot be read by size: a missing file, a folder, a FIFO or a device
 * (`/dev/zero` never ends, a FIFO blocks) with E_IO naming what it is. Returns the stat. Cost: one stat.
 */
export function checkInputFile(file: string): fs.Stats {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    const code = (e as { code?: string }).code ?? 'unknown';
    throw new CalibraError('E_IO', code === 'ENOENT' ? 'file not found' : `cannot read the file (${code})`, { source: file, fix: code === 'ENOENT' ? 'check the path' : 'check the permissions' });
  }
  if (!st.isFile()) throw new CalibraError('E_IO', `is a ${kindOf(st)}, not a regular file`, { source: file, fix: st.isDirectory() ? 'give the path of a file' : 'save the data to a regular file first (calibra checks a file\'s size before reading it)' });
  return st;
}

/**
 * Reads a whole input file after checking its size against the limit (E_TOO_LARGE before reading), refusing
 * missing files and folders (E_IO) and empty files (E_EMPTY). With `shared`, the bytes land in a
 * SharedArrayBuffer (one read, no copy), so worker threads can view the data in place.
 * Cost: O(file size).
 */
export function readInputFile(file: string, maxBytes?: number, shared = false): Uint8Array {
  const limit = resolveMaxBytes(maxBytes);
  const size = checkInputFile(file).size;
  // A .npy header adds at most 1 MiB; text formats are never smaller than their numbers' binary form.
  checkSize(size, limit + (1 << 20), 'the file', file);
  if (size === 0) throw new CalibraError('E_EMPTY', 'the file is empty', { source: file, fix: 'write the data again; an interrupted export leaves empty files' });
  if (shared) return readShared(file, size);
  const buf = fs.readFileSync(file);
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function readShared(file: string, size: number): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(size));
  const fd = fs.openSync(file, 'r');
  let got = 0;
  try {
    for (let n = 1; got < size && n > 0; got += n) n = fs.readSync(fd, out, got, size - got, got);
  } finally {
    fs.closeSync(fd);
  }
  return got < size ? out.subarray(0, got) : out;
}

