import { describe, expect, it } from 'vitest';
import { isCalibraError } from '../../src/errors.js';
import { Rng } from '../../src/math/rng.js';
import { argmaxRows, softmax } from '../../src/math/softmax.js';
import { betaCalibration } from '../../src/calibrators/binary/beta.js';
import { dirichletDiag, dirichletFull, dirichletOdir } from '../../src/calibrators/scaling/dirichlet.js';
import { ensembleTemperatureScaling } from '../../src/calibrators/scaling/ets.js';
import { matrixScaling } from '../../src/calibrators/scaling/matrix-scaling.js';
import { plattScaling } from '../../src/calibrators/binary/platt.js';
import { parameterisedTemperatureScaling } from '../../src/calibrators/scaling/pts.js';
import { temperatureScaling } from '../../src/calibrators/scaling/temperature.js';
import type { CalibratorJSON, CalibratorSpec, RawOptions } from '../../src/calibrators/core/types.js';
import { vectorScaling } from '../../src/calibrators/scaling/vector-scaling.js';
import { fixtureG, fixtureL } from './scaling-fixtures.js';

const ctx = { seed: 3 };
const CASES: [CalibratorSpec, RawOptions][] = [
  [temperatureScaling, {}], [temperatureScaling, { objective: 'brier' }], [vectorScaling, { lambda: 0.01 }], [matrixScaling, {}],
  [dirichletFull, {}], [dirichletDiag, { lambda: 0.1 }], [dirichletOdir, {}], [ensembleTemperatureScaling, {}],
  [parameterisedTemperatureScaling, { epochs: 5 }], [plattScaling, {}], [plattScaling, { reduction: 'top-label', inputTransform: 'identity' }],
  [betaCalibration, {}], [betaCalibration, { reduction: 'top-label' }],
];

/** Test inputs: fixture G, G with a column shift, fixture L, and random logits up to ±3000. */
function testInputs(): { data: Float64Array; rows: number; cols: number }[] {
  const rng = new Rng(99);
  const big = Float64Array.from({ length: 200 * 3 }, () => rng.normal() * 1000);
  const mid = Float64Array.from({ length: 500 * 3 }, () => rng.normal() * 4);
  return [fixtureG().logits, fixtureG([1, 0, -1]).logits, fixtureL().logits, { data: big, rows: 200, cols: 3 }, { data: mid, rows: 500, cols: 3 }];
}

const code = (f: () => unknown): string => { try { f(); return 'none'; } catch (e) { return isCalibraError(e) ? e.code : `other: ${String(e)}`; } };

describe('every scaling calibrator', () => {
  const G = fixtureG();
  for (const [spec, opts] of CASES) {
    const name = `${spec.id} ${JSON.stringify(opts)}`;
    it(`${name}: fit -> toJSON -> JSON text -> load -> predict is bit-identical`, () => {
      const model = spec.fit(G, opts, ctx).model;
      const text = JSON.stringify(model.toJSON());
      const loaded = spec.load(JSON.parse(text) as CalibratorJSON);
      expect(JSON.stringify(loaded.toJSON())).toBe(text);
      for (const logits of testInputs()) {
        const a = model.predictProba({ logits }).data, b = loaded.predictProba({ logits }).data;
        expect(Buffer.from(b.buffer).equals(Buffer.from(a.buffer))).toBe(true);
        for (const v of a) expect(Number.isFinite(v)).toBe(true);
      }
    });

    it(`${name}: preservesArgmax = ${spec.preservesArgmax} is honest on every test input`, () => {
      const model = spec.fit(G, opts, ctx).model;
      expect(model.preservesArgmax).toBe(spec.preservesArgmax);
      if (!spec.preservesArgmax) return;
      for (const logits of testInputs()) {
        expect(Array.from(argmaxRows(model.predictProba({ logits })))).toEqual(Array.from(argmaxRows(logits)));
      }
    });

    it(`${name}: rejects labels >= K, non-finite logits, unknown options and bad model files`, () => {
      const bad = G.labels.slice(); bad[7] = 3;
      expect(code(() => spec.fit({ logits: G.logits, labels: bad }, opts, ctx))).toBe('E_LABEL_RANGE');
      const inf = { data: G.logits.data.slice(), rows: 60, cols: 3 }; inf.data[10] = Infinity;
      expect(code(() => spec.fit({ logits: inf, labels: G.labels }, opts, ctx))).toBe('E_NON_FINITE');
      expect(code(() => spec.fit(G, { ...opts, notAnOption: 1 }, ctx))).toBe('E_OPTION');
      const json = spec.fit(G, opts, ctx).model.toJSON();
      expect(code(() => spec.load({ ...json, version: 99 }))).toBe('E_MODEL_VERSION');
      expect(code(() => spec.load({ ...json, format: 'other' as 'calibra.calibrator' }))).toBe('E_MODEL_INVALID');
      expect(code(() => spec.load({ ...json, method: 'xyz' }))).toBe('E_MODEL_INVALID');
      expect(code(() => spec.load({ ...json, params: {} }))).toBe('E_MODEL_INVALID');
      // a wrong class count is caught at load (K-shaped params) or when applied to 3-column logits
      expect(code(() => spec.load({ ...json, numClasses: 4 }).predictProba({ logits: G.logits }))).toMatch(/E_MODEL_INVALID|E_OPTION|E_SHAPE/);
      const model = spec.load(json);
      expect(code(() => model.predictProba({ logits: { data: new Float64Array(8), rows: 2, cols: 4 } }))).toBe('E_SHAPE');
    });
  }

  it('on over-confident held-out logits (labels from softmax(s), logits 3s) every method lowers the test NLL', () => {
    const rng = new Rng(5);
    const make = (n: number): { logits: { data: Float64Array; rows: number; cols: number }; labels: Int32Array } => {
      const z = new Float64Array(n * 3), y = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const s = [rng.normal() * 1.5 + 0.3, rng.normal() * 1.5, rng.normal() * 1.5 - 0.2];
        const e = s.map(Math.exp), tot = e[0]! + e[1]! + e[2]!;
        const u = rng.random() * tot;
        y[i] = u < e[0]! ? 0 : u < e[0]! + e[1]! ? 1 : 2;
        for (let k = 0; k < 3; k++) z[i * 3 + k] = 3 * s[k]!;
      }
      return { logits: { data: z, rows: n, cols: 3 }, labels: y };
    };
    const val = make(800), test = make(800);
    const nll = (q: Float64Array): number => { let t = 0; for (let i = 0; i < 800; i++) t -= Math.log(q[i * 3 + test.labels[i]!]!); return t / 800; };
    const base = nll(softmax(test.logits).data);
    for (const [spec, opts] of CASES) {
      const q = spec.fit(val, spec.id === 'pts' ? { epochs: 200, lr: 0.01 } : opts, ctx).model.predictProba(test).data;
      expect(nll(q), `${spec.id} ${JSON.stringify(opts)}`).toBeLessThan(base - 0.05);
    }
  });

  it('load names the bad field in the error', () => {
    const json = matrixScaling.fit(G, {}, ctx).model.toJSON();
    const W = (json.params['W'] as number[][]).map((r) => r.slice());
    (W[1] as unknown[])[2] = 'x';
    try { matrixScaling.load({ ...json, params: { ...json.params, W } }); expect.unreachable(); } catch (e) {
      expect(isCalibraError(e, 'E_MODEL_INVALID') && e.where).toBe("field 'params.W[1][2]'");
    }
  });
});
