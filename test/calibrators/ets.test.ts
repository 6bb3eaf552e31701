import { describe, expect, it } from 'vitest';
import { argmaxRows } from '../../src/math/softmax.js';
import { EnsembleTemperatureModel, ensembleTemperatureScaling, fitEnsembleWeights } from '../../src/calibrators/scaling/ets.js';
import { fixtureG, maxAbsDiff } from './scaling-fixtures.js';

const ctx = { seed: 0 };

describe('ets (calibrators.md §5.1)', () => {
  it('fixture GS: T = 1.4655357093, w = (0.2876878433, 0.5842162293, 0.1280959274), MSE 0.144500503962, q rows 0, 1, 4', () => {
    const GS = fixtureG([1, 0, -1]);
    const r = ensembleTemperatureScaling.fit(GS, {}, ctx);
    const m = r.model as EnsembleTemperatureModel;
    expect(Math.abs(m.temperature - 1.4655357093)).toBeLessThan(1e-7);
    expect(maxAbsDiff(m.weights(), [0.2876878433, 0.5842162293, 0.1280959274])).toBeLessThan(1e-8);
    expect(r.loss).toBeCloseTo(0.144500503962, 10);
    const q = m.predictProba(GS).data;
    const rows = [0, 1, 4].flatMap((i) => Array.from(q.subarray(3 * i, 3 * i + 3)));
    expect(maxAbsDiff(rows, [0.3101833265, 0.6258747124, 0.0639419611, 0.6865314369, 0.2681145646, 0.0453539984, 0.7863301298, 0.0453075712, 0.1683622989])).toBeLessThan(1e-8);
  });

  it('weights sum to 1 and on plain G the solver returns the vertex (1, 0, 0) exactly', () => {
    const G = fixtureG();
    const m = ensembleTemperatureScaling.fit(G, {}, ctx).model as EnsembleTemperatureModel;
    expect(Array.from(m.weights())).toEqual([1, 0, 0]);
    const w = fitEnsembleWeights(fixtureG([1, 0, -1]).logits, G.labels, 1.3).weights;
    expect(w[0]! + w[1]! + w[2]!).toBeCloseTo(1, 15);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(0);
  });

  it('the KKT solution is no worse than any point of a fine simplex grid', () => {
    const GS = fixtureG([1, 0, -1]);
    const T = 1.4655357093;
    const { mse } = fitEnsembleWeights(GS.logits, GS.labels, T);
    const K = 3, N = GS.logits.rows;
    for (let a = 0; a <= 20; a++) for (let b = 0; a + b <= 20; b++) {
      const w = [a / 20, b / 20, (20 - a - b) / 20];
      const m = new EnsembleTemperatureModel(K, T, Float64Array.from(w), {}, { converged: true, iterations: 0, loss: null, warnings: [] });
      const q = m.predictProba(GS).data;
      let s = 0;
      for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) s += (q[i * K + k]! - (GS.labels[i] === k ? 1 : 0)) ** 2;
      expect(s / (N * K)).toBeGreaterThanOrEqual(mse - 1e-15);
    }
  });

  it('preserves the argmax on GS', () => {
    const GS = fixtureG([1, 0, -1]);
    const m = ensembleTemperatureScaling.fit(GS, {}, ctx).model;
    expect(m.preservesArgmax).toBe(true);
    expect(Array.from(argmaxRows(m.predictProba(GS)))).toEqual(Array.from(argmaxRows(GS.logits)));
  });
});
