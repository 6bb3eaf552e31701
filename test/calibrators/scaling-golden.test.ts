/**
 * Scaling calibrators against test/golden/scaling.json, written by scripts/golden/scaling_reference.py with
 * torch (float64 L-BFGS, strong Wolfe), scipy.optimize and scikit-learn (versions inside the JSON).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { betaCalibration } from '../../src/calibrators/binary/beta.js';
import { dirichletDiag, dirichletFull } from '../../src/calibrators/scaling/dirichlet.js';
import { EnsembleTemperatureModel, ensembleTemperatureScaling } from '../../src/calibrators/scaling/ets.js';
import { matrixScaling } from '../../src/calibrators/scaling/matrix-scaling.js';
import { plattScaling } from '../../src/calibrators/binary/platt.js';
import { fitTemperature } from '../../src/calibrators/scaling/temperature.js';
import type { CalibratorJSON, CalibratorSpec, RawOptions } from '../../src/calibrators/core/types.js';
import { vectorScaling } from '../../src/calibrators/scaling/vector-scaling.js';
import { maxAbsDiff } from './scaling-fixtures.js';

interface Golden {
  data: { N: number; K: number; logits: number[][]; labels: number[] };
  ts: { T_torch_lbfgs: number; T_scipy_bounded: number; nll: number; T_brier_scipy: number };
  ets: { T: number; weights_slsqp: number[]; mse: number };
  linear: Record<string, { objective?: number; rows: number[]; probs: number[][]; lambda?: number }>;
  binary: { rows: number[]; platt_sklearn: number[]; platt_exact: number[]; beta_exact: number[]; beta_sklearn: number[] };
}
const golden = JSON.parse(readFileSync(new URL('../golden/scaling.json', import.meta.url), 'utf8')) as Golden;
const { N, K } = golden.data;
const logits = { data: Float64Array.from(golden.data.logits.flat()), rows: N, cols: K };
const labels = Int32Array.from(golden.data.labels);
const data = { logits, labels };
const ctx = { seed: 0 };

function rowsOf(q: Float64Array, rows: number[]): number[] {
  return rows.flatMap((r) => Array.from(q.subarray(r * K, (r + 1) * K)));
}

describe('scaling calibrators vs torch / scipy / scikit-learn (test/golden/scaling.json)', () => {
  it('TS by NLL agrees with torch L-BFGS and scipy bounded search (1e-6 relative) and reaches at most their NLL', () => {
    const r = fitTemperature(logits, labels);
    expect(Math.abs(r.temperature - golden.ts.T_torch_lbfgs) / r.temperature).toBeLessThan(1e-6);
    expect(Math.abs(r.temperature - golden.ts.T_scipy_bounded) / r.temperature).toBeLessThan(1e-6);
    expect(r.loss).toBeLessThanOrEqual(golden.ts.nll + 1e-13);
  });

  it('TS by Brier agrees with scipy (1e-6 relative)', () => {
    const r = fitTemperature(logits, labels, { objective: 'brier' });
    expect(Math.abs(r.temperature - golden.ts.T_brier_scipy) / r.temperature).toBeLessThan(1e-6);
  });

  it('ETS weights agree with scipy SLSQP on the simplex (1e-5) and the MSE is no worse', () => {
    const r = ensembleTemperatureScaling.fit(data, {}, ctx);
    const w = (r.model as EnsembleTemperatureModel).weights();
    expect(maxAbsDiff(w, golden.ets.weights_slsqp)).toBeLessThan(1e-5);
    expect(r.loss as number).toBeLessThanOrEqual(golden.ets.mse + 1e-10); // T differs from scipy's in the 8th digit
  });

  const linear: [string, CalibratorSpec, RawOptions][] = [
    ['vs', vectorScaling, {}], ['ms', matrixScaling, {}], ['vs_l2', vectorScaling, { lambda: 0.01, lambdaBias: 0.01 }],
    ['dirichlet', dirichletFull, {}], ['dirichlet_diag', dirichletDiag, {}],
  ];
  for (const [key, spec, opts] of linear) {
    it(`${key}: probabilities match torch L-BFGS to 1e-6 and the objective is no worse`, () => {
      const g = golden.linear[key]!;
      const r = spec.fit(data, opts, ctx);
      expect(r.loss as number).toBeLessThanOrEqual((g.objective as number) + 1e-12);
      expect(maxAbsDiff(rowsOf(r.model.predictProba({ logits }).data, g.rows), g.probs.flat())).toBeLessThan(1e-6);
    });
  }

  it('MS with an L2 penalty towards zero equals sklearn multinomial LogisticRegression with C = 1/(2λN) (1e-5)', () => {
    const g = golden.linear['ms_l2_zero_sklearn']!;
    const r = matrixScaling.fit(data, { lambda: g.lambda as number, target: 'zero' }, ctx);
    expect(maxAbsDiff(rowsOf(r.model.predictProba({ logits }).data, g.rows), g.probs.flat())).toBeLessThan(1e-5);
  });

  it('Platt and beta on a 2-class problem match the exact scipy optimum (1e-6) and scikit-learn (1e-3)', () => {
    const rows = golden.binary.rows;
    const z = new Float64Array(rows.length * 2), y = new Int32Array(rows.length);
    rows.forEach((r, i) => { z[2 * i] = logits.data[r * K]!; z[2 * i + 1] = logits.data[r * K + 1]!; y[i] = labels[r]!; });
    const bin = { logits: { data: z, rows: rows.length, cols: 2 }, labels: y };
    const platt = plattScaling.fit(bin, {}, ctx).model.toJSON() as CalibratorJSON;
    const map = (platt.params['maps'] as { A: number; B: number }[])[0]!;
    expect(maxAbsDiff([map.A, map.B], golden.binary.platt_exact)).toBeLessThan(1e-6);
    expect(maxAbsDiff([map.A, map.B], golden.binary.platt_sklearn)).toBeLessThan(1e-3);
    const beta = betaCalibration.fit(bin, {}, ctx).model.toJSON() as CalibratorJSON;
    const bm = (beta.params['maps'] as { a: number; b: number; c: number }[])[0]!;
    expect(maxAbsDiff([bm.a, bm.b, bm.c], golden.binary.beta_exact)).toBeLessThan(1e-6);
    expect(maxAbsDiff([bm.a, bm.b, bm.c], golden.binary.beta_sklearn)).toBeLessThan(1e-3);
  });
});
