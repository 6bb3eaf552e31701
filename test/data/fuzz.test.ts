/**
 * Property and fuzz tests (issue 8.4): random and mutated inputs never throw anything but CalibraError,
 * never hang (each property is bounded in runs and time), and never decode more than the limit.
 * Seeded, so a failure reproduces; fast-check prints the seed and the shrunk counter-example.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsvMatrix, formatCsvMatrix } from '../../src/data/csv.js';
import { parseJsonArray } from '../../src/data/json.js';
import { encodeNpy, parseNpy, type NpyArray } from '../../src/data/npy.js';
import { encodeNpz, parseNpz } from '../../src/data/npz.js';
import { arrayToLabels, arrayToLogits, arrayToProbs } from '../../src/data/validate.js';
import { CalibraError } from '../../src/errors.js';

const RUNS = { seed: 42, numRuns: 300, endOnFailure: true };
const LIMIT = 1 << 16;

/** Calls `fn`; a CalibraError is an accepted outcome, anything else fails the property. */
function onlyCalibraErrors<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CalibraError) return undefined;
    throw e;
  }
}

function decodedBytes(a: NpyArray): number {
  return a.kind === 'numeric' ? a.data.byteLength : a.data.reduce((s, x) => s + 4 * x.length, 0);
}

const typedArray = fc.oneof(
  fc.array(fc.double(), { maxLength: 24 }).map((v) => new Float64Array(v)),
  fc.array(fc.float(), { maxLength: 24 }).map((v) => new Float32Array(v)),
  fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 24 }).map((v) => new Int32Array(v)),
  fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), { maxLength: 24 }).map((v) => new BigInt64Array(v)),
  fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 24 }).map((v) => new Uint8Array(v)),
);
const validNpy = typedArray.map((data) => encodeNpy({ shape: [data.length], data }));

/** Mutations of a valid file: flip bytes, truncate, splice bytes in, or overwrite a run of bytes. */
const mutated = (base: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> =>
  fc.tuple(base, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 6 })).map(([bytes, ops]) => {
    let b = Uint8Array.from(bytes);
    for (const [pos, value, kind] of ops) {
      const p = b.length === 0 ? 0 : pos % b.length;
      if (kind === 0) b[p] = value;
      else if (kind === 1) b = b.slice(0, p);
      else if (kind === 2) b = Uint8Array.from([...b.subarray(0, p), value, ...b.subarray(p)]);
      else b.fill(value, p, p + 8);
    }
    return b;
  });

describe('parseNpy fuzz', () => {
  it('valid files round-trip (property)', () => {
    fc.assert(fc.property(typedArray, fc.integer({ min: 1, max: 4 }), (data, split) => {
      const rows = data.length % split === 0 ? split : 1;
      const a = parseNpy(encodeNpy({ shape: [rows, data.length / rows], data }));
      expect(a.shape).toEqual([rows, data.length / rows]);
      expect(a.data).toEqual(data);
    }), RUNS);
  });
  it('random bytes after a valid magic only raise CalibraError', () => {
    const prefix = fc.uint8Array({ maxLength: 200 }).map((tail) => Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1 + (tail[0] ?? 0) % 3, 0, ...tail]));
    fc.assert(fc.property(prefix, (b) => { onlyCalibraErrors(() => parseNpy(b, { maxBytes: LIMIT })); }), RUNS);
  });
  it('mutated valid files only raise CalibraError, and what parses is consistent and within the limit', () => {
    fc.assert(fc.property(mutated(validNpy), (b) => {
      const a = onlyCalibraErrors(() => parseNpy(b, { maxBytes: LIMIT }));
      if (a !== undefined) {
        expect(a.data.length).toBe(a.shape.reduce((x, y) => x * y, 1));
        expect(decodedBytes(a)).toBeLessThanOrEqual(LIMIT);
      }
    }), RUNS);
  });
  it('header text from a Python-literal alphabet only raises CalibraError', () => {
    const alphabet = fc.constantFrom(...["{", "}", "(", ")", "[", "]", "'", '"', ',', ':', ' ', '1', '9', '0', '-', 'L', 'True', 'False', 'None', "'descr'", "'shape'", "'fortran_order'", "'<f8'", "'|O'", "'<U3'", '\\', '\n', 'é']);
    const header = fc.array(alphabet, { maxLength: 60 }).map((parts) => {
      const h = new TextEncoder().encode(parts.join(''));
      return Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 3, 0, h.length & 255, h.length >> 8, 0, 0, ...h, 0, 0, 0, 0, 0, 0, 0, 0]);
    });
    fc.assert(fc.property(header, (b) => { onlyCalibraErrors(() => parseNpy(b, { maxBytes: LIMIT })); }), RUNS);
  });
  it('shapes declared at random never allocate past the limit', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 2 ** 40 }), { maxLength: 4 }), (shape) => {
      const head = `{'descr': '<f8', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
      const h = new TextEncoder().encode(head);
      const b = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length, 0, ...h, ...new Uint8Array(64)]);
      const a = onlyCalibraErrors(() => parseNpy(b, { maxBytes: LIMIT }));
      if (a !== undefined) expect(decodedBytes(a)).toBeLessThanOrEqual(64);
    }), RUNS);
  });
});

describe('parseNpz fuzz', () => {
  const validNpz = fc.tuple(typedArray, typedArray, fc.boolean()).map(([a, b, compress]) => encodeNpz([['a', { shape: [a.length], data: a }], ['b', { shape: [b.length], data: b }]], { compress }));
  it('mutated archives (stored and deflated) only raise CalibraError and stay within the limit', () => {
    fc.assert(fc.property(mutated(validNpz), (b) => {
      const z = onlyCalibraErrors(() => parseNpz(b, { maxBytes: LIMIT }));
      if (z !== undefined) expect([...z.arrays.values()].reduce((s, a) => s + decodedBytes(a), 0)).toBeLessThanOrEqual(LIMIT);
    }), RUNS);
  });
  it('random bytes ending in an end-of-directory record only raise CalibraError', () => {
    const eocd = fc.tuple(fc.uint8Array({ maxLength: 120 }), fc.uint8Array({ minLength: 18, maxLength: 18 })).map(([body, tail]) => Uint8Array.from([...body, 0x50, 0x4b, 0x05, 0x06, ...tail]));
    fc.assert(fc.property(eocd, (b) => { onlyCalibraErrors(() => parseNpz(b, { maxBytes: LIMIT })); }), RUNS);
  });
});

describe('text formats fuzz', () => {
  const csvish = fc.array(fc.constantFrom('1', '-2.5', 'e', ',', '\n', '"', ' ', 'nan', 'x', '\r\n', '1e308', '.5', ''), { maxLength: 40 }).map((p) => p.join(''));
  it('CSV: arbitrary and CSV-like text only raises CalibraError; parsed shapes are consistent', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 80 }), csvish), (text) => {
      const m = onlyCalibraErrors(() => parseCsvMatrix(text));
      if (m !== undefined) expect(m.data.length).toBe(m.rows * m.cols);
    }), RUNS);
  });
  it('CSV: formatCsvMatrix output parses back to the same doubles', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 20 }), (cols, v) => {
      const rows = Math.floor(v.length / cols);
      fc.pre(rows > 0);
      const data = new Float64Array(v.slice(0, rows * cols));
      expect(parseCsvMatrix(formatCsvMatrix({ data, rows, cols })).data).toEqual(data);
    }), RUNS);
  });
  it('JSON: arbitrary JSON values and text only raise CalibraError', () => {
    fc.assert(fc.property(fc.oneof(fc.json(), fc.string({ maxLength: 40 })), (text) => {
      const a = onlyCalibraErrors(() => parseJsonArray(text));
      if (a !== undefined) {
        onlyCalibraErrors(() => arrayToLogits(a));
        onlyCalibraErrors(() => arrayToProbs(a));
        onlyCalibraErrors(() => arrayToLabels(a, 3));
      }
    }), RUNS);
  });
});
