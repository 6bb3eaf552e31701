import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/data/npy.js';
import { encodeNpz, parseNpz } from '../../src/data/npz.js';
import { crc32, readZipEntries, writeZip } from '../../src/data/zip.js';
import { expectCode } from './helpers.js';

const DIR = path.join(__dirname, '..', 'fixtures', 'npy');
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as { files: Record<string, { names: string[]; arrays: Record<string, { shape: number[]; descr: string; values: number[] }> }> };
const read = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(DIR, name)));

/** A one-member ZIP whose central directory declares `declared` uncompressed bytes for a deflated `payload`. */
function lyingZip(payload: Uint8Array, declared: number): Uint8Array {
  const z = writeZip([{ name: 'x.npy', bytes: payload }], true);
  const dv = new DataView(z.buffer);
  const cd = z.length - 22 - (46 + 5);
  dv.setUint32(22, declared, true);
  dv.setUint32(cd + 24, declared, true);
  return z;
}

describe('parseNpz against numpy archives', () => {
  for (const name of ['stored.npz', 'deflated.npz']) {
    it(`${name} (np.savez${name === 'deflated.npz' ? '_compressed' : ''}, ZIP64 local headers) reads as numpy reads it`, () => {
      const z = parseNpz(read(name), { source: name });
      const want = manifest.files[name];
      expect(z.names).toEqual(want?.names);
      for (const [k, w] of Object.entries(want?.arrays ?? {})) {
        const a = z.arrays.get(k);
        expect(a?.shape).toEqual(w.shape);
        expect(a?.descr).toBe(w.descr);
        expect(Array.from(a?.data as ArrayLike<number | bigint>, Number)).toEqual(w.values);
      }
    });
  }
  it('a real zip bomb (64 MiB of zeros in 64 KiB) is refused from its declared size before inflating', () => {
    const e = expectCode(() => parseNpz(read('bomb.npz'), { source: 'bomb.npz', maxBytes: 1 << 20 }), 'E_TOO_LARGE');
    expect(e.source).toBe('bomb.npz');
  });
  it('`only` decodes just the named arrays', () => {
    const z = parseNpz(read('deflated.npz'), { only: ['labels'] });
    expect([...z.arrays.keys()]).toEqual(['labels']);
    expect(z.names).toEqual(['logits', 'labels']);
  });
});

describe('encodeNpz', () => {
  const arrays = [['logits', { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) }], ['labels', { shape: [2], data: new Int32Array([1, 0]) }]] as const;
  for (const compress of [false, true]) {
    it(`round-trips ${compress ? 'deflated' : 'stored'} archives in order`, () => {
      const z = parseNpz(encodeNpz(arrays, { compress }));
      expect(z.names).toEqual(['logits', 'labels']);
      expect(z.arrays.get('logits')?.data).toEqual(new Float32Array([1, 2, 3, 4]));
      expect(z.arrays.get('labels')?.data).toEqual(new Int32Array([1, 0]));
      expect(readZipEntries(encodeNpz(arrays, { compress }))[0]?.method).toBe(compress ? 8 : 0);
    });
  }
  it('refuses repeated names', () => expectCode(() => encodeNpz([arrays[0], arrays[0]]), 'E_OPTION'));
});

describe('hostile archives', () => {
  const payload = encodeNpy({ shape: [4096], data: new Float64Array(4096) });
  it('crc32 matches the standard check value', () => expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926));
  it('a member that inflates to more than it declares is refused (E_FORMAT), bounded work', () => {
    expectCode(() => parseNpz(lyingZip(payload, 200)), 'E_FORMAT');
  });
  it('a member that declares an absurd size is refused before inflating (E_TOO_LARGE)', () => {
    expectCode(() => parseNpz(lyingZip(payload, 0xfffffff0)), 'E_TOO_LARGE');
  });
  it('a corrupted member fails its CRC-32 check', () => {
    const z = encodeNpz([['x', { shape: [4], data: new Float64Array([1, 2, 3, 4]) }]]);
    z[100] = (z[100] as number) ^ 0xff;
    expectCode(() => parseNpz(z), 'E_FORMAT');
  });
  it('a truncated archive, an empty file, a non-npy member and an unknown method are refused', () => {
    const z = encodeNpz([['x', { shape: [4], data: new Float64Array([1, 2, 3, 4]) }]]);
    expectCode(() => parseNpz(z.subarray(0, z.length - 30)), 'E_FORMAT');
    expectCode(() => parseNpz(new Uint8Array(0)), 'E_EMPTY');
    expectCode(() => parseNpz(writeZip([{ name: 'readme.txt', bytes: new Uint8Array(3) }], false)), 'E_FORMAT');
    const m = writeZip([{ name: 'x.npy', bytes: payload }], false);
    new DataView(m.buffer).setUint16(m.length - 22 - 51 + 10, 14, true);
    expectCode(() => parseNpz(m), 'E_UNSUPPORTED');
  });
  it('a deflate stream that is not deflate is refused', () => {
    const m = writeZip([{ name: 'x.npy', bytes: payload }], true);
    const cdEnd = m.length - 22 - 51;
    const size = new DataView(m.buffer).getUint32(cdEnd + 20, true);
    m.fill(0xff, 30 + 5, 30 + 5 + size);
    expectCode(() => parseNpz(m), 'E_FORMAT');
  });
});
