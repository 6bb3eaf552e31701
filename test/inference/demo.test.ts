import { describe, expect, it } from 'vitest';
import { runDemoModel, type DemoMethod } from '../../src/inference/demo.js';
import type { ImageClassifier } from '../../src/inference/views-pipeline.js';
import { makeDataset } from '../../src/datasets/types.js';
import type { Image } from '../../src/views/image.js';
import { evaluateMetrics } from '../../src/metrics/evaluate.js';
import { softmax } from '../../src/math/softmax.js';
import type { Matrix } from '../../src/math/matrix.js';

// A fake 3-class model: logits from three pixel sums, scaled up so it is overconfident.
const fake: ImageClassifier = {
  logits: (n: number, get: (i: number) => Image): Promise<Matrix<Float64Array>> => {
    const out = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) {
      const d = get(i).data;
      out[i * 3] = 8 * ((d[0] as number) + (d[1] as number));
      out[i * 3 + 1] = 8 * ((d[2] as number) + (d[3] as number));
      out[i * 3 + 2] = 8 * ((d[1] as number) + (d[2] as number));
    }
    return Promise.resolve({ data: out, rows: n, cols: 3 });
  },
};
const N = 90;
const ds = makeDataset({
  name: 'toy', width: 2, height: 2, channels: 1, classes: ['a', 'b', 'c'], source: 't', note: 'toy',
  pixels: Uint8Array.from({ length: N * 4 }, (_, i) => (i * 97 + (i >> 2) * 31) % 256), labels: Int32Array.from({ length: N }, (_, i) => (i * 7) % 3),
});
const methods: DemoMethod[] = [
  { label: 'uncalibrated', id: 'none', options: {} },
  { label: 'TS', id: 'ts', options: {} },
  { label: 'nope', id: 'no-such-method', options: {} },
];

describe('runDemoModel', () => {
  it('evaluates the uncalibrated row as the softmax of the model logits, and lists unregistered methods as missing', async () => {
    const cal = Int32Array.from({ length: 60 }, (_, i) => i);
    const test = Int32Array.from({ length: 30 }, (_, i) => 60 + i);
    const fractions: number[] = [];
    const r = await runDemoModel({
      modelId: 'toy', description: 'toy', classifier: fake, calibration: { dataset: ds, indices: cal, note: 'first 60' },
      testSets: [{ id: 'test', kind: 'id', dataset: ds, indices: test }], views: ['rotation'], methods, seed: 1,
    }, (f) => fractions.push(f));
    expect(r.methods.map((m) => m.status)).toEqual(['ok', 'ok', 'missing']);
    expect(r.calibration.n).toBe(60);
    const logits = await fake.logits(30, (i) => ds.image(60 + i));
    const want = evaluateMetrics(softmax(logits), Int32Array.from(test, (i) => ds.labels[i] as number), ['ca_paper.ece', 'ece', 'brier', 'nll', 'auroc', 'accuracy']);
    const got = r.results['uncalibrated']?.['test'];
    expect(got?.paper.ece).toBeCloseTo(want['ca_paper.ece'] as number, 12);
    expect(got?.default.ece).toBeCloseTo(want['ece'] as number, 12);
    expect(got?.default.brier).toBeCloseTo(want['brier'] as number, 12);
    expect(got?.default.nll).toBeCloseTo(want['nll'] as number, 12);
    expect(got?.accuracy).toBeCloseTo(want['accuracy'] as number, 12);
    expect(r.results['TS']?.['test']?.accuracy).toBe(got?.accuracy);
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => i === 0 || f >= (fractions[i - 1] as number))).toBe(true);
  });
});
