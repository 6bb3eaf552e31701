import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { fitIsotonic, fitIsotonicBinary, pavInPlace, predictIsotonic } from '../../src/math/pav.js';
import { fixtureB } from '../calibrators/binning-fixtures.js';

interface GoldenCase {
  name: string; x: number[]; y: number[]; w: number[] | null; increasing: boolean; yMin: number | null; yMax: number | null;
  thresholdsX: number[]; thresholdsY: number[]; queries: number[]; predictions: number[];
}
const golden = JSON.parse(readFileSync(new URL('../golden/isotonic.json', import.meta.url), 'utf8')) as { versions: Record<string, string>; cases: GoldenCase[] };

describe('fitIsotonic / predictIsotonic equal scikit-learn IsotonicRegression(out_of_bounds="clip") bit for bit (Object.is; oracle: scripts/golden/isotonic_reference.py)', () => {
  it('golden file records the generating library versions', () => {
    expect(golden.versions['sklearn']).toMatch(/^1\.2/);
    expect(golden.cases.length).toBeGreaterThanOrEqual(8);
  });
  for (const c of golden.cases) {
    it(`case ${c.name}: thresholds and predictions agree with sklearn ${golden.versions['sklearn']}`, () => {
      const map = fitIsotonic(c.x, c.y, c.w ?? undefined, { increasing: c.increasing, yMin: c.yMin, yMax: c.yMax });
      expect(Array.from(map.x)).toEqual(c.thresholdsX);
      expect(map.y.length).toBe(c.thresholdsY.length);
      map.y.forEach((v, i) => expect(Object.is(v, c.thresholdsY[i]), `y[${i}] = ${v} vs sklearn ${c.thresholdsY[i]}`).toBe(true));
      c.queries.forEach((q, i) => expect(Object.is(predictIsotonic(map, q, 'clip'), c.predictions[i]), `query ${q}`).toBe(true));
    });
  }
});

describe('isotonic regression on fixture B (calibrators.md §7.2 oracle)', () => {
  const map = fitIsotonic(fixtureB.s, fixtureB.t);
  it('keeps thresholds x = (0.05, 0.12, 0.25, 0.33, 0.66, 0.72, 0.93), y = (0, 1/3, 1/3, 0.6, 0.6, 1, 1)', () => {
    expect(Array.from(map.x)).toEqual([0.05, 0.12, 0.25, 0.33, 0.66, 0.72, 0.93]);
    const want = [0, 1 / 3, 1 / 3, 0.6, 0.6, 1, 1];
    map.y.forEach((v, i) => expect(v).toBeCloseTo(want[i] as number, 15));
  });
  it('predicts the §7.2 values with clip, and NaN outside the range with nan', () => {
    const want = [0, 0, 0.2380952381, 1 / 3, 1 / 3, 0.5, 0.6, 0.6, 0.6, 0.8666666667, 1, 1];
    fixtureB.q.forEach((q, i) => expect(predictIsotonic(map, q)).toBeCloseTo(want[i] as number, 9));
    expect(predictIsotonic(map, 0, 'nan')).toBeNaN();
    expect(predictIsotonic(map, 1, 'nan')).toBeNaN();
    expect(predictIsotonic(map, 0.5, 'nan')).toBeCloseTo(0.6, 15);
  });
  it('merges x = {0, 0.6e-15, 1.2e-15} into two groups, as sklearn does', () => {
    const m = fitIsotonic([0, 0.6e-15, 1.2e-15], [0, 1, 0.5]);
    expect(Array.from(m.x)).toEqual([0, 1.2e-15]);
  });
});

describe('pavInPlace', () => {
  it('gives the sklearn docs example [1, 2.5, 2.5, 3.75, 3.75]', () => {
    const y = Float64Array.of(1, 3, 2, 4, 3.5);
    pavInPlace(y, new Float64Array(5).fill(1));
    expect(Array.from(y)).toEqual([1, 2.5, 2.5, 3.75, 3.75]);
  });
  it('output is non-decreasing and keeps the weighted mean (property)', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 60 }), (vals) => {
      const y = Float64Array.from(vals);
      const w = new Float64Array(vals.length).fill(1);
      pavInPlace(y, w);
      for (let i = 1; i < y.length; i++) expect(y[i] as number).toBeGreaterThanOrEqual(y[i - 1] as number);
      const mean = (a: ArrayLike<number>): number => Array.from(a).reduce((s, v) => s + v, 0) / a.length;
      expect(Math.abs(mean(y) - mean(vals))).toBeLessThan(1e-9);
    }));
  });
});

describe('fitIsotonicBinary', () => {
  it('gives the same bits as the comparator-sort fit on 0/1 targets with ties (property)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.boolean()), { minLength: 1, maxLength: 80 }), (pairs) => {
      const x = pairs.map(([a]) => a / 20);
      const t = pairs.map(([, b]) => (b ? 1 : 0));
      const a = fitIsotonic(x, t);
      const b = fitIsotonicBinary(x, t);
      expect(Array.from(b.x)).toEqual(Array.from(a.x));
      expect(Array.from(b.y)).toEqual(Array.from(a.y));
    }));
  });
  it('predictions are monotone in the query', () => {
    const m = fitIsotonicBinary(fixtureB.s, fixtureB.t);
    let prev = -Infinity;
    for (let q = -0.1; q <= 1.1; q += 0.01) {
      const v = predictIsotonic(m, q);
      expect(v).toBeGreaterThanOrEqual(prev);
      prev = v;
    }
  });
});
