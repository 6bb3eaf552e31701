/**
 * Issue 13, latent numerics, against numpy / scikit-learn 1.2.1 (values printed by /usr/bin/python3, see
 * the comments): argmax of a row with NaN, a one-threshold isotonic map, a NaN score in the binned core.
 * Cases N2-N4 of docs/robustness.md.
 */
import { describe, expect, it } from 'vitest';
import { argmaxRow } from '../../src/math/softmax.js';
import { fitIsotonicBinary, predictIsotonic } from '../../src/math/pav.js';
import { addClasswiseRow, addToBins, createBinnedStats } from '../../src/metrics/binning.js';
import { expectCode } from '../data/helpers.js';

describe('N2: argmaxRow on NaN is numpy argmax (the first NaN)', () => {
  // np.argmax([1, nan, 3]) == 1; np.argmax([nan, 5]) == 0; np.argmax([3, 1, nan]) == 2; np.argmax([1, nan, nan]) == 1
  for (const [row, want] of [[[1, NaN, 3], 1], [[NaN, 5], 0], [[3, 1, NaN], 2], [[1, NaN, NaN], 1], [[2, 7, 7], 1], [[-Infinity, -Infinity], 0]] as const) {
    it(`[${row.join(', ')}] -> ${want}`, () => expect(argmaxRow(Float64Array.from(row), row.length, 0)).toBe(want));
  }
});

describe('N3: a one-threshold isotonic map predicts its constant, as scikit-learn does', () => {
  // IsotonicRegression(out_of_bounds='nan'|'clip').fit([1,1,1],[0,1,1]).predict([0,1,5]) == [2/3, 2/3, 2/3]
  it('fit on one distinct score, predicted inside and outside it, with either out-of-bounds rule', () => {
    const map = fitIsotonicBinary(Float64Array.of(1, 1, 1), Float64Array.of(0, 1, 1));
    expect(map.x.length).toBe(1);
    for (const q of [0, 1, 5]) {
      expect(predictIsotonic(map, q, 'nan')).toBeCloseTo(2 / 3, 15);
      expect(predictIsotonic(map, q, 'clip')).toBeCloseTo(2 / 3, 15);
    }
  });
});

describe('N4: a NaN score in the binned core is refused, not counted in N and in no bin', () => {
  it('addToBins and addClasswiseRow throw E_NON_FINITE; finite scores are binned as before', () => {
    const s = createBinnedStats(10, 1, 'right');
    addToBins(s, 0, 0.35, 1);
    expect([s.total[0], s.count[3]]).toEqual([1, 1]);
    expectCode(() => addToBins(s, 0, NaN, 1), 'E_NON_FINITE');
    expect(s.total[0]).toBe(1); // nothing was added for the NaN
    for (const rule of ['right', 'guo', 'left'] as const) {
      const c = createBinnedStats(5, 3, rule);
      expectCode(() => addClasswiseRow(c, Float64Array.of(0.2, NaN, 0.8), 0, 0), 'E_NON_FINITE');
    }
  });
});
