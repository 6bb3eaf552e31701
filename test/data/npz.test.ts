import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadLogits } from '../../src/data/files.js';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/data/npy.js';
import { encodeNpz, parseNpz } from '../../src/data/npz.js';
import { crc32, readZipEntries, writeZip } from '../../src/data/zip.js';
import { formatError } from '../../src/errors.js';
import { expectCode } from './helpers.js';
import { buildZip, zip64Extra } from './zip-builder.js';

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
    new DataView(m.buffer).setUint16(8, 14, true); // the local header says the same (else: E_FORMAT, they disagree)
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

describe('hostile archives II (issue 13): central directory against the file', () => {
  const npy = encodeNpy({ shape: [64], data: new Float64Array(64).fill(0.5) });
  it('Z1: a ZIP64 extra field that declares more bytes than its entry holds is E_FORMAT, not a RangeError', () => {
    const z = buildZip([{ name: 'x.npy', data: npy, cdExtra: zip64Extra([npy.length], 0xfff0), cd: { uncompressedSize: 0xffffffff } }]);
    const e = expectCode(() => parseNpz(z, { source: 'z64.npz' }), 'E_FORMAT');
    expect(e.message).toMatch(/extra field 0x0001 declares 65520 bytes, past the end of its entry/);
  });
  it('Z1b: a ZIP64 marker (0xffffffff) with no 64-bit value in the extra field is refused', () => {
    expectCode(() => parseNpz(buildZip([{ name: 'x.npy', data: npy, cd: { uncompressedSize: 0xffffffff } }])), 'E_FORMAT');
    expectCode(() => parseNpz(buildZip([{ name: 'x.npy', data: npy, cd: { offset: 0xffffffff }, cdExtra: zip64Extra([]) }])), 'E_FORMAT');
  });
  it('Z1c: a ZIP64 offset or size that points past the end of the file is refused', () => {
    expectCode(() => parseNpz(buildZip([{ name: 'x.npy', data: npy, cd: { offset: 0xffffffff }, cdExtra: zip64Extra([2 ** 40]) }])), 'E_FORMAT');
    expectCode(() => parseNpz(buildZip([{ name: 'x.npy', data: npy, cd: { compressedSize: 0xffffffff, uncompressedSize: 0xffffffff }, cdExtra: zip64Extra([2 ** 40, 2 ** 40]) }]), { maxBytes: 2 ** 50 }), 'E_TRUNCATED');
  });
  it('Z2: a local header whose name disagrees with the central directory is refused, naming both', () => {
    const e = expectCode(() => parseNpz(buildZip([{ name: 'logits.npy', localName: 'evil.npy', data: npy }]), { source: 'm.npz' }), 'E_FORMAT');
    expect(e.message).toContain('"evil.npy"');
    expect(e.where).toBe('member "logits.npy"');
  });
  it('Z2b: a local header whose compression method disagrees is refused', () => {
    const z = buildZip([{ name: 'x.npy', data: npy }]);
    new DataView(z.buffer).setUint16(8, 8, true);
    expectCode(() => parseNpz(z), 'E_FORMAT');
  });
  it('Z3: central-directory entries that share the same bytes are refused before anything is inflated', () => {
    // one deflated member of 1 MiB of zeros (about 1 KB on disk) listed 64 times: 64 MiB from a 5 KB file
    const big = encodeNpy({ shape: [1 << 17], data: new Float64Array(1 << 17) });
    const aliases = Array.from({ length: 63 }, (_, i) => ({ name: `v${i}.npy`, localName: 'original.npy', data: big, deflate: true }));
    const z = buildZip([{ name: 'original.npy', data: big, deflate: true }], aliases.map((a) => ({ ...a, name: 'original.npy' })));
    expect(z.length).toBeLessThan(10_000);
    const e = expectCode(() => parseNpz(z, { source: 'views.npz' }), 'E_FORMAT');
    expect(e.message).toMatch(/overlap/);
  });
  it('Z3b: a member whose local header lies inside another member\'s data is refused (overlap)', () => {
    const inner = buildZip([{ name: 'b.npy', data: npy }]);
    // a.npy's data holds a complete local header + data of b.npy; b's central entry points inside a
    const z = buildZip([{ name: 'a.npy', data: inner.subarray(0, 30 + 5 + npy.length) }], [{ name: 'b.npy', data: npy, cd: { offset: 30 + 5 } }]);
    const e = expectCode(() => parseNpz(z), 'E_FORMAT');
    expect(e.message).toMatch(/"a.npy" and "b.npy" overlap/);
  });
  it('Z3c: a member that runs into the central directory is cut short (E_TRUNCATED)', () => {
    expectCode(() => parseNpz(buildZip([{ name: 'x.npy', data: npy, cd: { compressedSize: npy.length + 40, uncompressedSize: npy.length + 40 } }])), 'E_TRUNCATED');
  });
  it('Z4: a deflated member declaring more than 1032 bytes per compressed byte is refused before its buffer is allocated', () => {
    const z = buildZip([{ name: 'x.npy', data: npy, deflate: true, cd: { uncompressedSize: 2 ** 31 } }]);
    const e = expectCode(() => parseNpz(z, { maxBytes: 2 ** 33 }), 'E_FORMAT');
    expect(e.message).toMatch(/more than \d+ bytes of deflate can hold/);
  });
  it('Z4b: a deflated member decodes into one buffer that its array views (no second copy)', () => {
    const z = parseNpz(encodeNpz([['x', { shape: [1000], data: new Float64Array(1000).fill(2) }]], { compress: true }));
    const a = z.arrays.get('x');
    expect(a?.kind === 'numeric' ? a.data.byteOffset : -1).toBeGreaterThan(0); // a view into the inflated member, after the .npy header
  });
  it('Z1d: a split archive (disk numbers in the end record) is refused as unsupported', () => {
    const z = buildZip([{ name: 'x.npy', data: npy }]);
    new DataView(z.buffer).setUint16(z.length - 22 + 4, 1, true);
    expectCode(() => parseNpz(z), 'E_UNSUPPORTED');
  });
  it('Z5: 65 534 members are checked in linear time and the error line stays short', () => {
    const members = Array.from({ length: 65534 }, (_, i) => ({ name: `m${i}.npy`, data: new Uint8Array(0) }));
    const z = buildZip(members.concat([{ name: 'm7.npy', data: new Uint8Array(0) }]).slice(1));
    const e = expectCode(() => parseNpz(z, { source: 'many.npz' }), 'E_FORMAT');
    expect(e.message).toMatch(/"m7" appears twice/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-many-'));
    const file = path.join(dir, 'many.npz');
    fs.writeFileSync(file, buildZip(members));
    const e2 = expectCode(() => loadLogits(file), 'E_FORMAT');
    const line = formatError(e2);
    expect(line).toMatch(/\(arrays: "m0", "m1", .* and 65524 more\)/);
    expect(line.length).toBeLessThan(1000);
    fs.rmSync(dir, { recursive: true });
  });
});
