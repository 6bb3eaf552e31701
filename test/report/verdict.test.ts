import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { computeVerdict, verdictSample, type VerdictMethod } from '../../src/report/verdict.js';
import { evaluateMetrics } from '../../src/metrics/evaluate.js';
import type { Matrix } from '../../src/math/matrix.js';

// Data and numpy intervals: scripts/golden/paired_bootstrap_reference.py (none, ts fitted by scipy, sharp = 1.3 z).
interface Golden { classes: number; labels: number[]; probs: Record<string, number[]>; fixedIndices: number[][]; fixed: Record<string, Record<string, { diff: number; low: number; high: number }>> }
const g = JSON.parse(readFileSync(new URL('../golden/paired-bootstrap.json', import.meta.url), 'utf8')) as Golden;
const labels = Int32Array.from(g.labels);
const N = labels.length;
const K = g.classes;
const mat = (data: Float64Array): Matrix => ({ data, rows: N, cols: K });
const probsOf = (name: string): Matrix => mat(Float64Array.from(g.probs[name] as number[]));
/** softmax(s · ln p): the same model with its temperature divided by s. */
function tempered(p: Matrix, s: number): Matrix {
  const out = new Float64Array(N * K);
  for (let i = 0; i < N; i++) {
    let sum = 0;
    for (let k = 0; k < K; k++) { const v = Math.exp(s * Math.log(p.data[i * K + k] as number)); out[i * K + k] = v; sum += v; }
    for (let k = 0; k < K; k++) out[i * K + k] = (out[i * K + k] as number) / sum;
  }
  return mat(out);
}
function method(label: string, id: string, probs: Matrix, keepsArgmax: boolean, metric = 'nll'): VerdictMethod {
  const m = evaluateMetrics(probs, labels, [metric, 'accuracy']);
  return { label, method: id, keepsArgmax, sample: verdictSample(probs, labels, metric), value: m[metric] as number, accuracy: m['accuracy'] as number };
}
const fixed = { replicates: g.fixedIndices.length, indices: (r: number, out: Int32Array): void => out.set(g.fixedIndices[r] as number[]) };

describe('verdict', () => {
  it('recommends the best method and reports its paired intervals (numpy values)', () => {
    for (const metric of ['nll', 'brier']) {
      const ms = [method('none', 'none', probsOf('none'), true, metric), method('ts', 'ts', probsOf('ts'), true, metric), method('sharp', 'ts', probsOf('sharp'), true, metric)];
      const v = computeVerdict(ms, { metric, ...fixed });
      expect(v.method).toBe('ts');
      expect(v.reason).toBe('beats-ts');
      const want = g.fixed[metric]?.['ts-none'] as { diff: number; low: number; high: number };
      expect(v.vsUncalibrated?.diff).toBeCloseTo(want.diff, 12);
      expect(v.vsUncalibrated?.low).toBeCloseTo(want.low, 12);
      expect(v.vsUncalibrated?.high).toBeCloseTo(want.high, 12);
      expect(v.vsUncalibrated?.better).toBe(want.high < 0);
      expect(v.vsTemperatureScaling).toBeNull();
      expect(v.keepsArgmax).toBe(true);
      expect(v.text).toMatch(/^verdict: use temperature scaling \(ts\)/);
    }
  });

  it('says "use temperature scaling" when the best method is within noise of TS', () => {
    const ts = probsOf('ts');
    const nllTs = evaluateMetrics(ts, labels, ['nll'])['nll'] as number;
    // the temperature that is best on this test set (grid 0.8..1.2): a little better than TS, within noise
    const near = Array.from({ length: 81 }, (_, i) => tempered(ts, 0.8 + i * 0.005)).sort((a, b) => (evaluateMetrics(a, labels, ['nll'])['nll'] as number) - (evaluateMetrics(b, labels, ['nll'])['nll'] as number))[0] as Matrix;
    expect(evaluateMetrics(near, labels, ['nll'])['nll'] as number).toBeLessThan(nllTs);
    const v = computeVerdict([method('none', 'none', probsOf('none'), true), method('ts', 'ts', ts, true), method('near', 'vs', near, false)], { metric: 'nll', replicates: 500, seed: 1 });
    expect(v.bestByPoint).toBe('near');
    expect(v.method).toBe('ts');
    expect(v.reason).toBe('ts-not-beaten');
    expect(v.runnerUp?.method).toBe('near');
    expect(v.runnerUp?.tied).toBe(true);
    expect(v.runnerUp!.low).toBeLessThan(0);
    expect(v.runnerUp!.high).toBeGreaterThan(0);
    expect(v.tied).toContain('near');
    expect(v.text).toMatch(/use temperature scaling \(ts\): no method beats it beyond noise/);
    expect(v.text).toMatch(/runner-up: near .*\(statistically tied\)/);
  });

  it('never picks a method that lowers accuracy unless asked', () => {
    // "cheat" uses the labels: much sharper on rows it gets right (better NLL), but swaps the top two classes on
    // 6 correct rows with the smallest margin (lower accuracy)
    const ts = probsOf('ts');
    const data = Float64Array.from(ts.data);
    const margins: [number, number][] = [];
    for (let i = 0; i < N; i++) {
      const row = Array.from(data.subarray(i * K, i * K + K));
      const order = row.map((_, k) => k).sort((a, b) => (row[b] as number) - (row[a] as number));
      if (order[0] !== labels[i]) continue;
      margins.push([(row[order[0] as number] as number) - (row[order[1] as number] as number), i]);
      for (let k = 0; k < K; k++) data[i * K + k] = 0.5 * (row[k] as number) + (k === labels[i] ? 0.5 : 0);
    }
    margins.sort((a, b) => a[0] - b[0]);
    for (const [, i] of margins.slice(0, 6)) {
      const row = Array.from(ts.data.subarray(i * K, i * K + K));
      const order = row.map((_, k) => k).sort((a, b) => (row[b] as number) - (row[a] as number));
      const [a, b] = [order[0] as number, order[1] as number];
      data[i * K + a] = row[b] as number; data[i * K + b] = row[a] as number;
      for (let k = 0; k < K; k++) if (k !== a && k !== b) data[i * K + k] = row[k] as number;
    }
    const cheat = mat(data);
    const ms = [method('none', 'none', probsOf('none'), true), method('ts', 'ts', ts, true), method('cheat', 'dirichlet', cheat, false)];
    expect(ms[2]?.value).toBeLessThan(ms[1]?.value as number);
    expect(ms[2]?.accuracy).toBeCloseTo((ms[0]?.accuracy as number) - 6 / N, 12);
    const v = computeVerdict(ms, { metric: 'nll', replicates: 300 });
    expect(v.method).toBe('ts');
    expect(v.excluded).toEqual([{ method: 'cheat', reason: `lowers accuracy ${(ms[0]?.accuracy as number).toFixed(4)} → ${(ms[2]?.accuracy as number).toFixed(4)}` }]);
    expect(v.text).toMatch(/not considered, lower test accuracy than uncalibrated 0\.\d{4} \(--allow-accuracy-drop allows them\): cheat 0\.\d{4}/);
    const allowed = computeVerdict(ms, { metric: 'nll', replicates: 300, allowAccuracyDrop: true });
    expect(allowed.method).toBe('cheat');
    expect(allowed.reason).toBe('beats-ts');
    expect(allowed.keepsArgmax).toBe(false);
    expect(allowed.argmaxChanges).toBeGreaterThanOrEqual(6);
    expect(allowed.vsTemperatureScaling?.better).toBe(true);
  });

  it('higher-is-better metrics flip the direction', () => {
    const ms = [method('none', 'none', probsOf('none'), true, 'auroc'), method('ts', 'ts', probsOf('ts'), true, 'auroc')];
    const v = computeVerdict(ms, { metric: 'auroc', replicates: 200 });
    expect(v.higherIsBetter).toBe(true);
    // TS keeps the ranking of confidences only approximately; whichever wins, it is the larger AUROC or TS by the rule
    const best = (ms[0]?.value as number) > (ms[1]?.value as number) ? 'none' : 'ts';
    expect(v.bestByPoint).toBe(best);
  });

  it('without TS in the list the best method is recommended as is', () => {
    const v = computeVerdict([method('none', 'none', probsOf('none'), true), method('sharp', 'vs', probsOf('sharp'), false)], { metric: 'nll', replicates: 200 });
    expect(v.method).toBe('none');
    expect(v.reason).toBe('best');
    expect(v.runnerUp?.method).toBe('sharp');
    expect(v.runnerUp?.tied).toBe(false);
  });
});
