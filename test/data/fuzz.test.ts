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
import { readZipEntries } from '../../src/data/zip.js';
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
  // F6 (issue 13): the central directory's fields set to hostile values one by one or several at once
  // (sizes, offsets, name and extra lengths, counts; ZIP64 markers and extra fields that lie): only
  // CalibraError; what lists has members inside the file, before the directory, sharing no bytes; what
  // decodes stays within the limit and within what deflate can encode from the file.
  const CD_FIELDS = [[10, 2], [16, 4], [20, 4], [24, 4], [28, 2], [30, 2], [32, 2], [42, 4]] as const;
  const hostile32 = fc.oneof(fc.constantFrom(0, 1, 0xffff, 0xffffffff, 0x7fffffff, 30, 46, 64), fc.nat({ max: 0xffffffff }));
  const archive = fc.tuple(typedArray, typedArray, fc.boolean()).map(([a, b, compress]) => encodeNpz([['a', { shape: [a.length], data: a }], ['b', { shape: [b.length], data: b }]], { compress }));
  const edits = fc.array(fc.tuple(fc.nat({ max: 1 }), fc.nat({ max: CD_FIELDS.length - 1 }), hostile32), { minLength: 1, maxLength: 4 });
  const z64 = fc.option(fc.tuple(fc.nat({ max: 1 }), fc.nat({ max: 0xffff }), fc.array(fc.oneof(fc.nat({ max: 2 ** 40 }), fc.constantFrom(0, 2 ** 53 - 1)), { maxLength: 3 })), { nil: undefined });
  it('F6: central-directory fields set to hostile values only raise CalibraError; listed members are disjoint and inside the file', () => {
    fc.assert(fc.property(archive, edits, z64, (zip, ed, extra) => {
      let b = zip;
      const dv0 = new DataView(b.buffer);
      const cdOffset = dv0.getUint32(b.length - 22 + 16, true);
      const entryAt = (k: number): number => {
        let p = cdOffset;
        for (let i = 0; i < k; i++) p += 46 + dv0.getUint16(p + 28, true) + dv0.getUint16(p + 30, true) + dv0.getUint16(p + 32, true);
        return p;
      };
      const at = [entryAt(0), entryAt(1)];
      if (extra !== undefined) {
        // splice a ZIP64 extra field (possibly lying about its length) into entry k, fixing the directory size
        const [k, declared, values] = extra;
        const p = at[k] as number;
        const nameEnd = p + 46 + dv0.getUint16(p + 28, true);
        const field = new Uint8Array(4 + 8 * values.length);
        const fv = new DataView(field.buffer);
        fv.setUint16(0, 1, true);
        fv.setUint16(2, declared, true);
        values.forEach((x, i) => { fv.setUint32(4 + 8 * i, x % 2 ** 32, true); fv.setUint32(8 + 8 * i, Math.floor(x / 2 ** 32), true); });
        const out = new Uint8Array(b.length + field.length);
        out.set(b.subarray(0, nameEnd));
        out.set(field, nameEnd);
        out.set(b.subarray(nameEnd), nameEnd + field.length);
        const ov = new DataView(out.buffer);
        ov.setUint16(p + 30, ov.getUint16(p + 30, true) + field.length, true);
        ov.setUint32(out.length - 22 + 12, ov.getUint32(out.length - 22 + 12, true) + field.length, true);
        if (k === 0) at[1] = (at[1] as number) + field.length;
        b = out;
      }
      const dv = new DataView(b.buffer);
      for (const [k, f, v] of ed) {
        const [off, width] = CD_FIELDS[f] as readonly [number, number];
        if (width === 2) dv.setUint16((at[k] as number) + off, v & 0xffff, true);
        else dv.setUint32((at[k] as number) + off, v >>> 0, true);
      }
      const entries = onlyCalibraErrors(() => readZipEntries(b));
      if (entries !== undefined) {
        const sorted = [...entries].sort((x, y) => x.localHeaderOffset - y.localHeaderOffset);
        sorted.forEach((e, i) => {
          expect(e.dataOffset + e.compressedSize).toBeLessThanOrEqual(b.length);
          const next = sorted[i + 1];
          if (next !== undefined) expect(next.localHeaderOffset).toBeGreaterThanOrEqual(e.dataOffset + e.compressedSize);
        });
      }
      const z = onlyCalibraErrors(() => parseNpz(b, { maxBytes: LIMIT }));
      if (z !== undefined) {
        const total = [...z.arrays.values()].reduce((s, a) => s + decodedBytes(a), 0);
        expect(total).toBeLessThanOrEqual(Math.min(LIMIT, 1032 * b.length));
      }
    }), { ...RUNS, numRuns: 400 });
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
