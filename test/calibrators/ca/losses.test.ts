import { describe, expect, it } from 'vitest';
import { batchWeights, sampleLoss } from '../../../src/calibrators/ca/losses.js';
import type { CaLoss } from '../../../src/calibrators/ca/options.js';
import { Rng } from '../../../src/math/rng.js';

// ca-method.md §1.3: the repo figure's "cat predicted as dog" sample; label 0 (cat), prediction 1 (dog).
const toy = Float64Array.from([0.412, 0.455, 0.068, 0.065].map(Math.log));
const probs = new Float64Array(4);
const dT = new Float64Array(1);
const lossAt = (loss: CaLoss, T: number): number => sampleLoss(loss, toy, 4, 0, 0, 1, T, probs, dT);

/** Golden-section minimum of loss(T) over ln T in [ln 0.1, ln 10]. */
function argminT(loss: CaLoss): number {
  let a = Math.log(0.1), b = Math.log(10);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let it = 0; it < 200; it++) {
    const c = b - g * (b - a), d = a + g * (b - a);
    if (lossAt(loss, Math.exp(c)) < lossAt(loss, Math.exp(d))) b = d; else a = c;
  }
  return Math.exp((a + b) / 2);
}

describe('CA, CE and Brier losses on the toy vector of ca-method.md §1.3', () => {
  it('CE is minimised at T ≈ 0.534, sharpening: probs ≈ [0.441, 0.531, 0.015, 0.014] (the wrong class rises)', () => {
    const T = argminT('ce');
    expect(T).toBeCloseTo(0.534, 3);
    lossAt('ce', T);
    [0.441, 0.531, 0.015, 0.014].forEach((p, j) => expect(probs[j]).toBeCloseTo(p, 3));
  });

  it('full-vector Brier is minimised at T ≈ 0.991: probs ≈ [0.413, 0.456, 0.067, 0.064]', () => {
    const T = argminT('mse');
    expect(T).toBeCloseTo(0.991, 3);
    lossAt('mse', T);
    [0.413, 0.456, 0.067, 0.064].forEach((p, j) => expect(probs[j]).toBeCloseTo(p, 3));
  });

  it('CA on this wrong sample is ĉ², decreasing in T, so it is pushed to the upper bound; at T = 5 probs ≈ [0.293, 0.299, 0.205, 0.203]', () => {
    expect(argminT('ca')).toBeGreaterThan(9.99);
    const l5 = lossAt('ca', 5);
    [0.293, 0.299, 0.205, 0.203].forEach((p, j) => expect(probs[j]).toBeCloseTo(p, 3));
    expect(l5).toBeCloseTo((probs[1] as number) ** 2, 15);
    expect(dT[0]).toBeLessThan(0);
  });
});

describe('dl/dT matches central finite differences', () => {
  const rng = new Rng(7);
  for (const loss of ['ca', 'ce', 'mse'] as const) {
    it(`${loss}: analytic derivative within 1e-7 relative on random rows`, () => {
      const C = 5;
      const z = new Float64Array(C);
      const p = new Float64Array(C);
      const d = new Float64Array(1);
      for (let trial = 0; trial < 50; trial++) {
        for (let j = 0; j < C; j++) z[j] = rng.normal() * 3;
        const y = rng.int(C);
        let pred = 0;
        for (let j = 1; j < C; j++) if ((z[j] as number) > (z[pred] as number)) pred = j;
        const T = Math.exp(rng.uniform(Math.log(0.2), Math.log(5)));
        sampleLoss(loss, z, C, 0, y, pred, T, p, d);
        const h = 1e-6 * T;
        const fd = (sampleLoss(loss, z, C, 0, y, pred, T + h, p, new Float64Array(1)) - sampleLoss(loss, z, C, 0, y, pred, T - h, p, new Float64Array(1))) / (2 * h);
        expect(Math.abs((d[0] as number) - fd)).toBeLessThan(1e-7 * Math.max(1, Math.abs(fd)));
      }
    });
  }
});

describe('per-batch class-balance weights (ca-method.md §1.1)', () => {
  it('Σ w_i l_i / Σ w_i equals ½·mean_correct(l) + ½·mean_wrong(l) (the identity of §1.1)', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 20; trial++) {
      const n = 2 + rng.int(40);
      const correct = new Uint8Array(n);
      const l = new Float64Array(n);
      for (let i = 0; i < n; i++) { correct[i] = rng.random() < 0.7 ? 1 : 0; l[i] = rng.random(); }
      correct[0] = 1; correct[1] = 0;
      const idx = Int32Array.from({ length: n }, (_, i) => i);
      const w = new Float64Array(n);
      const sum = batchWeights('balanced', correct, idx, 0, n, w, new Int32Array(1));
      let weighted = 0, sc = 0, nc = 0, sw = 0, nw = 0;
      for (let i = 0; i < n; i++) {
        weighted += (w[i] as number) * (l[i] as number);
        if (correct[i] === 1) { sc += l[i] as number; nc++; } else { sw += l[i] as number; nw++; }
      }
      expect(weighted / sum).toBeCloseTo(0.5 * sc / nc + 0.5 * sw / nw, 13);
    }
  });

  it('an all-correct batch (0/0 = NaN in the published code) falls back to unit weights and is counted', () => {
    const idx = Int32Array.from([0, 1, 2]);
    const w = new Float64Array(3);
    const guard = new Int32Array(1);
    expect(batchWeights('balanced', Uint8Array.from([1, 1, 1]), idx, 0, 3, w, guard)).toBe(3);
    expect(Array.from(w)).toEqual([1, 1, 1]);
    expect(guard[0]).toBe(1);
    expect(batchWeights('balanced', Uint8Array.from([0, 0, 0]), idx, 0, 3, w, guard)).toBe(3);
    expect(guard[0]).toBe(2);
  });

  it("'none' weighting gives unit weights", () => {
    const w = new Float64Array(2);
    expect(batchWeights('none', Uint8Array.from([1, 0]), Int32Array.from([0, 1]), 0, 2, w, new Int32Array(1))).toBe(2);
    expect(Array.from(w)).toEqual([1, 1]);
  });
});
