/**
 * Properties of the metric core: permutation invariance, merge == whole, logits path == probability path,
 * exact bin edges, bootstrap determinism, and the error codes for bad input.
 */
import { describe, expect, it } from 'vitest';
import { isCalibraError } from '../../src/errors.js';
import { takeLabels, takeRows, type Matrix } from '../../src/math/matrix.js';
import { Rng } from '../../src/math/rng.js';
import { softmax } from '../../src/math/softmax.js';
import { createBinnedStats, equalWidthBin, addToBins, mergeBinnedStats, groupError, reliabilityBins } from '../../src/metrics/binning.js';
import { bootstrapIntervals } from '../../src/metrics/bootstrap.js';
import { evaluateLogits, evaluateMetrics, MetricAccumulator } from '../../src/metrics/evaluate.js';
import { presetMetricIds } from '../../src/metrics/ids.js';
import { summarizeProbs } from '../../src/metrics/summary.js';

function randomLogits(rng: Rng, n: number, k: number, scale = 2): { logits: Matrix<Float64Array>; labels: Int32Array } {
  const data = new Float64Array(n * k);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.int(k);
    for (let j = 0; j < k; j++) data[i * k + j] = rng.normal() * scale + (j === labels[i] ? 1 : 0);
  }
  return { logits: { data, rows: n, cols: k }, labels };
}

function expectClose(a: Record<string, number>, b: Record<string, number>, tol: number): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const id of Object.keys(a)) {
    const x = a[id] as number;
    const y = b[id] as number;
    if (Number.isNaN(y)) { expect(x, id).toBeNaN(); continue; }
    expect(Math.abs(x - y), `${id}: ${x} vs ${y}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(y)));
  }
}

function code(fn: () => unknown): string {
  try { fn(); } catch (e) { return isCalibraError(e) ? e.code : `not a CalibraError: ${String(e)}`; }
  return 'no error';
}

const DEFAULT = presetMetricIds('default');

describe('metric properties', () => {
  it('every default id is invariant under a permutation of the rows (continuous scores, no ties)', () => {
    const rng = new Rng(11);
    const { logits, labels } = randomLogits(rng, 300, 6);
    const probs = softmax(logits);
    const perm = rng.permutation(300);
    expectClose(evaluateMetrics(takeRows(probs, perm), takeLabels(labels, perm), DEFAULT), evaluateMetrics(probs, labels, DEFAULT), 1e-12);
  });

  it('tie-block ids (ks, auroc, aupr, fpr95, aurc, eaurc, mmce) are invariant under permutation even with many ties', () => {
    const rng = new Rng(12);
    const n = 200;
    const data = new Float64Array(n * 2);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) { const p = 0.5 + rng.int(5) / 10; data[2 * i] = p; data[2 * i + 1] = 1 - p; labels[i] = rng.random() < p ? 0 : 1; }
    const probs: Matrix = { data, rows: n, cols: 2 };
    const ids = ['ks', 'auroc', 'aupr_success', 'aupr_error', 'fpr95', 'aurc', 'eaurc', 'mmce', 'ece', 'cw_ece', 'tl_ece', 'brier', 'nll'];
    const base = evaluateMetrics(probs, labels, ids);
    for (let t = 0; t < 5; t++) {
      const perm = rng.permutation(n);
      expectClose(evaluateMetrics(takeRows(probs, perm), takeLabels(labels, perm), ids), base, 1e-12);
    }
  });

  it('accumulators over chunks, merged, equal one pass over the whole (binned stats add exactly)', () => {
    const rng = new Rng(13);
    const { logits, labels } = randomLogits(rng, 257, 5);
    const ids = [...DEFAULT, 'ca_paper.sce', 'ca_paper.ece', 'cw_ece@7', 'tl_ece@3'];
    const whole = new MetricAccumulator(ids, 5).addLogits(logits, labels).result();
    const cut = [0, 1, 60, 200, 257];
    const parts = cut.slice(1).map((end, j) => {
      const start = cut[j] as number;
      const rows = { data: logits.data.subarray(start * 5, end * 5), rows: end - start, cols: 5 };
      return new MetricAccumulator(ids, 5).addLogits(rows, labels, start);
    });
    const merged = parts.reduce((a, b) => a.merge(b));
    expect(merged.n).toBe(257);
    expectClose(merged.result(), whole, 1e-12);
  });

  it('merging binned statistics of two halves equals the statistics of the whole', () => {
    const rng = new Rng(14);
    const a = createBinnedStats(15); const b = createBinnedStats(15); const all = createBinnedStats(15);
    for (let i = 0; i < 500; i++) {
      const s = rng.random(); const t = rng.random() < s ? 1 : 0;
      addToBins(i < 200 ? a : b, 0, s, t); addToBins(all, 0, s, t);
    }
    mergeBinnedStats(a, b);
    expect(Array.from(a.count)).toEqual(Array.from(all.count));
    expect(Math.abs(groupError(a, 0, 'l1') - groupError(all, 0, 'l1'))).toBeLessThan(1e-14);
  });

  it('evaluateLogits equals evaluateMetrics on softmax(logits) for moderate logits', () => {
    const { logits, labels } = randomLogits(new Rng(15), 150, 4);
    const ids = [...DEFAULT, 'cw_ece_em@5'];
    expectClose(evaluateLogits(logits, labels, ids), evaluateMetrics(softmax(logits), labels, ids), 1e-12);
  });

  it('NLL from logits uses log-softmax: logits [0, 1000] with label 0 cost exactly 1000 (ln of softmax would clip)', () => {
    const r = evaluateLogits({ data: Float64Array.of(0, 1000), rows: 1, cols: 2 }, Int32Array.of(0), ['nll']);
    expect(r.nll).toBe(1000);
    const clipped = evaluateMetrics(softmax({ data: Float64Array.of(0, 1000), rows: 1, cols: 2 }), Int32Array.of(0), ['nll']);
    expect(clipped.nll).toBeCloseTo(-Math.log(1e-12), 10);
  });

  it('a value exactly on an edge b/B goes to the bin it closes (right rule) or opens (left rule), for every B up to 500', () => {
    const wrong: string[] = [];
    for (let B = 1; B <= 500; B++) {
      for (let b = 1; b < B; b++) {
        if (equalWidthBin(b / B, B, 'right') !== b - 1) wrong.push(`right ${b}/${B}`);
        if (equalWidthBin(b / B, B, 'left') !== b) wrong.push(`left ${b}/${B}`);
      }
      if (equalWidthBin(0, B, 'right') !== 0 || equalWidthBin(0, B, 'guo') !== -1 || equalWidthBin(1, B, 'left') !== B - 1 || equalWidthBin(1, B, 'right') !== B - 1) wrong.push(`ends ${B}`);
    }
    expect(wrong).toEqual([]);
  });

  it('reliabilityBins equal-mass splits ranks like numpy array_split (first groups one larger)', () => {
    const conf = Float64Array.of(0.9, 0.1, 0.5, 0.3, 0.7);
    const correct = Uint8Array.of(1, 0, 1, 0, 1);
    const bins = reliabilityBins(conf, correct, { bins: 2, scheme: 'equal-mass' });
    expect(bins.map((b) => [b.lo, b.hi, b.count])).toEqual([[0.1, 0.5, 3], [0.7, 0.9, 2]]);
    expect(bins[0]?.accuracy).toBeCloseTo(1 / 3, 15);
    expect(bins[1]?.meanConfidence).toBeCloseTo(0.8, 15);
  });

  it('bootstrap intervals are reproducible by seed, bracket sensibly, and change with the seed', () => {
    const { logits, labels } = randomLogits(new Rng(16), 120, 3);
    const probs = softmax(logits);
    const ids = ['ece', 'nll', 'auroc', 'cw_ece'];
    const point = evaluateMetrics(probs, labels, ids);
    const s = summarizeProbs(probs, labels);
    const a = bootstrapIntervals(s, probs, labels, point, ids, { level: 0.9, replicates: 200, seed: 5 });
    const b = bootstrapIntervals(s, probs, labels, point, ids, { level: 0.9, replicates: 200, seed: 5 });
    const c = bootstrapIntervals(s, probs, labels, point, ids, { level: 0.9, replicates: 200, seed: 6 });
    expect(a).toEqual(b);
    expect(a.nll?.low).not.toBe(c.nll?.low);
    for (const id of ids) {
      const iv = a[id];
      expect(iv?.value).toBe(point[id]);
      expect(iv?.low as number).toBeLessThan(iv?.high as number);
      expect(iv?.low as number).toBeLessThan((point[id] as number) + 0.05);
    }
  });

  it('bad inputs raise typed errors', () => {
    const probs: Matrix = { data: Float64Array.of(0.6, 0.4, 0.3, 0.7), rows: 2, cols: 2 };
    expect(code(() => evaluateMetrics(probs, Int32Array.of(0, 1), ['ece_x']))).toBe('E_OPTION');
    expect(code(() => evaluateMetrics(probs, Int32Array.of(0, 1), ['accuracy@3']))).toBe('E_OPTION');
    expect(code(() => evaluateMetrics(probs, Int32Array.of(0, 1), ['ece@0']))).toBe('E_OPTION');
    expect(code(() => evaluateMetrics(probs, Int32Array.of(0, 2), ['ece']))).toBe('E_LABEL_RANGE');
    expect(code(() => evaluateMetrics(probs, Int32Array.of(0), ['ece']))).toBe('E_SHAPE');
    expect(code(() => evaluateMetrics({ data: Float64Array.of(Number.NaN, 0.4, 0.3, 0.7), rows: 2, cols: 2 }, Int32Array.of(0, 1), ['ece']))).toBe('E_NON_FINITE');
    expect(code(() => new MetricAccumulator(['cw_ece_em'], 2))).toBe('E_OPTION');
    expect(code(() => presetMetricIds('nope'))).toBe('E_OPTION');
  });
});
