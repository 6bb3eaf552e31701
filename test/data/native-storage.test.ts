/**
 * Loading float32 files without widening them: `storage: 'native'` keeps Float32Array (a zero-copy view of
 * the file bytes when aligned and little-endian, a decoded copy otherwise), `shared` reads into a
 * SharedArrayBuffer, and the values equal the float64 path exactly.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLogits, loadProbs } from '../../src/data/files.js';
import { decodeItems, parseDescr } from '../../src/data/dtype.js';
import { encodeNpy, parseNpy } from '../../src/data/npy.js';
import { expectCode } from './helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-native-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const values = new Float32Array([0.1, -2.5, 3e-8, 1e4, -0, 7.25]);
const f32 = path.join(tmp, 'z32.npy');
fs.writeFileSync(f32, encodeNpy({ shape: [3, 2], data: values }));

describe("loadLogits(file, { storage: 'native' })", () => {
  it('keeps a float32 .npy as a Float32Array viewing the file bytes (no copy), equal to the float64 load', () => {
    const m = loadLogits(f32, { storage: 'native' });
    expect(m.data).toBeInstanceOf(Float32Array);
    // a file over Node's 4 KiB buffer-pool size is read into its own buffer, which the matrix views
    const big = path.join(tmp, 'big.npy');
    fs.writeFileSync(big, encodeNpy({ shape: [1000, 2], data: new Float32Array(2000).fill(1.5) }));
    const b = loadLogits(big, { storage: 'native' });
    expect(b.data.buffer.byteLength).toBe(fs.statSync(big).size);
    expect(b.data.byteOffset).toBe(fs.statSync(big).size - 8000);
    expect(Array.from(m.data)).toEqual(Array.from(loadLogits(f32).data));
    expect(loadLogits(f32).data).toBeInstanceOf(Float64Array);
  });

  it('reads into a SharedArrayBuffer with `shared`', () => {
    const m = loadLogits(f32, { storage: 'native', shared: true });
    expect(m.data.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Array.from(m.data)).toEqual(Array.from(values));
  });

  it('decodes a big-endian float32 file into a fresh native-order array with the same values', () => {
    const le = encodeNpy({ shape: [3, 2], data: values });
    const be = le.slice();
    const text = new TextDecoder('latin1').decode(be.subarray(10, 60)).replace("'<f4'", "'>f4'");
    for (let i = 0; i < text.length; i++) be[10 + i] = text.charCodeAt(i);
    const off = le.length - values.byteLength;
    for (let i = off; i < be.length; i += 4) { be[i] = le[i + 3] as number; be[i + 1] = le[i + 2] as number; be[i + 2] = le[i + 1] as number; be[i + 3] = le[i] as number; }
    const file = path.join(tmp, 'be.npy');
    fs.writeFileSync(file, be);
    const m = loadLogits(file, { storage: 'native' });
    expect(m.data).toBeInstanceOf(Float32Array);
    expect(Array.from(m.data)).toEqual(Array.from(values));
  });

  it('copies when the data start is not aligned, and shares when it is', () => {
    const bytes = new Uint8Array(4 + values.byteLength + 1);
    bytes.set(new Uint8Array(values.buffer), 1); // data at offset 1: unaligned
    const copied = decodeItems(bytes, 1, values.length, parseDescr('<f4'), true) as Float32Array;
    expect(copied.buffer).not.toBe(bytes.buffer);
    expect(Array.from(copied)).toEqual(Array.from(values));
    bytes.set(new Uint8Array(values.buffer), 4);
    const viewed = decodeItems(bytes, 4, values.length, parseDescr('<f4'), true) as Float32Array;
    expect(viewed.buffer).toBe(bytes.buffer);
    expect(Array.from(viewed)).toEqual(Array.from(values));
    expect((parseNpy(encodeNpy({ shape: [6], data: values })).data as Float32Array).buffer.byteLength).toBe(values.byteLength); // default: copy
  });

  it('still refuses non-finite values, naming row and column', () => {
    const file = path.join(tmp, 'nan.npy');
    fs.writeFileSync(file, encodeNpy({ shape: [2, 2], data: new Float32Array([0, 1, NaN, 2]) }));
    expect(expectCode(() => loadLogits(file, { storage: 'native' }), 'E_NON_FINITE').where).toBe('row 1, column 0');
  });

  it('keeps float32 probabilities too, with the row-sum check in float64', () => {
    const file = path.join(tmp, 'p.npy');
    fs.writeFileSync(file, encodeNpy({ shape: [2, 2], data: new Float32Array([0.25, 0.75, 0.5, 0.5]) }));
    const p = loadProbs(file, { storage: 'native' });
    expect(p.data).toBeInstanceOf(Float32Array);
    fs.writeFileSync(file, encodeNpy({ shape: [1, 2], data: new Float32Array([0.25, 0.7]) }));
    expectCode(() => loadProbs(file, { storage: 'native' }), 'E_PROBS');
  });
});
