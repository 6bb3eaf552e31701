import { describe, expect, it } from 'vitest';
import { isCalibraError } from '../../src/errors.js';
import { Rng } from '../../src/math/rng.js';
import { argmaxRows } from '../../src/math/softmax.js';
import { fitTemperature, temperatureObjective, temperatureScaling } from '../../src/calibrators/scaling/temperature.js';
import type { CalibratorJSON } from '../../src/calibrators/core/types.js';
import { fixtureG, fixtureL, maxAbsDiff } from './scaling-fixtures.js';

const ctx = { seed: 0 };

describe('fitTemperature (calibrators.md §2.3 oracles)', () => {
  it('fixture L: T* = 0.386938488682, NLL 0.360739623087, q rows 0-1', () => {
    const L = fixtureL();
    const r = fitTemperature(L.logits, L.labels);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.temperature - 0.386938488682)).toBeLessThan(1e-9);
    expect(r.loss).toBeCloseTo(0.360739623087, 11);
    const m = temperatureScaling.fit(L, {}, ctx).model;
    const q = m.predictProba(L).data;
    expect(maxAbsDiff(q.subarray(0, 6), [0.9792872479, 0.0202922666, 0.0004204855, 0.5902943740, 0.3520394810, 0.0576661450])).toBeLessThan(2e-10);
  });

  it('fixture G: T* = 1.082397552203 and q rows 0-1; not the gpleiss recipe value 1.2585878', () => {
    const G = fixtureG();
    const r = fitTemperature(G.logits, G.labels);
    expect(Math.abs(r.temperature - 1.082397552203)).toBeLessThan(1e-9);
    expect(r.loss).toBeCloseTo(0.625218683929, 11);
    expect(Math.abs(r.temperature - 1.2585878)).toBeGreaterThan(0.1);
    const q = temperatureScaling.fit(G, {}, ctx).model.predictProba(G).data;
    expect(maxAbsDiff(q.subarray(0, 6), [0.1420764846, 0.8009988166, 0.0569246988, 0.5375752508, 0.4552156479, 0.0072091013])).toBeLessThan(2e-10);
  });

  it('NLL at T = 1 and T = 1.5 on fixture L match the oracle (0.481023511449, 0.594493461283)', () => {
    const L = fixtureL();
    expect(temperatureObjective(L.logits, L.labels, 1).f).toBeCloseTo(0.481023511449, 11);
    expect(temperatureObjective(L.logits, L.labels, 1 / 1.5).f).toBeCloseTo(0.594493461283, 11);
  });

  it('Brier objective on G gives the Mix-n-Match MSE-TS value T = 1.2400616274 (MSE 0.130076496833)', () => {
    const G = fixtureG();
    const r = fitTemperature(G.logits, G.labels, { objective: 'brier' });
    expect(Math.abs(r.temperature - 1.2400616274)).toBeLessThan(1e-7);
    expect(r.loss / 3).toBeCloseTo(0.130076496833, 11);
  });

  it('analytic β-derivatives match central finite differences (NLL f′, f″, f‴; Brier f′)', () => {
    const G = fixtureG();
    for (const beta of [0.3, 0.92, 2.5]) {
      const h = 1e-5;
      const e = temperatureObjective(G.logits, G.labels, beta);
      const fp = temperatureObjective(G.logits, G.labels, beta + h), fm = temperatureObjective(G.logits, G.labels, beta - h);
      expect(Math.abs(e.d1 - (fp.f - fm.f) / (2 * h))).toBeLessThan(1e-8);
      expect(Math.abs(e.d2 - (fp.d1 - fm.d1) / (2 * h))).toBeLessThan(1e-7);
      expect(Math.abs(e.d3 - (fp.d2 - fm.d2) / (2 * h))).toBeLessThan(1e-6);
      const b = temperatureObjective(G.logits, G.labels, beta, 'brier');
      const bp = temperatureObjective(G.logits, G.labels, beta + h, 'brier'), bm = temperatureObjective(G.logits, G.labels, beta - h, 'brier');
      expect(Math.abs(b.d1 - (bp.f - bm.f) / (2 * h))).toBeLessThan(1e-8);
    }
  });

  it('recovers a known temperature: labels drawn from softmax(s), logits s·T0 with T0 = 2.5', () => {
    const rng = new Rng(7);
    const N = 4000, K = 6, T0 = 2.5;
    const s = new Float64Array(N * K), labels = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      let sum = 0;
      const e: number[] = [];
      for (let k = 0; k < K; k++) { const v = 1.5 * rng.normal(); s[i * K + k] = v * T0; e.push(Math.exp(v)); sum += Math.exp(v); }
      let u = rng.random() * sum, k = 0;
      while (k < K - 1 && u >= (e[k] as number)) { u -= e[k] as number; k++; }
      labels[i] = k;
    }
    const r = fitTemperature({ data: s, rows: N, cols: K }, labels);
    expect(Math.abs(r.temperature - T0) / T0).toBeLessThan(0.05);
  });

  it('separable data returns tMin with a ts-separable warning, never a silent bound', () => {
    const r = fitTemperature({ data: Float64Array.of(2, 0, 0, 2), rows: 2, cols: 2 }, Int32Array.of(0, 1));
    expect(r.temperature).toBe(1e-3);
    expect(r.converged).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/ts-separable/);
  });

  it('labels below the mean logit return tMax with ts-no-positive-optimum (z = (2, 0), y = 1)', () => {
    const r = fitTemperature({ data: Float64Array.of(2, 0), rows: 1, cols: 2 }, Int32Array.of(1));
    expect(r.temperature).toBe(1e3);
    expect(r.warnings.join(' ')).toMatch(/ts-no-positive-optimum/);
  });

  it('an optimum outside [tMin, tMax] returns the bound with a ts-bound warning (L: T* = 0.387 (NLL), 0.607 (Brier); G: 1.08, 1.24)', () => {
    const L = fixtureL(), G = fixtureG();
    for (const objective of ['nll', 'brier'] as const) {
      const r = fitTemperature(L.logits, L.labels, { objective, tMin: 0.7, tMax: 3 });
      expect(r.temperature).toBe(0.7);
      expect(r.converged).toBe(false);
      expect(r.warnings.join(' ')).toMatch(/ts-bound/);
      const h = fitTemperature(G.logits, G.labels, { objective, tMin: 0.05, tMax: 1 });
      expect(h.temperature).toBe(1);
      expect(h.warnings.join(' ')).toMatch(/ts-bound/);
    }
  });

  it('large inputs (4000 × 1000, subsample warm start) reach a stationary point of NLL and Brier', () => {
    const rng = new Rng(1);
    const N = 4000, K = 1000;
    const z = new Float32Array(N * K), y = new Int32Array(N);
    for (let i = 0; i < N; i++) { y[i] = rng.int(K); for (let k = 0; k < K; k++) z[i * K + k] = 6 * (rng.normal() + (k === y[i] ? 1.5 : 0)); }
    const logits = { data: z, rows: N, cols: K };
    for (const objective of ['nll', 'brier'] as const) {
      const r = fitTemperature(logits, y, { objective });
      expect(r.converged).toBe(true);
      expect(r.temperature).toBeGreaterThan(2);
      expect(Math.abs(temperatureObjective(logits, y, 1 / r.temperature, objective).d1)).toBeLessThan(1e-9);
    }
  });

  it('handles 1e3-sized logits without overflow', () => {
    const L = fixtureL();
    const big = { data: L.logits.data.map((v) => v * 1000), rows: 8, cols: 3 };
    const r = fitTemperature(big, L.labels);
    expect(r.temperature / 1000).toBeCloseTo(0.386938488682, 8);
  });
});

describe('ts spec', () => {
  it('preserves the argmax and round-trips bit-identically through JSON', () => {
    const G = fixtureG();
    const m = temperatureScaling.fit(G, { objective: 'brier' }, ctx).model;
    expect(m.preservesArgmax).toBe(true);
    expect(Array.from(argmaxRows(m.predictProba(G)))).toEqual(Array.from(argmaxRows(G.logits)));
    const loaded = temperatureScaling.load(JSON.parse(JSON.stringify(m.toJSON())) as CalibratorJSON);
    expect(Array.from(loaded.predictProba(G).data)).toEqual(Array.from(m.predictProba(G).data));
    expect(m.toJSON().params).toEqual({ T: (m as unknown as { temperature: number }).temperature });
  });

  it('rejects bad input, options and model files with typed codes', () => {
    const L = fixtureL();
    const code = (f: () => unknown): string => { try { f(); return 'none'; } catch (e) { return isCalibraError(e) ? e.code : 'other'; } };
    expect(code(() => temperatureScaling.fit({ logits: L.logits, labels: Int32Array.of(0, 1, 1, 2, 0, 2, 2, 3) }, {}, ctx))).toBe('E_LABEL_RANGE');
    const nan = { data: L.logits.data.slice(), rows: 8, cols: 3 };
    nan.data[5] = NaN;
    expect(code(() => temperatureScaling.fit({ logits: nan, labels: L.labels }, {}, ctx))).toBe('E_NON_FINITE');
    expect(code(() => temperatureScaling.fit(L, { objective: 'ece' }, ctx))).toBe('E_OPTION');
    expect(code(() => temperatureScaling.fit(L, { nope: 1 }, ctx))).toBe('E_OPTION');
    const json = temperatureScaling.fit(L, {}, ctx).model.toJSON();
    expect(code(() => temperatureScaling.load({ ...json, version: 2 }))).toBe('E_MODEL_VERSION');
    expect(code(() => temperatureScaling.load({ ...json, method: 'vs' }))).toBe('E_MODEL_INVALID');
    expect(code(() => temperatureScaling.load({ ...json, params: { T: -1 } }))).toBe('E_MODEL_INVALID');
    expect(code(() => temperatureScaling.load({ ...json, params: {} }))).toBe('E_MODEL_INVALID');
    const m = temperatureScaling.load(json);
    expect(code(() => m.predictProba({ logits: { data: new Float64Array(4), rows: 2, cols: 2 } }))).toBe('E_SHAPE');
  });
});
