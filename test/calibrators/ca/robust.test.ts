/**
 * Robust mode (docs/ca.md "Robust mode"): TS start, step budget independent of N, held-out selection with the
 * one-standard-error rule, NLL rescale, and the diagnostics against independent computations.
 */
import { describe, expect, it } from 'vitest';
import { fitCa } from '../../../src/calibrators/ca/spec.js';
import { fitTemperature } from '../../../src/calibrators/scaling/temperature.js';
import type { LabelledInput, ViewLogits } from '../../../src/calibrators/core/types.js';
import { Rng } from '../../../src/math/rng.js';
import { argmaxRows, softmaxPerRowTemperature } from '../../../src/math/softmax.js';

const NAMES = ['rotation', 'greyscale', 'colorjitter'];
type Data = LabelledInput & { views: ViewLogits };

/**
 * A set whose views carry correctness signal beyond the original confidence: about 70 % of the samples are
 * right; the views of a right sample repeat its logits (plus noise), the views of a wrong one are random.
 * `informative = false` draws every view at random, so the views carry no signal; `wrongViewScale` is the
 * spread of the random view logits (smaller = weaker signal).
 */
function signalData(n: number, seed: number, informative = true, wrongViewScale = 3): Data {
  const C = 6;
  const rng = new Rng(seed);
  const logits = new Float64Array(n * C), labels = new Int32Array(n);
  const views = NAMES.map(() => new Float64Array(n * C));
  for (let i = 0; i < n; i++) {
    const y = rng.int(C);
    labels[i] = y;
    const right = rng.random() < 0.7;
    const top = right ? y : (y + 1 + rng.int(C - 1)) % C;
    for (let j = 0; j < C; j++) logits[i * C + j] = rng.normal() + (j === top ? 3 + rng.random() * 2 : 0);
    for (const v of views) {
      for (let j = 0; j < C; j++) v[i * C + j] = informative && right ? (logits[i * C + j] as number) + 0.3 * rng.normal() : wrongViewScale * rng.normal();
    }
  }
  return { logits: { data: logits, rows: n, cols: C }, labels, views: { names: NAMES, logits: views.map((v) => ({ data: v, rows: n, cols: C })) } };
}

function correctness(d: Data): Uint8Array {
  const p = argmaxRows(d.logits);
  return Uint8Array.from(p, (k, i) => (k === d.labels[i] ? 1 : 0));
}

/** AUROC by counting pairs (ties count ½): an O(n²) oracle independent of src/metrics. */
function pairAuroc(score: ArrayLike<number>, positive: ArrayLike<number>): number {
  let num = 0, pairs = 0;
  for (let i = 0; i < score.length; i++) {
    if (positive[i] !== 1) continue;
    for (let j = 0; j < score.length; j++) {
      if (positive[j] === 1) continue;
      pairs++;
      const a = score[i] as number, b = score[j] as number;
      num += a > b ? 1 : a === b ? 0.5 : 0;
    }
  }
  return num / pairs;
}

/** numpy.percentile (linear) written out independently. */
function npPercentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = ((s.length - 1) * q) / 100;
  const lo = Math.floor(pos);
  return (s[lo] as number) + ((s[Math.min(lo + 1, s.length - 1)] as number) - (s[lo] as number)) * (pos - lo);
}

function confidences(probs: { data: Float64Array; cols: number; rows: number }): Float64Array {
  const out = new Float64Array(probs.rows);
  for (let i = 0; i < probs.rows; i++) { let m = 0; for (let j = 0; j < probs.cols; j++) m = Math.max(m, probs.data[i * probs.cols + j] as number); out[i] = m; }
  return out;
}

describe('ca robust mode', () => {
  it('starts from temperature scaling: with 0 steps every T(x) equals the TS temperature and the collapse is reported', () => {
    const d = signalData(400, 1);
    const ts = fitTemperature(d.logits, d.labels).temperature;
    const r = fitCa(d, { steps: 0 }, { seed: 2 });
    const T = r.model.predictTemperatures(d);
    for (const t of T) expect(Math.abs(t - ts)).toBeLessThan(1e-12 * ts);
    expect(r.selectedStep).toBe(0);
    expect(r.diagnostics.tTs).toBe(ts);
    expect(r.diagnostics.collapsed).toBe(true);
    expect(r.warnings.join(' ')).toMatch(/collapsed to one value/);
    const want = softmaxPerRowTemperature(d.logits, new Float64Array(400).fill(ts)).data;
    const got = r.model.predictProba(d).data;
    for (let i = 0; i < want.length; i++) expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(1e-12);
  });

  it('the training budget is a number of steps, whatever N (batch min(256, training rows))', () => {
    for (const n of [120, 4000]) {
      const r = fitCa(signalData(n, 3), { steps: 100, evalEvery: 25 }, { seed: 1 });
      expect(r.iterations).toBe(100);
      expect(r.stepLosses.length).toBe(100);
      expect(r.curves.step).toEqual([0, 25, 50, 75, 100]);
      expect(r.diagnostics.steps).toBe(100);
    }
  });

  it('learns the correctness signal of informative views: T flags wrong samples, AUROC of confidence beats TS on fresh data, argmax kept', () => {
    const cal = signalData(3000, 11), test = signalData(3000, 12);
    const r = fitCa(cal, {}, { seed: 0 });
    expect(r.selectedStep).toBeGreaterThan(0);
    expect(r.diagnostics.collapsed).toBe(false);
    expect(r.diagnostics.tAurocWrong).toBeGreaterThan(0.8);
    const c = correctness(test);
    const caConf = confidences(r.model.predictProba(test));
    const ts = fitTemperature(cal.logits, cal.labels).temperature;
    const tsConf = confidences(softmaxPerRowTemperature(test.logits, new Float64Array(3000).fill(ts)));
    expect(pairAuroc(caConf, c)).toBeGreaterThan(pairAuroc(tsConf, c) + 0.02);
    expect(Array.from(argmaxRows(r.model.predictProba(test)))).toEqual(Array.from(argmaxRows(test.logits)));
  });

  it('diagnostics equal an independent computation on the held-out rows (mean, sd, p5/p50/p95, AUROC of T for wrong-vs-right)', () => {
    const d = signalData(1500, 21);
    const r = fitCa(d, {}, { seed: 4 });
    expect(r.heldOut.length).toBe(300);
    expect(r.diagnostics.on).toBe('held-out');
    const Tall = r.model.predictTemperatures(d);
    const c = correctness(d);
    const T = Array.from(r.heldOut, (i) => Tall[i] as number);
    const wrong = Array.from(r.heldOut, (i) => 1 - (c[i] as number));
    const mean = T.reduce((a, b) => a + b, 0) / T.length;
    const sd = Math.sqrt(T.reduce((a, b) => a + (b - mean) ** 2, 0) / T.length);
    const g = r.diagnostics;
    expect(g.rows).toBe(300);
    expect(g.tMean).toBeCloseTo(mean, 12);
    expect(g.tSd).toBeCloseTo(sd, 12);
    expect(g.tP5).toBeCloseTo(npPercentile(T, 5), 12);
    expect(g.tP50).toBeCloseTo(npPercentile(T, 50), 12);
    expect(g.tP95).toBeCloseTo(npPercentile(T, 95), 12);
    expect(g.tAurocWrong).toBeCloseTo(pairAuroc(T, wrong), 12);
    expect(g.selectedStep).toBe(r.selectedStep);
    expect(r.summary).toContain(`selected step ${r.selectedStep}`);
    expect(r.model.toJSON().params['diagnostics']).toMatchObject({ tSd: g.tSd, selectedStep: g.selectedStep, collapsed: false });
  });

  it('selection: seRule 0 keeps the held-out argmin; a huge seRule keeps the TS start and says so', () => {
    const d = signalData(800, 5);
    const plain = fitCa(d, { seRule: 0, rescale: 'none' }, { seed: 1 });
    const at = plain.curves.step.indexOf(plain.selectedStep);
    expect(plain.curves.heldOutLoss[at]).toBe(Math.min(...plain.curves.heldOutLoss));
    const strict = fitCa(d, { seRule: 1e9 }, { seed: 1 });
    expect(strict.selectedStep).toBe(0);
    expect(strict.warnings.join(' ')).toMatch(/kept the temperature-scaling start/);
    const ts = fitTemperature(d.logits, d.labels).temperature;
    for (const t of strict.model.predictTemperatures(d)) expect(Math.abs(t - ts)).toBeLessThan(1e-12 * ts);
  });

  it('uninformative views on a small set: the default falls back to the TS start rather than fitting noise', () => {
    let kept = 0;
    for (let s = 0; s < 5; s++) if (fitCa(signalData(300, 40 + s, false), {}, { seed: s }).selectedStep === 0) kept++;
    expect(kept).toBeGreaterThanOrEqual(4);
  });

  it('rescale=nll leaves the global level NLL-optimal: TS on the CA-scaled logits returns 1', () => {
    const d = signalData(2000, 31, true, 0.7);
    const r = fitCa(d, { steps: 100 }, { seed: 0 });
    expect(r.selectedStep).toBeGreaterThan(0);
    expect(r.diagnostics.rescale).not.toBe(1);
    const T = r.model.predictTemperatures(d);
    const scaled = new Float64Array(d.logits.data.length);
    for (let i = 0; i < 2000; i++) for (let j = 0; j < 6; j++) scaled[i * 6 + j] = (d.logits.data[i * 6 + j] as number) / (T[i] as number);
    expect(Array.from(T).every((t) => t > 0.1 && t < 10)).toBe(true); // c is exact only away from the bounds
    expect(fitTemperature({ data: scaled, rows: 2000, cols: 6 }, d.labels).temperature).toBeCloseTo(1, 9);
  });
});
