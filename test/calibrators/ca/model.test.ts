import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { caModelFromJSON } from '../../../src/calibrators/ca/model.js';
import { caSpec, fitCa } from '../../../src/calibrators/ca/spec.js';
import type { CalibratorJSON, LabelledInput, ViewLogits } from '../../../src/calibrators/core/types.js';
import { isCalibraError } from '../../../src/errors.js';
import { argmaxRows } from '../../../src/math/softmax.js';
import { Rng } from '../../../src/math/rng.js';

const NAMES = ['rotation', 'greyscale', 'colorjitter'];

function dataset(n: number, C: number, seed: number, scale = 1.5): LabelledInput & { views: ViewLogits } {
  const rng = new Rng(seed);
  const logits = new Float64Array(n * C);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.int(C);
    for (let j = 0; j < C; j++) logits[i * C + j] = scale * rng.normal() + (j === labels[i] ? 2.5 * rng.random() : 0);
  }
  const views = NAMES.map(() => ({ data: logits.map((v) => 0.8 * v + rng.normal()), rows: n, cols: C }));
  return { logits: { data: logits, rows: n, cols: C }, labels, views: { names: NAMES, logits: views } };
}

function permuteInput(d: LabelledInput & { views: ViewLogits }, perm: Int32Array): LabelledInput & { views: ViewLogits } {
  const C = d.logits.cols;
  const take = (m: { data: Float64Array | Float32Array }): Float64Array => {
    const out = new Float64Array(perm.length * C);
    perm.forEach((r, i) => out.set(m.data.subarray(r * C, (r + 1) * C), i * C));
    return out;
  };
  return {
    logits: { data: take(d.logits), rows: perm.length, cols: C },
    labels: Int32Array.from(perm, (r) => d.labels[r] as number),
    views: { names: d.views.names, logits: d.views.logits.map((m) => ({ data: take(m), rows: perm.length, cols: C })) },
  };
}

describe('ca: guarantees of the fitted model', () => {
  const train = dataset(600, 6, 1);
  const fitted = fitCa(train, { mode: 'robust', steps: 200, batchSize: 100 }, { seed: 3 });

  it('keeps the argmax (accuracy identical) on every input, for every mode and loss', () => {
    const models = [fitted.model, fitCa(train, { mode: 'faithful', lr: 0.05, epochs: 3, batchSize: 100 }, { seed: 4 }).model,
      fitCa(train, { loss: 'ce', viewsUsed: 'none', epochs: 5 }, { seed: 5 }).model];
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(1, 1e-3, 30, 1e3), (seed, scale) => {
      const test = dataset(25, 6, seed, scale);
      const before = argmaxRows(test.logits);
      for (const m of models) expect(Array.from(argmaxRows(m.predictProba(test)))).toEqual(Array.from(before));
    }), { numRuns: 25 });
  });

  it("a test sample's temperature depends only on its own views: permuting, subsetting or one-at-a-time batching gives identical values", () => {
    const test = dataset(50, 6, 77);
    const T = fitted.model.predictTemperatures(test);
    const perm = new Rng(2).permutation(50);
    const Tp = fitted.model.predictTemperatures(permuteInput(test, perm));
    perm.forEach((r, i) => expect(Tp[i]).toBe(T[r]));
    for (const r of [0, 17, 49]) expect(fitted.model.predictTemperatures(permuteInput(test, Int32Array.from([r])))[0]).toBe(T[r]);
    expect(T.every((t) => t >= 0.1 && t <= 10)).toBe(true);
  });

  it('JSON round trip is bit-identical (text and predictions)', () => {
    const text = JSON.stringify(fitted.model.toJSON());
    const loaded = caSpec.load(JSON.parse(text) as CalibratorJSON);
    expect(JSON.stringify(loaded.toJSON())).toBe(text);
    const test = dataset(30, 6, 8);
    expect(Array.from(loaded.predictProba(test).data)).toEqual(Array.from(fitted.model.predictProba(test).data));
  });

  it('is deterministic for a seed and records the seed and resolved options', () => {
    const again = fitCa(train, { mode: 'robust', steps: 200, batchSize: 100 }, { seed: 3 });
    expect(JSON.stringify(again.model.toJSON())).toBe(JSON.stringify(fitted.model.toJSON()));
    const j = fitted.model.toJSON();
    expect(j.seed).toBe(3);
    expect(j.options['mode']).toBe('robust');
    expect(j.params['viewsUsed']).toEqual(NAMES);
    expect(j.input).toBe('views');
  });

  it('robust mode scores the held-out split every evalEvery steps (step 0 = the TS start) and keeps the best held-out CA loss', () => {
    const c = fitted.curves;
    expect(c.step).toEqual(Array.from({ length: 9 }, (_, i) => 25 * i));
    expect(c.heldOutLoss.length).toBe(9);
    for (const curve of [c.heldOutLoss, c.heldOutNll, c.heldOutEce]) expect(curve.every((v) => Number.isFinite(v))).toBe(true);
    const at = c.step.indexOf(fitted.selectedStep);
    expect(c.heldOutLoss[at]).toBe(Math.min(...c.heldOutLoss));
    expect(fitted.iterations).toBe(200);
    expect(fitted.diagnostics.steps).toBe(200);
    expect(fitted.diagnostics.selectedStep).toBe(fitted.selectedStep);
  });

  it('rejects input missing a fitted view with E_VIEWS_MISMATCH naming expected and given views', () => {
    const test = dataset(5, 6, 9);
    const bad = { logits: test.logits, views: { names: ['rotation', 'blur', 'colorjitter'], logits: test.views.logits } };
    try { fitted.model.predictProba(bad); expect.unreachable(); } catch (e) {
      expect(isCalibraError(e, 'E_VIEWS_MISMATCH')).toBe(true);
      expect(String((e as Error).message)).toContain('[rotation, greyscale, colorjitter]');
      expect(String((e as Error).message)).toContain('[rotation, blur, colorjitter]');
    }
    expect(() => fitted.model.predictProba({ logits: test.logits })).toThrow(/expects views/);
  });

  it('"CA only" (viewsUsed=none) needs no views and uses k features', () => {
    const r = fitCa({ logits: train.logits, labels: train.labels }, { viewsUsed: 'none', epochs: 5 }, { seed: 1 });
    expect((r.model.toJSON().params['W1'] as number[][])[0]?.length).toBe(4);
    expect(r.model.predictTemperatures({ logits: train.logits }).length).toBe(600);
  });

  it('bad options and broken model files fail with E_OPTION / E_MODEL_INVALID', () => {
    expect(() => fitCa(train, { loss: 'focal' }, { seed: 0 })).toThrow(/one of ca, ce, mse/);
    expect(() => fitCa(train, { k: 7 }, { seed: 0 })).toThrow(/k=7/);
    expect(() => fitCa(train, { bogus: 1 }, { seed: 0 })).toThrow(/unknown option/);
    const j = fitted.model.toJSON();
    const broken = { ...j, params: { ...j.params, b1: [1, 2] } } as CalibratorJSON;
    try { caModelFromJSON(broken); expect.unreachable(); } catch (e) { expect(isCalibraError(e, 'E_MODEL_INVALID')).toBe(true); }
  });

  it('faithful mode reports a start in the clamp dead zone as a warning and not converged (ca-method.md §8.3)', () => {
    const init = new Float64Array(71);
    init[70] = -5; // raw output -5 for every sample: T = 0.1, zero gradient
    const r = fitCa(train, { mode: 'faithful' }, { seed: 1 }, { initParams: init });
    expect(r.converged).toBe(false);
    expect(r.warnings.join(' ')).toMatch(/100\.0% of samples had a raw output outside \[0\.1, 10\]/);
    expect(Array.from(r.model.predictTemperatures(train)).every((t) => t === 0.1)).toBe(true);
  });

  it('faithful mode with PyTorch-default init leaves temperatures near where they started at lr 1e-4 (ca-method.md §8.2)', () => {
    const r = fitCa(train, { mode: 'faithful' }, { seed: 12 });
    expect(r.iterations).toBe(10);
    const first = r.curves.trainLoss[0] as number, last = r.curves.trainLoss[10] as number;
    expect(Math.abs(first - last)).toBeLessThan(0.05 * first);
  });
});
