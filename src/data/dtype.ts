/**
 * numpy dtype descriptors (`'<f8'`, `'>i4'`, `'|u1'`, `'<U9'` ...) and the byte-level decoding and
 * encoding of their items. Browser-safe. Object (pickle), complex, structured, datetime and long-double
 * dtypes are refused with a message saying how to re-save the array.
 */
import { CalibraError } from '../errors.js';
import type { PyValue } from './py-literal.js';

/** Numeric dtypes calibra reads: `f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 u8 b1` (kind letter + item bytes). */
export type NpyNumericType = 'f2' | 'f4' | 'f8' | 'i1' | 'i2' | 'i4' | 'i8' | 'u1' | 'u2' | 'u4' | 'u8' | 'b1';

/** Decoded numeric data: float16 decodes to Float32Array (exactly), bool to Uint8Array, 64-bit ints to BigInt arrays. */
export type NpyNumericData =
  | Float32Array | Float64Array | Int8Array | Int16Array | Int32Array
  | Uint8Array | Uint16Array | Uint32Array | BigInt64Array | BigUint64Array;

/** A parsed descriptor: what the items are and how they sit in the file. */
export interface DtypeInfo {
  /** Numeric type, or `'U'` (UTF-32 text) / `'S'` (byte text) for string arrays. */
  readonly type: NpyNumericType | 'U' | 'S';
  /** Bytes per item in the file. */
  readonly itemsize: number;
  /** Byte order of the items in the file. */
  readonly littleEndian: boolean;
  /** Bytes per item once decoded (float16 -> 4; strings counted at their file size). */
  readonly decodedItemsize: number;
  /** The descriptor as written in the header. */
  readonly descr: string;
}

/** True when this machine stores numbers little-endian (every mainstream platform). */
export const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const NUMERIC: ReadonlySet<string> = new Set(['f2', 'f4', 'f8', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8', 'b1']);
const RESAVE = 'np.save(f, a.astype(np.float32), allow_pickle=False)';

function refuse(code: 'E_DTYPE' | 'E_PICKLE' | 'E_FORMAT', message: string, fix: string, source: string | undefined): never {
  throw new CalibraError(code, message, { ...(source !== undefined ? { source } : {}), where: "header field 'descr'", fix });
}

/**
 * Reads a header's `descr` value. Throws E_PICKLE for object arrays, E_DTYPE for complex, structured,
 * datetime, long double and other unsupported dtypes, with the numpy call that re-saves the data.
 * Cost: O(1).
 * @example parseDescr('<f8').type // => 'f8'
 */
export function parseDescr(descr: PyValue, source?: string): DtypeInfo {
  if (descr !== null && typeof descr === 'object' && descr.kind === 'list') {
    refuse('E_DTYPE', 'structured (record) arrays are not supported', `save each field as its own plain array, e.g. np.savez(f, logits=a['logits'].astype(np.float32), labels=a['label'].astype(np.int64))`, source);
  }
  if (typeof descr !== 'string') refuse('E_FORMAT', "'descr' must be a dtype string", 're-save the array with numpy: np.save(f, a, allow_pickle=False)', source);
  if (/^[<>|=][Mm]8/.test(descr)) refuse('E_DTYPE', `datetime dtype ${descr} is not supported`, `convert to numbers: ${RESAVE}`, source);
  const m = /^([<>|=])([a-zA-Z?])(\d*)$/.exec(descr);
  if (m === null) refuse('E_DTYPE', `unsupported dtype ${JSON.stringify(descr)}`, `convert to a plain numeric dtype: ${RESAVE}`, source);
  const order = m[1] as string;
  const kind = m[2] as string;
  const size = m[3] === '' ? NaN : Number(m[3]);
  if (kind === 'O') {
    refuse('E_PICKLE', 'the array holds Python objects (dtype object), which numpy stores as a pickle; calibra never loads pickles because loading one can run code', `convert to numbers and save without pickle: ${RESAVE}`, source);
  }
  if (kind === 'c') refuse('E_DTYPE', `complex dtype ${descr} is not supported: logits, probabilities and labels are real`, `keep the real part: np.save(f, a.real.astype(np.float32), allow_pickle=False)`, source);
  if (kind === 'V') refuse('E_DTYPE', `void/structured dtype ${descr} is not supported`, `save plain numeric arrays: ${RESAVE}`, source);
  if (kind === 'M' || kind === 'm') refuse('E_DTYPE', `datetime dtype ${descr} is not supported`, `convert to numbers: ${RESAVE}`, source);
  if (kind === 'U' || kind === 'S') {
    if (!(size >= 1 && size <= 1 << 20)) refuse('E_DTYPE', `string dtype ${descr} has an invalid width`, 're-save with np.save', source);
    const itemsize = kind === 'U' ? 4 * size : size;
    return { type: kind, itemsize, littleEndian: order !== '>', decodedItemsize: itemsize, descr };
  }
  const key = `${kind}${m[3] as string}`;
  if (kind === 'f' && (size === 12 || size === 16)) refuse('E_DTYPE', `long double dtype ${descr} is not portable`, `convert to float64: np.save(f, a.astype(np.float64), allow_pickle=False)`, source);
  if (!NUMERIC.has(key)) refuse('E_DTYPE', `unsupported dtype ${JSON.stringify(descr)}`, `convert to float32/float64 or an integer type: ${RESAVE}`, source);
  if (order === '|' && size !== 1) refuse('E_FORMAT', `dtype ${descr} needs a byte order ('<' or '>')`, 're-save the array with numpy', source);
  const littleEndian = order === '<' || order === '|' || (order === '=' && HOST_LITTLE_ENDIAN);
  return { type: key as NpyNumericType, itemsize: size, littleEndian, decodedItemsize: key === 'f2' ? 4 : size, descr };
}

/** IEEE 754 binary16 bits to a number (exact). Cost: O(1). @example halfToFloat(0x3c00) // => 1 */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f === 0 ? sign * Infinity : NaN;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

function swapInPlace(bytes: Uint8Array, size: number): void {
  for (let o = 0; o < bytes.length; o += size) {
    for (let a = o, b = o + size - 1; a < b; a++, b--) {
      const t = bytes[a] as number;
      bytes[a] = bytes[b] as number;
      bytes[b] = t;
    }
  }
}

function viewAs(type: NpyNumericType, buf: ArrayBuffer, at = 0, count = buf.byteLength / itemBytes(type)): NpyNumericData {
  switch (type) {
    case 'f4': return new Float32Array(buf, at, count);
    case 'f8': return new Float64Array(buf, at, count);
    case 'i1': return new Int8Array(buf, at, count);
    case 'i2': return new Int16Array(buf, at, count);
    case 'i4': return new Int32Array(buf, at, count);
    case 'i8': return new BigInt64Array(buf, at, count);
    case 'u1': case 'b1': return new Uint8Array(buf, at, count);
    case 'u2': case 'f2': return new Uint16Array(buf, at, count);
    case 'u4': return new Uint32Array(buf, at, count);
    case 'u8': return new BigUint64Array(buf, at, count);
  }
}

function itemBytes(type: NpyNumericType): number {
  return Number(type.slice(1));
}

/**
 * Decodes `count` items that start at `bytes[offset]` into a fresh typed array (or string array).
 * With `share`, a numeric array in native byte order whose start is aligned to its item size is returned
 * as a zero-copy view of `bytes` (the caller must own `bytes` and not change them afterwards); otherwise
 * the items are copied. The caller has checked that the bytes are there.
 * Cost: O(1) for a shared view, else O(count * itemsize) and one copy.
 * @example
 * const bytes = new Uint8Array(128 + 8); // a 128-byte .npy header, then two little-endian float32
 * new DataView(bytes.buffer).setFloat32(128, 1.5, true);
 * const items = decodeItems(bytes, 128, 2, parseDescr('<f4'), true);
 * [items, items.buffer === bytes.buffer] // => [Float32Array.of(1.5, 0), true]
 */
export function decodeItems(bytes: Uint8Array, offset: number, count: number, dtype: DtypeInfo, share = false): NpyNumericData | string[] {
  const at = bytes.byteOffset + offset;
  if (share && dtype.type !== 'U' && dtype.type !== 'S' && dtype.type !== 'f2' && (dtype.itemsize === 1 || (dtype.littleEndian === HOST_LITTLE_ENDIAN && at % dtype.itemsize === 0))) {
    return viewAs(dtype.type, bytes.buffer as ArrayBuffer, at, count);
  }
  // A fresh copy that owns its buffer from byte 0 (Buffer#slice would share memory, so copy explicitly).
  const raw = new Uint8Array(count * dtype.itemsize);
  raw.set(bytes.subarray(offset, offset + count * dtype.itemsize));
  if (dtype.type === 'U' || dtype.type === 'S') return decodeStrings(raw, count, dtype);
  if (dtype.itemsize > 1 && dtype.littleEndian !== HOST_LITTLE_ENDIAN) swapInPlace(raw, dtype.itemsize);
  const view = viewAs(dtype.type, raw.buffer);
  if (dtype.type !== 'f2') return view;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = halfToFloat(view[i] as number);
  return out;
}

function decodeStrings(raw: Uint8Array, count: number, dtype: DtypeInfo): string[] {
  const out: string[] = new Array<string>(count);
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  for (let i = 0; i < count; i++) {
    let s = '';
    if (dtype.type === 'U') {
      const chars = dtype.itemsize / 4;
      for (let c = 0; c < chars; c++) {
        const cp = dv.getUint32(i * dtype.itemsize + 4 * c, dtype.littleEndian);
        if (cp === 0) break;
        s += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
      }
    } else {
      for (let c = 0; c < dtype.itemsize; c++) {
        const b = raw[i * dtype.itemsize + c] as number;
        if (b === 0) break;
        s += String.fromCharCode(b);
      }
    }
    out[i] = s;
  }
  return out;
}

/**
 * Decodes `count` numeric items starting at `bytes[offset]` straight into `out` as float64, with no
 * intermediate copy when the items are aligned and in native byte order (64-bit integers beyond 2^53 lose
 * precision). Used by the chunked reader. Cost: O(count), no allocation beyond one typed-array view.
 */
export function decodeToFloat64(bytes: Uint8Array, offset: number, count: number, dtype: DtypeInfo, out: Float64Array): void {
  const type = dtype.type;
  if (type === 'U' || type === 'S') throw new CalibraError('E_DTYPE', 'the array holds strings, not numbers', { fix: 'save a numeric array' });
  const size = dtype.itemsize;
  const at = bytes.byteOffset + offset;
  if ((size === 1 || (dtype.littleEndian === HOST_LITTLE_ENDIAN && at % size === 0)) && type !== 'f2' && type !== 'i8' && type !== 'u8') {
    out.set(viewAs(type, bytes.buffer as ArrayBuffer, at, count) as Exclude<NpyNumericData, BigInt64Array | BigUint64Array>);
    return;
  }
  const dv = new DataView(bytes.buffer, at, count * size);
  const le = dtype.littleEndian;
  for (let i = 0; i < count; i++) {
    const p = i * size;
    switch (type) {
      case 'f2': out[i] = halfToFloat(dv.getUint16(p, le)); break;
      case 'f4': out[i] = dv.getFloat32(p, le); break;
      case 'f8': out[i] = dv.getFloat64(p, le); break;
      case 'i1': out[i] = dv.getInt8(p); break;
      case 'i2': out[i] = dv.getInt16(p, le); break;
      case 'i4': out[i] = dv.getInt32(p, le); break;
      case 'i8': out[i] = Number(dv.getBigInt64(p, le)); break;
      case 'u1': case 'b1': out[i] = dv.getUint8(p); break;
      case 'u2': out[i] = dv.getUint16(p, le); break;
      case 'u4': out[i] = dv.getUint32(p, le); break;
      case 'u8': out[i] = Number(dv.getBigUint64(p, le)); break;
    }
  }
}

/** The numpy descriptor calibra writes for a typed array (little-endian). */
export function descrOf(data: NpyNumericData): string {
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Float32Array) return '<f4';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof BigInt64Array) return '<i8';
  if (data instanceof Uint8Array) return '|u1';
  if (data instanceof Int8Array) return '|i1';
  if (data instanceof Int16Array) return '<i2';
  if (data instanceof Uint16Array) return '<u2';
  if (data instanceof Uint32Array) return '<u4';
  return '<u8';
}

/** Little-endian bytes of a typed array (a copy). Cost: O(bytes). */
export function encodeItems(data: NpyNumericData): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  if (!HOST_LITTLE_ENDIAN && data.BYTES_PER_ELEMENT > 1) swapInPlace(out, data.BYTES_PER_ELEMENT);
  return out;
}

/** UTF-32LE fixed-width encoding of strings (numpy `<U{width}`). Cost: O(total characters). */
export function encodeStrings(data: readonly string[]): { descr: string; bytes: Uint8Array } {
  const cps = data.map((s) => Array.from(s, (ch) => ch.codePointAt(0) as number));
  const width = Math.max(1, ...cps.map((c) => c.length));
  const bytes = new Uint8Array(data.length * width * 4);
  const dv = new DataView(bytes.buffer);
  cps.forEach((c, i) => c.forEach((cp, j) => dv.setUint32((i * width + j) * 4, cp, true)));
  return { descr: `<U${width}`, bytes };
}
