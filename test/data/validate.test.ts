import { describe, expect, it } from 'vitest';
import { arrayToLabels, arrayToLogits, arrayToProbs, checkFinite, checkSameRows } from '../../src/data/validate.js';
import { expectCode } from './helpers.js';

const arr = (shape: number[], values: number[]): { shape: number[]; data: Float64Array } => ({ shape, data: new Float64Array(values) });

describe('checkFinite (block scan)', () => {
  it('names the first NaN/±Inf exactly as a test of every value does, at and around block edges (4 096), in float32 and float64', () => {
    const cols = 7;
    const n = 3 * 4096 + 11;
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const pos of [0, 1, 4095, 4096, 4097, 8191, 8192, 2 * 4096 + 5, n - 1]) {
        for (const make of [(k: number) => new Float64Array(k), (k: number) => new Float32Array(k)]) {
          const data = make(n);
          for (let i = 0; i < n; i++) data[i] = i % 3 === 0 ? -0 : Math.sin(i) * 1e30;
          data[pos] = bad;
          if (pos + 5 < n) data[pos + 5] = NaN; // a later bad value must not be the one named
          const e = expectCode(() => checkFinite({ data, rows: Math.ceil(n / cols), cols }, 'logits', 'f.npy'), 'E_NON_FINITE');
          expect(e.where).toBe(`row ${Math.floor(pos / cols)}, column ${pos % cols}`);
          expect(e.message).toContain(String(bad));
        }
      }
    }
    // finite extremes (±max, ±0, subnormals) pass
    const ok = new Float64Array([Number.MAX_VALUE, -Number.MAX_VALUE, 0, -0, 5e-324, -5e-324]);
    expect(() => checkFinite({ data: ok, rows: 1, cols: 6 }, 'logits')).not.toThrow();
  });
});

describe('arrayToLogits', () => {
  it('keeps an N×K matrix and turns an N-vector of binary logits into rows [0, z]', () => {
    expect(arrayToLogits(arr([1, 3], [1e4, -1e4, 0])).data).toEqual(new Float64Array([1e4, -1e4, 0]));
    expect(arrayToLogits(arr([2], [1.5, -2]))).toEqual({ data: new Float64Array([0, 1.5, 0, -2]), rows: 2, cols: 2 });
  });
  it('refuses NaN/Inf naming row and column (E_NON_FINITE), 3-D arrays (E_SHAPE), no rows (E_EMPTY)', () => {
    const e = expectCode(() => arrayToLogits(arr([2, 3], [0, 1, 2, 3, Infinity, 5]), 'l.npy'), 'E_NON_FINITE');
    expect([e.source, e.where]).toEqual(['l.npy', 'row 1, column 1']);
    expect(expectCode(() => arrayToLogits(arr([2], [0, NaN])), 'E_NON_FINITE').where).toBe('row 1, column 0');
    expectCode(() => arrayToLogits(arr([1, 1, 2], [0, 1])), 'E_SHAPE');
    expectCode(() => arrayToLogits(arr([0, 3], [])), 'E_EMPTY');
    expectCode(() => arrayToLogits(arr([], [1])), 'E_SHAPE');
  });
  it('accepts integer and float32 data, converting to float64 exactly', () => {
    expect(arrayToLogits({ shape: [1, 2], data: new Float32Array([0.1, 2]) }).data[0]).toBe(Math.fround(0.1));
    expect(arrayToLogits({ shape: [1, 2], data: new BigInt64Array([3n, -4n]) }).data).toEqual(new Float64Array([3, -4]));
  });
});

describe('arrayToProbs', () => {
  it('accepts rows summing to 1 within the tolerance; an N-vector of P(y=1) becomes N×2', () => {
    expect(arrayToProbs(arr([2, 2], [0.3, 0.70001, 1, 0])).rows).toBe(2);
    expect(arrayToProbs(arr([2], [0.25, 1])).data).toEqual(new Float64Array([0.75, 0.25, 0, 1]));
  });
  it('refuses rows not summing to 1 (E_PROBS naming the row), negative or >1 values, NaN', () => {
    expect(expectCode(() => arrayToProbs(arr([2, 2], [0.5, 0.5, 0.6, 0.6]), 'p.csv'), 'E_PROBS').where).toBe('row 1');
    expectCode(() => arrayToProbs(arr([2, 2], [0.5, 0.5, 0.5, 0.50011])), 'E_PROBS');
    expect(arrayToProbs(arr([1, 2], [0.5, 0.50011]), undefined, 1e-3).rows).toBe(1);
    expect(expectCode(() => arrayToProbs(arr([1, 2], [-0.1, 1.1])), 'E_PROBS').where).toBe('row 0, column 0');
    expectCode(() => arrayToProbs(arr([2], [0.5, 1.5])), 'E_PROBS');
    expectCode(() => arrayToProbs(arr([1, 2], [NaN, 1])), 'E_NON_FINITE');
  });
});

describe('arrayToLabels', () => {
  it('accepts integers, integral floats, bools, int64 and one-hot rows', () => {
    expect(arrayToLabels(arr([3], [0, 2, 1]), 3)).toEqual(new Int32Array([0, 2, 1]));
    expect(arrayToLabels({ shape: [2], data: new BigInt64Array([1n, 0n]) })).toEqual(new Int32Array([1, 0]));
    expect(arrayToLabels({ shape: [2, 1], data: new Uint8Array([1, 0]) }, 2)).toEqual(new Int32Array([1, 0]));
    expect(arrayToLabels(arr([2, 3], [0, 0, 1, 1, 0, 0]), 3)).toEqual(new Int32Array([2, 0]));
  });
  it('refuses out-of-range labels naming the row (E_LABEL_RANGE), non-integers (E_LABEL_TYPE)', () => {
    const e = expectCode(() => arrayToLabels(arr([3], [0, 1, 3]), 3, 'y.npy'), 'E_LABEL_RANGE');
    expect([e.source, e.where]).toEqual(['y.npy', 'row 2']);
    expectCode(() => arrayToLabels(arr([2], [0, -1])), 'E_LABEL_RANGE');
    expect(expectCode(() => arrayToLabels(arr([2], [0, 0.5])), 'E_LABEL_TYPE').where).toBe('row 1');
    expectCode(() => arrayToLabels({ shape: [1], data: new BigInt64Array([2n ** 40n]) }), 'E_LABEL_RANGE');
  });
  it('refuses rows that are not one-hot, and one-hot widths that differ from K', () => {
    expect(expectCode(() => arrayToLabels(arr([2, 2], [1, 0, 1, 1])), 'E_LABEL_TYPE').where).toBe('row 1, column 1');
    expect(expectCode(() => arrayToLabels(arr([2, 2], [1, 0, 0, 0])), 'E_LABEL_TYPE').where).toBe('row 1');
    expectCode(() => arrayToLabels(arr([1, 2], [0.5, 0.5])), 'E_LABEL_TYPE');
    expectCode(() => arrayToLabels(arr([1, 2], [1, 0]), 3), 'E_SHAPE');
  });
  it('checkSameRows names both files', () => {
    const e = expectCode(() => checkSameRows(10, 9, 'logits.npy', 'labels.npy'), 'E_SHAPE');
    expect(e.source).toBe('logits.npy');
    expect(e.message).toContain('labels.npy');
  });
});
