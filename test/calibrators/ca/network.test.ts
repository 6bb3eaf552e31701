import { describe, expect, it } from 'vitest';
import { caFeatures } from '../../../src/calibrators/ca/features.js';
import { topKRow } from '../../../src/math/top-k.js';
import { headDerivative, headTemperature, headRawFor, initAtTemperature, initPyTorchDefault, paramCount, predictTemperaturesInto, type NetShape } from '../../../src/calibrators/ca/network.js';
import type { CaHead, CaLoss, CaWeighting } from '../../../src/calibrators/ca/options.js';
import { batchLossGrad, CaWorkspace, type CaTrainData } from '../../../src/calibrators/ca/training.js';
import type { Matrix } from '../../../src/math/matrix.js';
import { argmaxRows } from '../../../src/math/softmax.js';
import { Rng } from '../../../src/math/rng.js';

function randomData(n: number, C: number, seed: number): { logits: Matrix<Float64Array>; views: Matrix<Float64Array>[]; labels: Int32Array } {
  const rng = new Rng(seed);
  const logits = new Float64Array(n * C);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.int(C);
    for (let j = 0; j < C; j++) logits[i * C + j] = 1.5 * rng.normal() + (j === labels[i] ? 2 * rng.random() : 0);
  }
  const views = [0, 1, 2].map(() => ({ data: logits.map((v) => 0.7 * v + rng.normal()), rows: n, cols: C }));
  return { logits: { data: logits, rows: n, cols: C }, views, labels };
}

function trainData(n: number, C: number, seed: number, k: number): CaTrainData {
  const { logits, views, labels } = randomData(n, C, seed);
  const x = caFeatures(logits, views, k);
  const pred = argmaxRows(logits);
  const correct = Uint8Array.from(pred, (p, i) => (p === labels[i] ? 1 : 0));
  return { x: x.data, logits, labels, pred, correct };
}

describe('topKRow', () => {
  it('returns the k largest in descending order, lower index first on ties', () => {
    const idx = new Int32Array(4), vals = new Float64Array(4);
    topKRow(Float64Array.from([0.5, 3, -1, 3, 2, 0.5]), 6, 0, 4, idx, vals);
    expect(Array.from(idx)).toEqual([1, 3, 4, 0]);
    expect(Array.from(vals)).toEqual([3, 3, 2, 0.5]);
  });
});

describe('CA network gradient: hand-derived backprop vs central finite differences', () => {
  const cases: [CaLoss, CaWeighting, CaHead][] = [['ca', 'balanced', 'clamp'], ['ca', 'none', 'sigmoid'], ['ce', 'none', 'clamp'], ['mse', 'balanced', 'sigmoid']];
  for (const [loss, weighting, head] of cases) {
    it(`${loss}/${weighting}/${head}: every one of the 71 partial derivatives within 1e-6 relative`, () => {
      const d = trainData(40, 6, 11, 4);
      const shape: NetShape = { features: 12, hidden: 5, head };
      const p = initPyTorchDefault(shape, new Rng(5));
      p[70] = head === 'clamp' ? 2 : 0.3; // raw outputs inside [0.1, 10]: no sample on the clamp's flat part
      const ws = new CaWorkspace(shape, 6, 40);
      const ids = Int32Array.from({ length: 40 }, (_, i) => i);
      const grad = new Float64Array(paramCount(shape));
      batchLossGrad(shape, p, d, ids, 0, 40, { loss, weighting }, ws, grad);
      let maxAbs = 0;
      for (let q = 0; q < p.length; q++) {
        const save = p[q] as number;
        const h = 1e-6;
        p[q] = save + h;
        const up = batchLossGrad(shape, p, d, ids, 0, 40, { loss, weighting }, ws, null);
        p[q] = save - h;
        const dn = batchLossGrad(shape, p, d, ids, 0, 40, { loss, weighting }, ws, null);
        p[q] = save;
        const fd = (up - dn) / (2 * h);
        maxAbs = Math.max(maxAbs, Math.abs(fd));
        expect(Math.abs((grad[q] as number) - fd)).toBeLessThan(1e-6 * Math.max(1e-2, Math.abs(fd)));
      }
      expect(maxAbs).toBeGreaterThan(1e-3);
    });
  }

  it('samples outside the clamp range contribute exactly zero gradient (the dead zone of ca-method.md §8.3)', () => {
    const d = trainData(20, 5, 2, 4);
    const shape: NetShape = { features: 12, hidden: 5, head: 'clamp' };
    const p = initPyTorchDefault(shape, new Rng(1));
    p[70] = -50;
    const grad = new Float64Array(71);
    batchLossGrad(shape, p, d, Int32Array.from({ length: 20 }, (_, i) => i), 0, 20, { loss: 'ca', weighting: 'balanced' }, new CaWorkspace(shape, 5, 20), grad);
    expect(Array.from(grad).every((g) => g === 0)).toBe(true);
  });
});

describe('temperature heads', () => {
  it('clamp passes gradient on [0.1, 10] inclusive, as torch.clamp', () => {
    expect(headTemperature('clamp', 0.05)).toBe(0.1);
    expect(headTemperature('clamp', 12)).toBe(10);
    expect(headDerivative('clamp', 0.1, 0.1)).toBe(1);
    expect(headDerivative('clamp', 10, 10)).toBe(1);
    expect(headDerivative('clamp', 0.0999, 0.1)).toBe(0);
  });

  it('sigmoid head: T(0) = 1, bounded in (0.1, 10), derivative matches finite differences', () => {
    expect(headTemperature('sigmoid', 0)).toBeCloseTo(1, 15);
    expect(headTemperature('sigmoid', -40)).toBeGreaterThan(0.1 - 1e-12);
    expect(headTemperature('sigmoid', 40)).toBeLessThan(10 + 1e-12);
    for (const r of [-3, -0.5, 0, 0.7, 2.5]) {
      const fd = (headTemperature('sigmoid', r + 1e-6) - headTemperature('sigmoid', r - 1e-6)) / 2e-6;
      expect(headDerivative('sigmoid', r, headTemperature('sigmoid', r))).toBeCloseTo(fd, 7);
    }
  });

  it('robust init: every sample starts exactly at the base temperature, for every head', () => {
    const d = trainData(200, 8, 4, 4);
    for (const head of ['clamp', 'sigmoid', 'exp'] as const) {
      for (const T0 of [0.35, 1, 1.7, 4.2]) {
        const shape: NetShape = { features: 12, hidden: 5, head };
        const p = initAtTemperature(shape, new Rng(9), T0);
        for (let h = 0; h < 5; h++) expect(p[65 + h]).toBe(0);
        expect(Array.from(p.subarray(0, 60)).some((w) => w !== 0)).toBe(true); // hidden layer random, not zero
        const T = predictTemperaturesInto(shape, p, d.x, 200, new Float64Array(200));
        for (const t of T) expect(Math.abs(t - T0)).toBeLessThan(1e-12 * T0);
      }
    }
  });

  it('exp head: T = exp(clamp(r, ln 0.1, ln 10)), derivative T inside and 0 outside, headRawFor inverts every head', () => {
    expect(headTemperature('exp', Math.log(1.7))).toBeCloseTo(1.7, 14);
    expect(headTemperature('exp', 50)).toBeCloseTo(10, 12);
    expect(headTemperature('exp', -50)).toBeCloseTo(0.1, 12);
    expect(headDerivative('exp', 50, 10)).toBe(0);
    for (const r of [-1.5, 0, 0.4, 2]) {
      const fd = (headTemperature('exp', r + 1e-6) - headTemperature('exp', r - 1e-6)) / 2e-6;
      expect(headDerivative('exp', r, headTemperature('exp', r))).toBeCloseTo(fd, 7);
    }
    for (const head of ['clamp', 'sigmoid', 'exp'] as const) for (const T of [0.2, 1, 2.5, 9]) expect(headTemperature(head, headRawFor(head, T))).toBeCloseTo(T, 9);
  });

});
