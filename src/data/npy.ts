/**
 * `.npy` reading and writing (numpy format versions 1.0, 2.0 and 3.0), browser-safe.
 * Format: NEP 1 / numpy.lib.format. The header is parsed as data (see py-literal.ts); sizes are checked
 * against the limit before any allocation; truncated data and headers that lie about the shape are refused.
 */
import { CalibraError } from '../errors.js';
import { decodeItems, descrOf, encodeItems, encodeStrings, parseDescr, type DtypeInfo, type NpyNumericData, type NpyNumericType } from './dtype.js';
import { checkSize, resolveMaxBytes, type ReadLimits } from './limits.js';
import { parsePyLiteral } from './py-literal.js';

/** Longest header accepted (numpy's own default limit is 10 000 bytes). */
export const MAX_NPY_HEADER_BYTES = 1 << 20;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
const RESAVE = 're-save it with numpy: np.save(f, a, allow_pickle=False)';

/** Fields shared by every parsed array. Data is always in C (row-major) order. */
interface NpyCommon {
  readonly shape: readonly number[];
  /** The descriptor in the file, e.g. `'>f4'`. */
  readonly descr: string;
  /** Whether the file stored the array in Fortran order (it was transposed to C order on read). */
  readonly fortranOrder: boolean;
  /** The format version of the file. */
  readonly version: 1 | 2 | 3;
}

/** A numeric array read from `.npy`. */
export interface NpyNumericArray extends NpyCommon {
  readonly kind: 'numeric';
  readonly dtype: NpyNumericType;
  readonly data: NpyNumericData;
}

/** A string array read from `.npy` (`<U` or `|S` dtype), e.g. the `view_names` of a views file. */
export interface NpyStringArray extends NpyCommon {
  readonly kind: 'string';
  readonly dtype: 'U' | 'S';
  readonly data: readonly string[];
}

/** Any array calibra reads from `.npy`. */
export type NpyArray = NpyNumericArray | NpyStringArray;

/** What {@link encodeNpy} writes: a shape and C-order data. */
export interface NpyInput {
  readonly shape: readonly number[];
  readonly data: NpyNumericData | readonly string[];
}

/** A parsed header: everything needed to locate and decode the data. */
export interface NpyHeader {
  readonly version: 1 | 2 | 3;
  readonly dtype: DtypeInfo;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Number of items (product of the shape). */
  readonly count: number;
  /** Byte offset of the first data byte. */
  readonly dataOffset: number;
  /** Bytes of data the header promises (count * itemsize). */
  readonly dataBytes: number;
}

function err(code: 'E_FORMAT' | 'E_TRUNCATED' | 'E_SHAPE' | 'E_EMPTY', message: string, where: string, fix: string, source: string | undefined): CalibraError {
  return new CalibraError(code, message, { ...(source !== undefined ? { source } : {}), where, fix });
}

/**
 * Reads the magic string and header length. Needs the first 12 bytes (fewer only when the file is shorter).
 * Returns the version, the header length and where the header text starts. Cost: O(1).
 */
export function readNpyPrelude(bytes: Uint8Array, source?: string): { version: 1 | 2 | 3; headerStart: number; headerLength: number } {
  if (bytes.length === 0) throw err('E_EMPTY', 'the file is empty', 'byte 0', 'write the array again with np.save', source);
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) throw err('E_FORMAT', 'not a .npy file (the magic string \\x93NUMPY is missing)', `byte ${i}`, `save the array with np.save, or give a .csv/.json file with a matching extension`, source);
  }
  if (bytes.length < 10) throw err('E_TRUNCATED', 'the .npy preamble is cut short', `byte ${bytes.length}`, 'the file is incomplete; copy or download it again', source);
  const major = bytes[6] as number;
  const minor = bytes[7] as number;
  if (major < 1 || major > 3 || minor !== 0) throw err('E_FORMAT', `unsupported .npy format version ${major}.${minor}`, 'byte 6', `${RESAVE} (writes version 1.0)`, source);
  const version = major as 1 | 2 | 3;
  if (version === 1) return { version, headerStart: 10, headerLength: (bytes[8] as number) | ((bytes[9] as number) << 8) };
  if (bytes.length < 12) throw err('E_TRUNCATED', 'the .npy preamble is cut short', `byte ${bytes.length}`, 'the file is incomplete; copy or download it again', source);
  const headerLength = ((bytes[8] as number) | ((bytes[9] as number) << 8) | ((bytes[10] as number) << 16)) + (bytes[11] as number) * 2 ** 24;
  return { version, headerStart: 12, headerLength };
}

/**
 * Parses the prelude and header dict. `bytes` must hold at least the whole header. Checks the decoded size
 * against the limit (E_TOO_LARGE) before anything is allocated. Cost: O(header length).
 */
export function parseNpyHeader(bytes: Uint8Array, opts: ReadLimits = {}): NpyHeader {
  const source = opts.source;
  const { version, headerStart, headerLength } = readNpyPrelude(bytes, source);
  if (headerLength > MAX_NPY_HEADER_BYTES) {
    throw new CalibraError('E_TOO_LARGE', `the .npy header claims ${headerLength} bytes (limit ${MAX_NPY_HEADER_BYTES})`, { ...(source !== undefined ? { source } : {}), where: 'byte 8', fix: `the file is corrupt; ${RESAVE}` });
  }
  const dataOffset = headerStart + headerLength;
  if (bytes.length < dataOffset) throw err('E_TRUNCATED', `the .npy header is cut short (needs ${dataOffset} bytes, file has ${bytes.length})`, `byte ${bytes.length}`, 'the file is incomplete; copy or download it again', source);
  const raw = bytes.subarray(headerStart, dataOffset);
  let text: string;
  try {
    text = new TextDecoder(version === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(raw);
  } catch {
    throw err('E_FORMAT', 'the .npy header is not valid UTF-8', `byte ${headerStart}`, RESAVE, source);
  }
  const header = parsePyLiteral(text, source);
  if (header === null || typeof header !== 'object' || header.kind !== 'dict') throw err('E_FORMAT', 'the .npy header is not a dict', `byte ${headerStart}`, RESAVE, source);
  const keys = [...header.entries.keys()].sort().join(',');
  if (keys !== 'descr,fortran_order,shape') throw err('E_FORMAT', `the .npy header must have exactly the keys descr, fortran_order, shape (found ${keys || 'none'})`, `byte ${headerStart}`, RESAVE, source);
  const dtype = parseDescr(header.entries.get('descr') ?? null, source);
  const fortran = header.entries.get('fortran_order');
  if (typeof fortran !== 'boolean') throw err('E_FORMAT', "'fortran_order' must be True or False", "header field 'fortran_order'", RESAVE, source);
  const shapeValue = header.entries.get('shape');
  if (shapeValue === null || typeof shapeValue !== 'object' || shapeValue.kind !== 'tuple') throw err('E_FORMAT', "'shape' must be a tuple of integers", "header field 'shape'", RESAVE, source);
  const shape: number[] = [];
  let count = 1;
  for (const d of shapeValue.items) {
    if (typeof d !== 'number' || d < 0) throw err('E_FORMAT', "'shape' must hold non-negative integers", "header field 'shape'", RESAVE, source);
    shape.push(d);
    count *= d;
  }
  const limit = resolveMaxBytes(opts.maxBytes);
  const decoded = count * dtype.decodedItemsize;
  if (!Number.isSafeInteger(decoded)) checkSize(Infinity, limit, `the array declared as shape (${shape.join(', ')}) of ${dtype.descr}`, source);
  checkSize(decoded, limit, `the array declared as shape (${shape.join(', ')}) of ${dtype.descr}`, source);
  return { version, dtype, fortranOrder: fortran, shape, count, dataOffset, dataBytes: count * dtype.itemsize };
}

/** Options of {@link parseNpy}. */
export interface ParseNpyOptions extends ReadLimits {
  /**
   * Return numeric data as a zero-copy view of `bytes` when its byte order is native and its start is
   * aligned (numpy aligns data to 16 or 64 bytes). Only for callers that own `bytes`. Default false (copy).
   */
  readonly share?: boolean;
}

/**
 * Parses a whole `.npy` file. Refuses truncated data (E_TRUNCATED), trailing bytes the shape does not
 * account for (E_FORMAT: the header lies about the shape), pickles (E_PICKLE), unsupported dtypes
 * (E_DTYPE) and sizes over the limit (E_TOO_LARGE). Fortran-order arrays are transposed to C order.
 * Cost: O(file size) time, one copy of the data (none with `share` when aligned and native-endian).
 * @example parseNpy(encodeNpy({shape: [2], data: new Float64Array([1, 2])})).shape // => [2]
 */
export function parseNpy(bytes: Uint8Array, opts: ParseNpyOptions = {}): NpyArray {
  const source = opts.source;
  const h = parseNpyHeader(bytes, opts);
  const available = bytes.length - h.dataOffset;
  const shapeText = `(${h.shape.join(', ')}) of ${h.dtype.descr}`;
  if (available < h.dataBytes) {
    throw err('E_TRUNCATED', `the data is cut short: shape ${shapeText} needs ${h.dataBytes} bytes, the file holds ${available}`, `byte ${bytes.length}`, 'the file is incomplete (interrupted copy or download); create it again', source);
  }
  if (available > h.dataBytes) {
    throw err('E_FORMAT', `the header does not match the data: shape ${shapeText} needs ${h.dataBytes} bytes, the file holds ${available}`, `byte ${h.dataOffset + h.dataBytes}`, `the header lies about the shape; ${RESAVE}`, source);
  }
  let data = decodeItems(bytes, h.dataOffset, h.count, h.dtype, opts.share === true && !h.fortranOrder);
  if (h.fortranOrder && h.shape.length > 1) data = fortranToC(data, h.shape);
  const common = { shape: h.shape, descr: h.dtype.descr, fortranOrder: h.fortranOrder, version: h.version };
  if (Array.isArray(data)) return { kind: 'string', dtype: h.dtype.type as 'U' | 'S', data, ...common };
  return { kind: 'numeric', dtype: h.dtype.type as NpyNumericType, data: data as NpyNumericData, ...common };
}

/**
 * Reorders Fortran-order (column-major) items into C order for the given shape. Cost: O(count * ndim).
 */
export function fortranToC<T extends NpyNumericData | string[]>(data: T, shape: readonly number[]): T {
  const n = data.length;
  const nd = shape.length;
  const out = data.slice(0) as T;
  const src = data as unknown as ArrayLike<unknown>;
  const dst = out as unknown as unknown[];
  const cStride = new Array<number>(nd).fill(1);
  for (let k = nd - 2; k >= 0; k--) cStride[k] = (cStride[k + 1] as number) * (shape[k + 1] as number);
  const idx = new Array<number>(nd).fill(0);
  let d = 0;
  for (let s = 0; s < n; s++) {
    dst[d] = src[s];
    for (let k = 0; k < nd; k++) {
      idx[k] = (idx[k] as number) + 1;
      d += cStride[k] as number;
      if ((idx[k] as number) < (shape[k] as number)) break;
      d -= (idx[k] as number) * (cStride[k] as number);
      idx[k] = 0;
    }
  }
  return out;
}

/**
 * Encodes an array as a `.npy` file, format version 1.0 (2.0 when the header would not fit), C order,
 * little-endian. The typed array picks the dtype: Float64Array `<f8`, Float32Array `<f4`, Int32Array `<i4`,
 * BigInt64Array `<i8`, Uint8Array `|u1` (and the other integer arrays); string arrays become `<U{width}`.
 * The header is padded so the data starts on a 64-byte boundary, as numpy does. Cost: O(bytes).
 * @example encodeNpy({shape: [1], data: new Float32Array([1])}).length // => 132
 */
export function encodeNpy(input: NpyInput): Uint8Array {
  const count = input.shape.reduce((a, b) => a * b, 1);
  if (input.shape.some((d) => !Number.isSafeInteger(d) || d < 0) || count !== input.data.length) {
    throw new CalibraError('E_SHAPE', `encodeNpy: shape (${input.shape.join(', ')}) does not match ${input.data.length} items`, { fix: 'pass a shape whose product is the data length' });
  }
  const { descr, body } = Array.isArray(input.data)
    ? (({ descr: d, bytes }) => ({ descr: d, body: bytes }))(encodeStrings(input.data as readonly string[]))
    : { descr: descrOf(input.data as NpyNumericData), body: encodeItems(input.data as NpyNumericData) };
  const header = encodeNpyHeader(descr, input.shape);
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/**
 * The `.npy` preamble and header (format 1.0, or 2.0 when the header would not fit) of a C-order array
 * with descriptor `descr` and `shape`, padded so the data starts on a 64-byte boundary; the raw items
 * follow it directly. Lets a writer stream the data without building the whole file in memory.
 * Cost: O(header length).
 * @example encodeNpyHeader('<f8', [2, 3]).length // => 128
 */
export function encodeNpyHeader(descr: string, shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0] as number},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const v1 = Math.ceil((10 + dict.length + 1) / 64) * 64 - 10 <= 0xffff;
  const pre = v1 ? 10 : 12;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = v1 ? 1 : 2;
  out[7] = 0;
  const len = dict.length;
  out[8] = len & 0xff;
  out[9] = (len >> 8) & 0xff;
  if (!v1) { out[10] = (len >> 16) & 0xff; out[11] = (len >>> 24) & 0xff; }
  for (let i = 0; i < len; i++) out[pre + i] = dict.charCodeAt(i);
  return out;
}

/** Converts any numeric data to Float64Array (64-bit integers beyond 2^53 lose precision). Cost: O(n). */
export function toFloat64Array(data: NpyNumericData): Float64Array {
  if (data instanceof Float64Array) return data;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = Number(data[i] as number | bigint);
  return out;
}
