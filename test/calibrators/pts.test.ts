import { describe, expect, it } from 'vitest';
import { isCalibraError } from '../../src/errors.js';
import { argmaxRows } from '../../src/math/softmax.js';
import { parameterisedTemperatureScaling, ptsFeatureRow, ptsLossAndGradient, ptsTemperatures } from '../../src/calibrators/scaling/pts.js';
import type { CalibratorJSON } from '../../src/calibrators/core/types.js';
import { fixtureG, fixtureL, maxAbsDiff } from './scaling-fixtures.js';

/** calibrators.md §6 oracle: fixture L rows 0-3, topK 2, one hidden layer of 2 units, weight decay 0.01. */
const L = fixtureL();
const logits = { data: L.logits.data.slice(0, 12), rows: 4, cols: 3 };
const labels = L.labels.slice(0, 4);
const arch = { topK: 2, hidden: [2] };
// flat layout: W1 (2x2, out x in), b1, w2, b2
const params = Float64Array.of(0.5, -0.25, 0.1, 0.3, 0.05, -0.1, 0.8, -0.6, 0.7);
function features(): Float64Array {
  const f = new Float64Array(8), row = new Float64Array(2);
  for (let r = 0; r < 4; r++) { ptsFeatureRow(logits.data, 3, r, 2, row); f.set(row, 2 * r); }
  return f;
}

describe('pts (calibrators.md §6)', () => {
  it('sorted top-2 rows are (2, 0.5), (1.2, 1.0), (2.2, 0.1), (1.5, 0.3)', () => {
    expect(Array.from(features())).toEqual([2, 0.5, 1.2, 1.0, 2.2, 0.1, 1.5, 0.3]);
  });

  it('forward pass: T = (1.29, 0.828, 1.51, 1.196) and the calibrated rows of the torch oracle', () => {
    expect(maxAbsDiff(ptsTemperatures(params, arch, logits), [1.29, 0.828, 1.51, 1.196])).toBeLessThan(1e-14);
    const json = { format: 'calibra.calibrator', version: 1, method: 'pts', input: 'logits', numClasses: 3, reduction: 'none',
      options: { topK: 2, layers: 1, nodes: 2, lr: 0.001, epochs: 1, batchSize: 4, weightDecay: 0.01 },
      params: { topK: 2, clip: 100, layers: [{ W: [[0.5, -0.25], [0.1, 0.3]], b: [0.05, -0.1] }], out: { w: [0.8, -0.6], b: 0.7 }, Tmin: 1e-12, Tmax: 1e12 },
      fit: { converged: true, iterations: 0, loss: null, warnings: [] }, seed: 0 } as const satisfies CalibratorJSON;
    const q = parameterisedTemperatureScaling.load(json).predictProba({ logits }).data;
    expect(maxAbsDiff(q, [0.7090493016, 0.2216577140, 0.0692929844, 0.4711083217, 0.3700144860, 0.1588771923,
      0.1251967390, 0.7004624199, 0.1743408411, 0.2280132060, 0.1501062456, 0.6218805484])).toBeLessThan(1e-10);
  });

  it('loss 0.098786722552 and gradients equal the torch autograd oracle', () => {
    const g = new Float64Array(9);
    const loss = ptsLossAndGradient(params, arch, features(), logits, labels, [0, 1, 2, 3], 0.01, g);
    expect(loss).toBeCloseTo(0.098786722552, 12);
    expect(maxAbsDiff(g, [0.0849988624, 0.0030497400, -0.0542491468, -0.0000373050, 0.0384542014, -0.0288406510, 0.0467621328, 0.0075867351, 0.0480677517])).toBeLessThan(1e-10);
  });

  it('gradients of a deeper net (2 hidden layers, negative output) match central finite differences', () => {
    const G = fixtureG();
    const a = { topK: 3, hidden: [4, 3] };
    const n = 3 * 4 + 4 + 4 * 3 + 3 + 3 + 1;
    const p = Float64Array.from({ length: n }, (_, i) => 0.4 * Math.sin(1.7 * i + 0.3));
    p[n - 1] = -1.1; // T = |o| with o < 0 exercises the sign of the abs
    const f = new Float64Array(G.logits.rows * 3), row = new Float64Array(3);
    for (let r = 0; r < G.logits.rows; r++) { ptsFeatureRow(G.logits.data, 3, r, 3, row); f.set(row, 3 * r); }
    const idx = Array.from({ length: 60 }, (_, i) => i);
    const g = new Float64Array(n), tmp = new Float64Array(n);
    ptsLossAndGradient(p, a, f, G.logits, G.labels, idx, 0.02, g);
    for (let i = 0; i < n; i++) {
      const h = 1e-6, t = p.slice();
      t[i] = p[i]! + h; const fp = ptsLossAndGradient(t, a, f, G.logits, G.labels, idx, 0.02, tmp);
      t[i] = p[i]! - h; const fm = ptsLossAndGradient(t, a, f, G.logits, G.labels, idx, 0.02, tmp);
      expect(Math.abs(g[i]! - (fp - fm) / (2 * h))).toBeLessThan(1e-9);
    }
  });

  it('training is seeded (same seed, same model), lowers the loss, and keeps the argmax', () => {
    const G = fixtureG();
    const a = parameterisedTemperatureScaling.fit(G, { epochs: 20 }, { seed: 5 });
    const b = parameterisedTemperatureScaling.fit(G, { epochs: 20 }, { seed: 5 });
    expect(JSON.stringify(a.model.toJSON())).toBe(JSON.stringify(b.model.toJSON()));
    expect(a.model.toJSON().seed).toBe(5);
    const curve = a.lossCurve ?? [];
    expect(curve[curve.length - 1]!).toBeLessThan(curve[0]!);
    expect(Array.from(argmaxRows(a.model.predictProba(G)))).toEqual(Array.from(argmaxRows(G.logits)));
  });

  it('rejects topK > K with E_OPTION', () => {
    try { parameterisedTemperatureScaling.fit(fixtureG(), { topK: 4 }, { seed: 0 }); expect.unreachable(); } catch (e) { expect(isCalibraError(e, 'E_OPTION')).toBe(true); }
  });
});
