/**
 * A minimal, strict ZIP reader and writer for `.npz` archives (PKWARE APPNOTE 6.3): stored (method 0) and
 * deflated (method 8) members, ZIP64 sizes and offsets as numpy writes them. Browser-safe (fflate for
 * inflate/deflate). Declared uncompressed sizes are checked against the limit BEFORE inflating, the
 * inflate output buffer has exactly the declared size, and the CRC-32 is verified (zip bombs, lies).
 */
import { deflateSync, inflateSync } from 'fflate';
import { CalibraError } from '../errors.js';

/** One member of an archive, located but not yet decompressed. */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Offset of the member's local header. */
  readonly localHeaderOffset: number;
  /** Offset of the member's (compressed) data, just after its local header. */
  readonly dataOffset: number;
}

/** Deflate's largest possible expansion: a 258-byte match costs at least 2 bits, so at most 1032 output bytes per input byte. */
const DEFLATE_MAX_RATIO = 1032;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as in ZIP and zlib). Cost: O(n). @example crc32(new TextEncoder().encode('123456789')) // => 0xcbf43926 */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function zipError(message: string, where: string, source: string | undefined, code: 'E_FORMAT' | 'E_TRUNCATED' | 'E_UNSUPPORTED' = 'E_FORMAT'): CalibraError {
  return new CalibraError(code, message, {
    ...(source !== undefined ? { source } : {}),
    where,
    fix: 'the .npz archive is damaged or not made by numpy; write it again with np.savez or np.savez_compressed',
  });
}

function u64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 2 ** 32;
}

function findEndRecord(bytes: Uint8Array, dv: DataView, source: string | undefined): number {
  const stop = Math.max(0, bytes.length - 22 - 65535);
  for (let p = bytes.length - 22; p >= stop; p--) {
    if (dv.getUint32(p, true) === 0x06054b50 && p + 22 + dv.getUint16(p + 20, true) === bytes.length) return p;
  }
  for (let p = bytes.length - 22; p >= stop; p--) if (dv.getUint32(p, true) === 0x06054b50) return p;
  throw zipError('not a ZIP/.npz archive (no end-of-central-directory record)', `byte ${bytes.length}`, source, bytes.length < 22 ? 'E_TRUNCATED' : 'E_FORMAT');
}

/**
 * Lists the members of a ZIP archive from its central directory, checked against their local headers
 * (same name and method), each inside the file before the central directory, and no two members sharing
 * bytes (overlapping entries would multiply the decoded size of a small file). Every field is bounds-checked
 * against the file length, not against sizes the file declares. Cost: O(n log n) in the number of members.
 */
export function readZipEntries(bytes: Uint8Array, source?: string): ZipEntry[] {
  if (bytes.length === 0) throw new CalibraError('E_EMPTY', 'the file is empty', { ...(source !== undefined ? { source } : {}), fix: 'write the archive again with np.savez' });
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndRecord(bytes, dv, source);
  if (dv.getUint16(eocd + 4, true) !== 0 || dv.getUint16(eocd + 6, true) !== 0 || dv.getUint16(eocd + 8, true) !== dv.getUint16(eocd + 10, true)) {
    throw zipError('a multi-part (split or spanned) archive is not supported', `byte ${eocd}`, source, 'E_UNSUPPORTED');
  }
  let count = dv.getUint16(eocd + 10, true);
  let cdSize = dv.getUint32(eocd + 12, true);
  let cdOffset = dv.getUint32(eocd + 16, true);
  if ((count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) && eocd >= 20 && dv.getUint32(eocd - 20, true) === 0x07064b50) {
    const z64 = u64(dv, eocd - 12);
    if (z64 + 56 > eocd - 20 || dv.getUint32(z64, true) !== 0x06064b50) throw zipError('bad ZIP64 end record', `byte ${eocd - 20}`, source);
    count = u64(dv, z64 + 32);
    cdSize = u64(dv, z64 + 40);
    cdOffset = u64(dv, z64 + 48);
  }
  if (cdOffset + cdSize > bytes.length || count > cdSize / 46) throw zipError('the central directory lies outside the file', `byte ${eocd}`, source, 'E_TRUNCATED');
  const cdEnd = cdOffset + cdSize;
  const entries: ZipEntry[] = [];
  const decoder = new TextDecoder('utf-8');
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdEnd || dv.getUint32(p, true) !== 0x02014b50) throw zipError(`central directory entry ${i} is damaged`, `byte ${p}`, source);
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let uncompressedSize = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    if (p + 46 + nameLen + extraLen + commentLen > cdEnd) throw zipError(`central directory entry ${i} is cut short`, `byte ${p}`, source, 'E_TRUNCATED');
    const nameBytes = bytes.subarray(p + 46, p + 46 + nameLen);
    const name = decoder.decode(nameBytes);
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true);
      const size = dv.getUint16(e + 2, true);
      if (e + 4 + size > extraEnd) throw zipError(`central directory entry ${i}: extra field 0x${id.toString(16).padStart(4, '0')} declares ${size} bytes, past the end of its entry`, `byte ${e}`, source);
      if (id === 0x0001) {
        let q = e + 4;
        const fieldEnd = q + size;
        const need = (v: number): boolean => v === 0xffffffff && q + 8 <= fieldEnd;
        if (need(uncompressedSize)) { uncompressedSize = u64(dv, q); q += 8; }
        if (need(compressedSize)) { compressedSize = u64(dv, q); q += 8; }
        if (need(localHeaderOffset)) { localHeaderOffset = u64(dv, q); q += 8; }
      }
      e += 4 + size;
    }
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      throw zipError(`central directory entry ${i}: a ZIP64 size or offset is missing from its extra field`, `byte ${p}`, source);
    }
    if (flags & 1) throw zipError(`member ${JSON.stringify(name)} is encrypted`, `byte ${p}`, source, 'E_UNSUPPORTED');
    const dataOffset = checkLocalHeader(bytes, dv, localHeaderOffset, nameBytes, method, name, cdOffset, source);
    if (dataOffset + compressedSize > cdOffset) throw zipError(`member ${JSON.stringify(name)} is cut short (needs ${compressedSize} bytes from byte ${dataOffset}, the central directory starts at byte ${cdOffset})`, `byte ${p}`, source, 'E_TRUNCATED');
    entries.push({ name, method, crc32: crc, compressedSize, uncompressedSize, localHeaderOffset, dataOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  checkNoOverlap(entries, source);
  return entries;
}

/** Checks the local header at `at` agrees with the central directory; returns where the member's data starts. */
function checkLocalHeader(bytes: Uint8Array, dv: DataView, at: number, cdName: Uint8Array, method: number, name: string, cdOffset: number, source: string | undefined): number {
  const where = `member ${JSON.stringify(name)}`;
  if (at + 30 > cdOffset || dv.getUint32(at, true) !== 0x04034b50) throw zipError(`local header missing at byte ${at}`, where, source);
  const nameLen = dv.getUint16(at + 26, true);
  const extraLen = dv.getUint16(at + 28, true);
  const start = at + 30 + nameLen + extraLen;
  if (start > cdOffset) throw zipError('the local header runs into the central directory', where, source, 'E_TRUNCATED');
  const local = bytes.subarray(at + 30, at + 30 + nameLen);
  let same = local.length === cdName.length;
  for (let k = 0; same && k < local.length; k++) same = local[k] === cdName[k];
  if (!same) throw zipError(`the local header names the member ${JSON.stringify(new TextDecoder('utf-8').decode(local).slice(0, 80))}, the central directory ${JSON.stringify(name.slice(0, 80))}`, where, source);
  const localMethod = dv.getUint16(at + 8, true);
  if (localMethod !== method) throw zipError(`the local header says compression method ${localMethod}, the central directory ${method}`, where, source);
  return start;
}

/** Refuses members whose bytes (local header + data) overlap another's. Cost: O(n log n). */
function checkNoOverlap(entries: readonly ZipEntry[], source: string | undefined): void {
  const order = entries.map((_, i) => i).sort((a, b) => (entries[a] as ZipEntry).localHeaderOffset - (entries[b] as ZipEntry).localHeaderOffset);
  for (let k = 1; k < order.length; k++) {
    const prev = entries[order[k - 1] as number] as ZipEntry;
    const cur = entries[order[k] as number] as ZipEntry;
    if (cur.localHeaderOffset < prev.dataOffset + prev.compressedSize) {
      throw zipError(`members ${JSON.stringify(prev.name)} and ${JSON.stringify(cur.name)} overlap (the second starts at byte ${cur.localHeaderOffset}, inside the first, which ends at byte ${prev.dataOffset + prev.compressedSize})`, `member ${JSON.stringify(cur.name)}`, source);
    }
  }
}

/**
 * Decompresses one member into exactly `entry.uncompressedSize` bytes and checks its CRC-32. The caller
 * has already checked the declared size against the limit. Cost: O(compressed + uncompressed size).
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, source?: string): Uint8Array {
  const where = `member ${JSON.stringify(entry.name)}`;
  const start = entry.dataOffset;
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw zipError(`the member is cut short (needs ${entry.compressedSize} bytes)`, where, source, 'E_TRUNCATED');
  const packed = bytes.subarray(start, end);
  let out: Uint8Array;
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.uncompressedSize) throw zipError('a stored member whose sizes differ', where, source);
    out = packed;
  } else if (entry.method === 8) {
    // A deflate stream cannot be much larger than its output (stored blocks cost 5 bytes per 64 KiB);
    // refusing larger inputs bounds the work an archive that lies about its size can cause.
    if (entry.compressedSize > entry.uncompressedSize * 1.2 + 1024) throw zipError('the compressed size is not plausible for the declared size', where, source);
    // ... and no deflate stream decodes to more than 1032 bytes per byte: a larger declared size is a lie,
    // refused before its buffer is allocated.
    if (entry.uncompressedSize > entry.compressedSize * DEFLATE_MAX_RATIO + 1024) throw zipError(`the member declares ${entry.uncompressedSize} bytes, more than ${entry.compressedSize} bytes of deflate can hold`, where, source);
    const buf = new Uint8Array(entry.uncompressedSize + 1);
    try {
      out = inflateSync(packed, { out: buf });
    } catch (e) {
      throw zipError(`the deflate stream is corrupt (${e instanceof Error ? e.message : String(e)})`, where, source);
    }
    if (out.length !== entry.uncompressedSize) throw zipError(`the member inflates to ${out.length > entry.uncompressedSize ? 'more' : 'fewer'} bytes than the ${entry.uncompressedSize} it declares`, where, source);
  } else {
    throw zipError(`compression method ${entry.method} is not supported (only stored and deflate)`, where, source, 'E_UNSUPPORTED');
  }
  if (crc32(out) !== entry.crc32) throw zipError('CRC-32 mismatch: the member is corrupt', where, source);
  return out;
}

/**
 * Writes a ZIP archive (no ZIP64; members and archive under 4 GiB), each member stored or deflated.
 * Cost: O(total bytes) plus deflate time.
 */
export function writeZip(members: readonly { name: string; bytes: Uint8Array }[], compress: boolean): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const m of members) {
    const name = enc.encode(m.name);
    const crc = crc32(m.bytes);
    const body = compress ? deflateSync(m.bytes, { level: 6 }) : m.bytes;
    if (m.bytes.length >= 0xffffffff || offset + body.length >= 0xffffffff) {
      throw new CalibraError('E_TOO_LARGE', `member ${m.name} is too large for a ZIP without ZIP64 (4 GiB)`, { fix: 'save the arrays as separate .npy files' });
    }
    const local = new Uint8Array(30 + name.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x0800, true);
    lv.setUint16(8, compress ? 8 : 0, true);
    lv.setUint16(12, 0x21, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, m.bytes.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, compress ? 8 : 0, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, body.length, true);
    cv.setUint32(24, m.bytes.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, offset, true);
    cd.set(name, 46);
    parts.push(local, body);
    central.push(cd);
    offset += local.length + body.length;
  }
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, members.length, true);
  ev.setUint16(10, members.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let p = 0;
  for (const part of [...parts, ...central, end]) { out.set(part, p); p += part.length; }
  return out;
}
