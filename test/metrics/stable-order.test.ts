/**
 * stableOrder's radix path (N ≥ 2048) gives exactly the order of the comparator sort
 * (value ascending, ties by index), on ties, negative values, ±0, subnormals and huge magnitudes.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.js';
import { stableOrder } from '../../src/metrics/binning.js';

function comparatorOrder(scores: Float64Array): number[] {
  return Array.from(scores, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number) || a - b);
}

describe('stableOrder', () => {
  it('equals the comparator sort on 5 000 confidences with many ties (radix path)', () => {
    const rng = new Rng(3);
    const s = new Float64Array(5000);
    for (let i = 0; i < s.length; i++) s[i] = Math.round(rng.random() * 300) / 300; // ties, exact 0 and 1
    expect(Array.from(stableOrder(s))).toEqual(comparatorOrder(s));
  });

  it('equals the comparator sort on signed values, −0 and +0, subnormals and huge magnitudes', () => {
    const rng = new Rng(4);
    const special = [0, -0, 5e-324, -5e-324, 1e308, -1e308, 1, -1, 0.5, -0.5, 2 ** -1074, -(2 ** 60)];
    const s = new Float64Array(4096);
    for (let i = 0; i < s.length; i++) s[i] = i % 3 === 0 ? (special[rng.int(special.length)] as number) : rng.normal() * 10 ** rng.int(6);
    expect(Array.from(stableOrder(s))).toEqual(comparatorOrder(s));
  });

  it('sorts only the first n scores when n is given', () => {
    const s = new Float64Array(3000).map((_, i) => (i * 7919) % 3001);
    expect(Array.from(stableOrder(s, 2500))).toEqual(comparatorOrder(s.subarray(0, 2500)));
  });
});
