import { describe, expect, it } from 'vitest';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import { softmaxPerRowTemperature } from '../../src/math/softmax.js';
import { Rng } from '../../src/math/rng.js';
import type { Matrix } from '../../src/math/matrix.js';

function overconfident(n: number, k: number, seed: number): { logits: Matrix<Float64Array>; labels: Int32Array } {
  const rng = new Rng(seed);
  const data = new Float64Array(n * k);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = rng.int(k);
    labels[i] = y;
    const shown = rng.random() < 0.7 ? y : rng.int(k);
    for (let j = 0; j < k; j++) data[i * k + j] = 4 * rng.normal() + (j === shown ? 8 : 0);
  }
  return { logits: { data, rows: n, cols: k }, labels };
}

describe('predictTemperatures of per-sample temperature models', () => {
  const train = overconfident(400, 5, 1);
  const test = overconfident(50, 5, 2);
  for (const id of ['ts', 'pts', 'ca']) {
    it(`${id}: softmax(z / T_i) with the reported temperatures equals predictProba`, () => {
      const spec = getCalibrator(id);
      const views = { names: ['rotation', 'greyscale', 'colorjitter'], logits: [train.logits, train.logits, train.logits] };
      const testViews = { names: views.names, logits: [test.logits, test.logits, test.logits] };
      const fit = spec.fit(id === 'ca' ? { ...train, views } : train, {}, { seed: 3 });
      const input = id === 'ca' ? { logits: test.logits, views: testViews } : { logits: test.logits };
      const t = fit.model.predictTemperatures?.(input);
      expect(t).toBeDefined();
      const temps = t as Float64Array;
      expect(temps.length).toBe(test.logits.rows);
      for (const v of temps) expect(v).toBeGreaterThan(0);
      const fromT = softmaxPerRowTemperature(test.logits, temps);
      const probs = fit.model.predictProba(input);
      for (let i = 0; i < probs.data.length; i++) expect(probs.data[i]).toBeCloseTo(fromT.data[i] as number, 12);
    });
  }
});
