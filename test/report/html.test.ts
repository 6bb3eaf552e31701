import { describe, expect, it } from 'vitest';
import { buildReportHtml, bestIndices, formatMetric, renderReport } from '../../src/report/html.js';
import { describeMetric } from '../../src/report/metrics-table.js';
import { evaluateMetrics } from '../../src/metrics/evaluate.js';
import { softmax } from '../../src/math/softmax.js';
import { Rng } from '../../src/math/rng.js';
import { isCalibraError } from '../../src/errors.js';
import type { Matrix } from '../../src/math/matrix.js';
import type { ReportInput } from '../../src/report/types.js';
import { D1_LABELS, D1_PROBS } from './d1.js';

function synthetic(n: number, k: number, seed: number): { logits: Matrix<Float64Array>; labels: Int32Array } {
  const rng = new Rng(seed);
  const logits = new Float64Array(n * k);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = rng.int(k);
    for (let j = 0; j < k; j++) logits[i * k + j] = 2 * rng.normal() + (j === labels[i] ? 2 : 0);
  }
  return { logits: { data: logits, rows: n, cols: k }, labels };
}

const a = synthetic(300, 4, 1);
const b = synthetic(200, 4, 2);
const input: ReportInput = {
  title: 'Synthetic <test> & report',
  testSets: [{ name: 'clean', labels: a.labels }, { name: 'shifted', labels: b.labels }],
  methods: [
    { id: 'none', title: 'Uncalibrated', probs: [softmax(a.logits), softmax(b.logits)] },
    { id: 't2', title: 'Temperature 2', probs: [softmax(a.logits, 2), softmax(b.logits, 2)], temperatures: [new Float64Array(300).fill(2), undefined] },
    { id: 't3', title: 'Temperature 3', probs: [softmax(a.logits, 3), softmax(b.logits, 3)] },
  ],
  options: { bootstrap: 10, primaryMetric: 'ece', ciReplicates: 200 },
};

describe('buildReportHtml', () => {
  const { html, charts, table, summaryText } = renderReport(input);

  it('is deterministic and self-contained (no external resources)', () => {
    expect(buildReportHtml(input)).toBe(html);
    expect(html).not.toMatch(/<link|<img|src=|@import|url\(/);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('escapes the title', () => {
    expect(html).toContain('<h1>Synthetic &lt;test&gt; &amp; report</h1>');
  });

  it('puts evaluateMetrics values in the tables and marks the best per column', () => {
    for (const [t, ts] of input.testSets.entries()) {
      const eces = input.methods.map((m) => evaluateMetrics(m.probs[t] as Matrix, ts.labels, ['ece']).ece as number);
      expect(eces.map((v, mi) => table.values[t]?.[mi]?.['ece'])).toEqual(eces);
      const best = eces.indexOf(Math.min(...eces));
      const row = html.split('<table class="summary-table">')[1]?.split('</table>')[0] ?? '';
      const cells = [...row.matchAll(/<td( class="best")?>([^<]+)<\/td>/g)];
      // cells are row-major: method m, test set t at m * 2 + t.
      expect(cells[best * 2 + t]?.[1]).toBe(' class="best"');
      expect(cells[best * 2 + t]?.[2]).toBe(formatMetric(eces[best]));
    }
    expect(summaryText.split('\n')[0]).toMatch(/^ece \(lower is better\)\s+clean\s+shifted$/);
  });

  it('draws every chart: 3 per (method, test set), a temperature histogram for t2 on clean, a sweep per set, a class grid each', () => {
    const svgs = html.match(/<svg /g) ?? [];
    // headline (uncalibrated + recommended) + 1 ranking panel per set + 2 sets × (1 sweep + 3 methods ×
    // (reliability + smooth + confidence + class grid)) + 1 temperature chart
    expect(svgs.length).toBe(2 + 2 + 2 * (1 + 3 * 4) + 1);
    expect(charts.map((c) => c.name)).toEqual([
      'headline-uncalibrated', 'headline-recommended', 'ranking-0', 'ranking-1',
      'clean-ece-vs-bins', 'clean-none-reliability', 'clean-none-smooth', 'clean-t2-reliability', 'clean-t2-smooth', 'clean-t3-reliability', 'clean-t3-smooth',
      'shifted-ece-vs-bins', 'shifted-none-reliability', 'shifted-none-smooth', 'shifted-t2-reliability', 'shifted-t2-smooth', 'shifted-t3-reliability', 'shifted-t3-smooth',
    ]);
    expect(html).toContain('t2: per-sample temperatures');
    expect(html.match(/role="tab"/g)?.length).toBe(2);
  });

  it('writes the definition of every metric id in the table', () => {
    for (const id of table.ids) expect(html).toContain(`<dt>${id} — `);
    expect(describeMetric('ece@25').definition).toMatch(/^Σ_b \(n_b\/N\)\|acc_b − conf_b\|.*\(B = 25\)\. Source: Naeini/);
    expect(describeMetric('auroc').higherIsBetter).toBe(true);
  });

  it('rejects a probability matrix whose rows do not match the labels (E_SHAPE) and empty input (E_EMPTY)', () => {
    const bad: ReportInput = { title: 'x', testSets: [{ name: 'd1', labels: D1_LABELS.subarray(0, 7) }], methods: [{ id: 'none', title: 'n', probs: [D1_PROBS] }] };
    expect(() => buildReportHtml(bad)).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    try { buildReportHtml({ title: 'x', testSets: [], methods: [] }); } catch (e) { expect(isCalibraError(e, 'E_EMPTY')).toBe(true); return; }
    throw new Error('expected E_EMPTY');
  });

  it('rejects bad options with E_OPTION naming the field', () => {
    expect(() => buildReportHtml({ ...input, options: { bins: 0 } })).toThrow(/bins = 0/);
  });
});

describe('table helpers', () => {
  it('bestIndices marks every tie and ignores NaN', () => {
    expect([...bestIndices([0.2, 0.1, Number.NaN, 0.1], false)]).toEqual([1, 3]);
    expect([...bestIndices([0.2, 0.9, undefined], true)]).toEqual([1]);
    expect([...bestIndices([Number.NaN], true)]).toEqual([]);
  });

  it('formatMetric uses 4 decimals, exponents for tiny values and a dash for NaN', () => {
    expect(formatMetric(0.27)).toBe('0.2700');
    expect(formatMetric(0.00001234)).toBe('1.234e-5');
    expect(formatMetric(Number.NaN)).toBe('—');
    expect(formatMetric(0)).toBe('0.0000');
  });
});

describe('the report reads top-down: verdict, headline, ranking, then the tables', () => {
  const { html, verdicts } = renderReport(input);
  it('puts the verdict first, with the recommendation computeVerdict gives on the first test set', () => {
    const order = ['id="verdict"', 'id="headline"', 'id="ranking"', 'id="summary"', 'id="diagrams"', 'id="definitions"'].map((k) => html.indexOf(k));
    expect(order.every((v) => v > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    const eces = input.methods.map((m) => evaluateMetrics(m.probs[0] as Matrix, a.labels, ['ece']).ece as number);
    // t2 and t3 keep every argmax, TS is not in the list: the best ECE is recommended
    expect(verdicts[0]?.method).toBe(input.methods[eces.indexOf(Math.min(...eces))]?.id);
    expect(verdicts[0]?.reason).toBe('best');
    expect(verdicts.map((v) => v.testSet)).toEqual(['clean', 'shifted']);
    expect(html).toContain(`<pre>${verdicts[0]?.text.split('\n')[0] ?? 'x'}`);
  });
  it('headline diagrams carry the binned ECE of the table', () => {
    const none = evaluateMetrics(input.methods[0]?.probs[0] as Matrix, a.labels, ['ece']).ece as number;
    expect(html).toContain(`ECE ${none.toFixed(4)} [`);
  });
  it('detailed tables are collapsible and scroll inside their own box', () => {
    expect(html.match(/<details open><summary>[^<]*methods × test sets<\/summary><div class="scroll"><table class="summary-table">/g)?.length).toBe(1);
    expect(html.match(/<details><summary>Test set [^<]*every metric<\/summary><div class="scroll"><table class="metrics-table"/g)?.length).toBe(2);
  });
});
