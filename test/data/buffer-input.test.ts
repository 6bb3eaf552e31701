import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { encodeNpy, parseNpy } from '../../src/data/npy.js';
import { encodeNpz, parseNpz } from '../../src/data/npz.js';

// Node Buffers share memory on slice() and small ones live at an offset inside a pooled ArrayBuffer: the
// parsers must decode exactly the bytes they were given (regression: parseNpy(readFileSync(f)) once
// returned 2 032 labels for a 2 000-row file).
describe('parsers given a Node Buffer', () => {
  it('parseNpy on a pooled Buffer with a non-zero byteOffset returns exactly the encoded values', () => {
    const labels = Int32Array.from({ length: 37 }, (_, i) => (i * 7) % 10);
    const big = new Float64Array([1.5, -2.25, 3e300, -0]);
    for (const [data, shape] of [[labels, [37]], [big, [2, 2]]] as const) {
      const buf = Buffer.from(encodeNpy({ data, shape: [...shape] }));
      const parsed = parseNpy(buf);
      expect(parsed.shape).toEqual([...shape]);
      expect(Array.from(parsed.data as ArrayLike<number>)).toEqual(Array.from(data));
    }
  });

  it('parseNpy on a big-endian copy in a Buffer swaps only its own items', () => {
    const bytes = encodeNpy({ data: new Int32Array([1, 2, 3]), shape: [3] });
    const be = bytes.slice();
    const header = String.fromCharCode(...be.subarray(0, 64));
    be[header.indexOf("'<i4'") + 1] = '>'.charCodeAt(0);
    const dv = new DataView(be.buffer);
    [1, 2, 3].forEach((v, i) => dv.setInt32(bytes.length - 12 + 4 * i, v, false));
    expect(Array.from(parseNpy(Buffer.from(be)).data as ArrayLike<number>)).toEqual([1, 2, 3]);
  });

  it('parseNpz on a (pooled) Buffer matches the arrays written', () => {
    const labels = Int32Array.from({ length: 60 }, (_, i) => i % 10);
    const zipped = encodeNpz([['labels', { data: labels, shape: [60] }]], { compress: true });
    const parsed = parseNpz(Buffer.from(zipped));
    const got = parsed.arrays.get('labels');
    expect(got?.shape).toEqual([60]);
    expect(Array.from(got?.data as ArrayLike<number>)).toEqual(Array.from(labels));
  });

  it('a committed fixture read with readFileSync has as many labels as rows', () => {
    const a = parseNpy(readFileSync(new URL('../fixtures/overconfident/test-labels.npy', import.meta.url)));
    expect(a.data.length).toBe(a.shape[0]);
  });
});
