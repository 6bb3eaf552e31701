/**
 * Reading a whole input file with its size checked against the limit first. Node only.
 */
import * as fs from 'node:fs';
import { CalibraError } from '../errors.js';
import { checkSize, resolveMaxBytes } from './limits.js';

/**
 * Reads a whole input file after checking its size against the limit (E_TOO_LARGE before reading), refusing
 * missing files and folders (E_IO) and empty files (E_EMPTY). With `shared`, the bytes land in a
 * SharedArrayBuffer (one read, no copy), so worker threads can view the data in place.
 * Cost: O(file size).
 */
export function readInputFile(file: string, maxBytes?: number, shared = false): Uint8Array {
  const limit = resolveMaxBytes(maxBytes);
  let size: number;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw new CalibraError('E_IO', 'is a folder, not a file', { source: file, fix: 'give the path of a file' });
    size = st.size;
  } catch (e) {
    if (e instanceof CalibraError) throw e;
    const code = (e as { code?: string }).code ?? 'unknown';
    throw new CalibraError('E_IO', code === 'ENOENT' ? 'file not found' : `cannot read the file (${code})`, { source: file, fix: code === 'ENOENT' ? 'check the path' : 'check the permissions' });
  }
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

