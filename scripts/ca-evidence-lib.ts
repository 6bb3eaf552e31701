/**
 * Shared pieces of the CA evidence runs (scripts/ca-evidence.ts): views sets, seeded subsamples, method fits,
 * the two headline metrics (ECE with 15 equal-width bins, AUROC of confidence for correct-vs-wrong, both from
 * src/metrics through evaluateMetrics) and a paired bootstrap over test samples written here from scratch
 * (weighted ECE / AUROC with bootstrap counts as weights; checked against evaluateMetrics at unit weights).
 */
import { fitCa } from '../src/calibrators/ca/spec.js';
import { fitTemperature } from '../src/calibrators/scaling/temperature.js';
import type { RawOptions, ViewLogits } from '../src/calibrators/core/types.js';
import { loadViewsFile } from '../src/data/views-file.js';
import { takeLabels, takeRows, type Matrix } from '../src/math/matrix.js';
import { Rng } from '../src/math/rng.js';
import { argmaxRows, softmax, softmaxPerRowTemperature } from '../src/math/softmax.js';
import { evaluateMetrics } from '../src/metrics/evaluate.js';

/** One views set. */
export interface ViewsSet { readonly logits: Matrix<Float64Array>; readonly labels: Int32Array; readonly views: ViewLogits }

export function loadSet(file: string): ViewsSet {
  const v = loadViewsFile(file);
  return { logits: v.original, labels: v.labels, views: v.views };
}

/** Rows `rows` of a set. */
export function subset(s: ViewsSet, rows: ArrayLike<number>): ViewsSet {
  const keep = Array.from(rows);
  return { logits: takeRows(s.logits, keep), labels: takeLabels(s.labels, keep), views: { names: s.views.names, logits: s.views.logits.map((m) => takeRows(m, keep)) } };
}

/** A seeded subsample of n rows of `pool` (all of them, in order, when n ≥ pool length). */
export function subsample(pool: ArrayLike<number>, n: number, seed: number): Int32Array {
  const p = Int32Array.from(pool);
  if (n >= p.length) return p;
  return new Rng(seed).shuffle(p).slice(0, n).sort();
}

/** A method of the comparison: how to fit it and what it reports. */
export interface Method { readonly id: string; readonly label: string; readonly options?: RawOptions }

/** A fitted method: calibrated probabilities of a set, plus fit diagnostics. */
export interface Fitted {
  readonly predict: (s: ViewsSet) => Matrix<Float64Array>;
  readonly info: Record<string, number | boolean | string | null>;
  readonly seconds: number;
}

/** Fits `m` on `cal` with calibrator seed `seed`. `uncal` and `ts` are the baselines; anything else is `ca` with m.options. */
export function fitMethod(m: Method, cal: ViewsSet, seed: number): Fitted {
  const t0 = performance.now();
  if (m.id === 'uncal') return { predict: (s) => softmax(s.logits), info: {}, seconds: 0 };
  if (m.id === 'ts') {
    const r = fitTemperature(cal.logits, cal.labels);
    const T = r.temperature;
    return { predict: (s) => softmaxPerRowTemperature(s.logits, new Float64Array(s.labels.length).fill(T)), info: { T }, seconds: (performance.now() - t0) / 1000 };
  }
  const r = fitCa(cal, m.options ?? {}, { seed });
  const d = r.diagnostics;
  return {
    predict: (s) => r.model.predictProba(s),
    info: { tTs: d.tTs, rescale: d.rescale, tMean: d.tMean, tSd: d.tSd, tP5: d.tP5, tP95: d.tP95, tAurocWrong: Number.isNaN(d.tAurocWrong) ? null : d.tAurocWrong, steps: d.steps, selectedStep: d.selectedStep, collapsed: d.collapsed, converged: r.converged },
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Top-label confidence and correctness of calibrated probabilities. */
export function confCorrect(probs: Matrix<Float64Array>, labels: Int32Array): { conf: Float64Array; correct: Uint8Array } {
  const n = labels.length, C = probs.cols;
  const pred = argmaxRows(probs);
  const conf = new Float64Array(n), correct = new Uint8Array(n);
  for (let i = 0; i < n; i++) { conf[i] = probs.data[i * C + (pred[i] as number)] as number; correct[i] = pred[i] === labels[i] ? 1 : 0; }
  return { conf, correct };
}

/** ECE (15 bins) and AUROC from the library (evaluateMetrics), the numbers every table reports. */
export function headline(probs: Matrix<Float64Array>, labels: Int32Array): { ece: number; auroc: number } {
  const v = evaluateMetrics(probs, labels, ['ece', 'auroc']);
  return { ece: v['ece'] as number, auroc: v['auroc'] as number };
}

/** Weighted 15-bin equal-width ECE, bins (b/15, (b+1)/15] (the first also takes 0). Cost O(N). */
export function weightedEce(conf: Float64Array, correct: Uint8Array, w: Float64Array): number {
  const B = 15;
  const n = new Float64Array(B), sc = new Float64Array(B), sa = new Float64Array(B);
  let tot = 0;
  for (let i = 0; i < conf.length; i++) {
    const wi = w[i] as number;
    if (wi === 0) continue;
    const c = conf[i] as number;
    const b = Math.min(B - 1, Math.max(0, Math.ceil(c * B) - 1));
    n[b] = (n[b] as number) + wi; sc[b] = (sc[b] as number) + wi * c; sa[b] = (sa[b] as number) + wi * (correct[i] as number);
    tot += wi;
  }
  let e = 0;
  for (let b = 0; b < B; b++) e += Math.abs((sc[b] as number) - (sa[b] as number));
  return e / tot;
}

/** Weighted AUROC of conf for correct (=1) vs wrong, average ranks for ties; `order` ascending by conf. Cost O(N). */
export function weightedAuroc(conf: Float64Array, correct: Uint8Array, w: Float64Array, order: Int32Array): number {
  let rank = 0, pos = 0, neg = 0, sum = 0;
  let r = 0;
  const n = order.length;
  while (r < n) {
    let e = r;
    const v = conf[order[r] as number] as number;
    let wAll = 0, wPos = 0;
    while (e < n && conf[order[e] as number] === v) { const i = order[e] as number; const wi = w[i] as number; wAll += wi; if (correct[i] === 1) wPos += wi; e++; }
    const avg = rank + (wAll + 1) / 2;
    sum += wPos * avg;
    pos += wPos; neg += wAll - wPos;
    rank += wAll;
    r = e;
  }
  if (pos === 0 || neg === 0) return Number.NaN;
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Ascending order of conf (stable). */
export function ascending(conf: Float64Array): Int32Array {
  return Int32Array.from({ length: conf.length }, (_, i) => i).sort((a, b) => (conf[a] as number) - (conf[b] as number) || a - b);
}

/** Percentile (linear) of an unsorted list. */
export function percentile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const v = (s.length - 1) * q;
  const lo = Math.floor(v), hi = Math.min(lo + 1, s.length - 1);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (v - lo);
}

export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) : 0;
  return { mean: m, sd: Math.sqrt(v) };
}

/**
 * Paired bootstrap over test samples of the difference (method − TS) of the seed-mean metric: every replicate
 * draws one multiset of test rows (Poisson(1)-free multinomial counts, seeded) and scores all seeds of both
 * methods on it. Returns the 2.5 / 97.5 percentiles. Cost O(replicates · seeds · N).
 */
export function pairedBootstrap(a: { conf: Float64Array; correct: Uint8Array }[], b: { conf: Float64Array; correct: Uint8Array }[], replicates: number, seed: number): { ece: [number, number]; auroc: [number, number] } {
  const n = (a[0] as { conf: Float64Array }).conf.length;
  const rng = new Rng(seed);
  const w = new Float64Array(n);
  const oa = a.map((x) => ascending(x.conf)), ob = b.map((x) => ascending(x.conf));
  const dE: number[] = [], dA: number[] = [];
  for (let r = 0; r < replicates; r++) {
    w.fill(0);
    for (let j = 0; j < n; j++) { const i = rng.int(n); w[i] = (w[i] as number) + 1; }
    let e = 0, u = 0;
    for (let s = 0; s < a.length; s++) {
      const A = a[s] as { conf: Float64Array; correct: Uint8Array }, Bm = b[s] as { conf: Float64Array; correct: Uint8Array };
      e += weightedEce(A.conf, A.correct, w) - weightedEce(Bm.conf, Bm.correct, w);
      u += weightedAuroc(A.conf, A.correct, w, oa[s] as Int32Array) - weightedAuroc(Bm.conf, Bm.correct, w, ob[s] as Int32Array);
    }
    dE.push(e / a.length); dA.push(u / a.length);
  }
  return { ece: [percentile(dE, 0.025), percentile(dE, 0.975)], auroc: [percentile(dA, 0.025), percentile(dA, 0.975)] };
}
