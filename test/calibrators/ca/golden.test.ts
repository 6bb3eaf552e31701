/**
 * Faithful CA loop vs an independent PyTorch implementation (scripts/golden/ca_reference.py, Debian python3-torch,
 * float64): same fixture, same initial weights, same per-epoch batch orders -> same step losses, final weights and
 * temperatures. Versions are recorded in test/golden/ca.json.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caFeatures } from '../../../src/calibrators/ca/features.js';
import { fitCa } from '../../../src/calibrators/ca/spec.js';
import type { Matrix } from '../../../src/math/matrix.js';

interface Params { W1: number[][]; b1: number[]; w2: number[]; b2: number }
interface Run { loss: string; weighting: string; head: string; lr: number; init: string; stepLosses: number[]; final: Params; temperatures: number[] }
interface Golden {
  N: number; C: number; k: number; hidden: number; batchSize: number; epochs: number; views: string[];
  logits: number[][]; labels: number[]; viewLogits: number[][][]; orders: number[][]; features: number[][];
  inits: Record<string, Params>; runs: Run[];
}

const g = JSON.parse(readFileSync(new URL('../../golden/ca.json', import.meta.url), 'utf8')) as Golden;
const mat = (rows: number[][]): Matrix<Float64Array> => ({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: (rows[0] as number[]).length });
const flat = (p: Params): Float64Array => Float64Array.from([...p.W1.flat(), ...p.b1, ...p.w2, p.b2]);
const logits = mat(g.logits);
const labels = Int32Array.from(g.labels);
const views = { names: g.views, logits: g.viewLogits.map(mat) };

describe('CA faithful loop matches PyTorch (golden test/golden/ca.json)', () => {
  it('features equal torch.topk + softmax gathers to 1e-15', () => {
    const x = caFeatures(logits, views.logits, g.k);
    const want = Float64Array.from(g.features.flat());
    expect(x.cols).toBe(12);
    for (let i = 0; i < want.length; i++) expect(Math.abs((x.data[i] as number) - (want[i] as number))).toBeLessThan(1e-15);
  });

  for (const run of g.runs) {
    it(`${run.loss}/${run.weighting}/${run.head} lr=${run.lr} from init '${run.init}': step losses, weights and temperatures agree to 1e-12 (observed ≤ 5e-16)`, () => {
      const res = fitCa({ logits, labels, views }, {
        mode: 'faithful', loss: run.loss, weighting: run.weighting, head: run.head, lr: run.lr,
        epochs: g.epochs, batchSize: g.batchSize, k: g.k, hidden: g.hidden,
      }, { seed: 1 }, { initParams: flat(g.inits[run.init] as Params), order: (e) => Int32Array.from(g.orders[e] as number[]) });
      expect(res.stepLosses.length).toBe(run.stepLosses.length);
      res.stepLosses.forEach((l, i) => expect(Math.abs(l - (run.stepLosses[i] as number))).toBeLessThan(1e-12));
      const got = flat(res.model.toJSON().params as unknown as Params);
      const want = flat(run.final);
      for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(1e-12);
      const T = res.model.predictTemperatures({ logits, views });
      run.temperatures.forEach((t, i) => expect(Math.abs((T[i] as number) - t)).toBeLessThan(1e-12));
      // the weights really moved (the comparison is not trivially satisfied by the init)
      const init = flat(g.inits[run.init] as Params);
      let moved = 0;
      for (let i = 0; i < init.length; i++) moved = Math.max(moved, Math.abs((want[i] as number) - (init[i] as number)));
      expect(moved).toBeGreaterThan(run.lr);
    });
  }
});
