/**
 * The idx format of MNIST / Fashion-MNIST (LeCun et al.): magic 0x00 0x00 type ndim, ndim big-endian
 * uint32 dimensions, then the data. Only type 0x08 (unsigned byte) is used by these datasets. Pure:
 * no Node imports (gunzip via fflate).
 */
import { gunzipSync, gzipSync } from 'fflate';
import { CalibraError } from '../errors.js';

/** A parsed idx array of unsigned bytes. */
export interface IdxArray {
  readonly dims: readonly number[];
  /** A view into the input bytes (not a copy). */
  readonly data: Uint8Array;
}

/**
 * Parses idx bytes (gzip-compressed when they start with 1f 8b). Throws E_FORMAT / E_TRUNCATED with the
 * byte position. O(n).
 * @example parseIdx(Uint8Array.of(0,0,8,1, 0,0,0,2, 7,9)) // => { dims: [2], data: [7, 9] }
 */
export function parseIdx(bytes: Uint8Array, source = 'idx'): IdxArray {
  let b = bytes;
  if (b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b) {
    try { b = gunzipSync(b); } catch (e) {
      throw new CalibraError('E_FORMAT', `not a valid gzip stream: ${(e as Error).message}`, { source });
    }
  }
  if (b.length < 4 || b[0] !== 0 || b[1] !== 0) {
    throw new CalibraError('E_FORMAT', 'not an idx file (the first two bytes must be 0)', { source, where: 'byte 0', fix: 'pass an idx3/idx1 ubyte file, e.g. t10k-images-idx3-ubyte.gz' });
  }
  if (b[2] !== 0x08) {
    throw new CalibraError('E_DTYPE', `idx data type 0x${(b[2] as number).toString(16)} is not supported (only 0x08 unsigned byte)`, { source, where: 'byte 2' });
  }
  const nd = b[3] as number;
  if (nd < 1 || b.length < 4 + 4 * nd) {
    throw new CalibraError('E_TRUNCATED', `idx header claims ${nd} dimensions but the file has ${b.length} bytes`, { source, where: 'byte 3' });
  }
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dims: number[] = [];
  let n = 1;
  for (let i = 0; i < nd; i++) { const d = view.getUint32(4 + 4 * i, false); dims.push(d); n *= d; }
  const off = 4 + 4 * nd;
  if (b.length - off !== n) {
    throw new CalibraError(b.length - off < n ? 'E_TRUNCATED' : 'E_FORMAT', `idx dims ${dims.join('×')} need ${n} data bytes, file has ${b.length - off}`, { source, where: `byte ${off}` });
  }
  return { dims, data: b.subarray(off, off + n) };
}

/**
 * Encodes unsigned bytes as idx (type 0x08), gzip-compressed unless `gzip` is false. O(n).
 * @example parseIdx(encodeIdx([2], Uint8Array.of(7, 9))).data // => [7, 9]
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array, gzip = true): Uint8Array {
  const n = dims.reduce((a, d) => a * d, 1);
  if (n !== data.length) throw new CalibraError('E_SHAPE', `encodeIdx: dims ${dims.join('×')} need ${n} bytes, got ${data.length}`);
  const out = new Uint8Array(4 + 4 * dims.length + n);
  out[2] = 0x08; out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return gzip ? gzipSync(out, { level: 9, mtime: 0 }) : out;
}
