/**
 * A test-only ZIP builder that can lie: each member's local header and central-directory entry are written
 * from separate fields, so tests build archives whose two copies disagree, overlap or run past the file.
 */
import { deflateSync } from 'fflate';
import { crc32 } from '../../src/data/zip.js';

export interface RawMember {
  readonly name: string;
  readonly data: Uint8Array;
  readonly deflate?: boolean;
  /** Name written in the local header (default `name`). */
  readonly localName?: string;
  /** Extra field bytes of the central-directory entry. */
  readonly cdExtra?: Uint8Array;
  /** Overrides of the central-directory entry's 32-bit fields. */
  readonly cd?: { readonly compressedSize?: number; readonly uncompressedSize?: number; readonly offset?: number };
}

/** Writes the archive; extra central-directory entries (`aliases`) may point anywhere. */
export function buildZip(members: readonly RawMember[], aliases: readonly RawMember[] = []): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  const cdEntry = (m: RawMember, body: Uint8Array, crc: number, at: number): Uint8Array => {
    const name = enc.encode(m.name);
    const extra = m.cdExtra ?? new Uint8Array(0);
    const cd = new Uint8Array(46 + name.length + extra.length);
    const v = new DataView(cd.buffer);
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(4, 45, true);
    v.setUint16(6, 20, true);
    v.setUint16(10, m.deflate === true ? 8 : 0, true);
    v.setUint32(16, crc, true);
    v.setUint32(20, m.cd?.compressedSize ?? body.length, true);
    v.setUint32(24, m.cd?.uncompressedSize ?? m.data.length, true);
    v.setUint16(28, name.length, true);
    v.setUint16(30, extra.length, true);
    v.setUint32(42, m.cd?.offset ?? at, true);
    cd.set(name, 46);
    cd.set(extra, 46 + name.length);
    return cd;
  };
  for (const m of members) {
    const body = m.deflate === true ? deflateSync(m.data) : m.data;
    const crc = crc32(m.data);
    const lname = enc.encode(m.localName ?? m.name);
    const local = new Uint8Array(30 + lname.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, m.deflate === true ? 8 : 0, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, body.length, true);
    lv.setUint32(22, m.data.length, true);
    lv.setUint16(26, lname.length, true);
    local.set(lname, 30);
    central.push(cdEntry(m, body, crc, offset));
    parts.push(local, body);
    offset += local.length + body.length;
  }
  for (const a of aliases) {
    const body = a.deflate === true ? deflateSync(a.data) : a.data;
    central.push(cdEntry(a, body, crc32(a.data), 0));
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, central.length, true);
  ev.setUint16(10, central.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  const out = new Uint8Array(offset + cdSize + 22);
  let p = 0;
  for (const part of [...parts, ...central, end]) { out.set(part, p); p += part.length; }
  return out;
}

/** A ZIP64 extended-information extra field (id 1) whose header declares `declared` bytes and holds `values`. */
export function zip64Extra(values: readonly number[], declared = values.length * 8): Uint8Array {
  const b = new Uint8Array(4 + values.length * 8);
  const v = new DataView(b.buffer);
  v.setUint16(0, 1, true);
  v.setUint16(2, declared, true);
  values.forEach((x, i) => { v.setUint32(4 + 8 * i, x % 2 ** 32, true); v.setUint32(8 + 8 * i, Math.floor(x / 2 ** 32), true); });
  return b;
}
