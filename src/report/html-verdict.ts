/**
 * The top of the report, read first: the verdict (src/report/verdict.ts) on the first test set, a headline row
 * (uncalibrated vs the recommended method, reliability diagrams side by side with the binned ECE and its
 * bootstrap interval), and the ranking chart (primary metric with intervals, one panel per test set, the
 * shifted sets beside the first). Pure; the HTML around it is html.ts.
 */
import { bootstrapReplicateValues } from '../metrics/paired-bootstrap.js';
import { percentileOfSorted } from '../metrics/bootstrap.js';
import { reliabilityDiagramSvg } from './charts/reliability.js';
import { rankingChartSvg, type RankingRow } from './charts/ranking.js';
import type { CellData, ResolvedReportOptions } from './compute.js';
import type { MetricTable } from './metrics-table.js';
import { esc } from './svg.js';
import type { ReportInput } from './types.js';
import { computeVerdict, verdictSample, type Recommendation, type VerdictMethod } from './verdict.js';

/** The verdict of every test set (the first one is the report's recommendation). */
export function reportVerdicts(input: ReportInput, table: MetricTable, opts: ResolvedReportOptions): Recommendation[] {
  const metric = opts.primaryMetric;
  return input.testSets.map((ts, t) => {
    const methods: VerdictMethod[] = input.methods.map((m, mi) => {
      const probs = m.probs[t];
      const values = table.values[t]?.[mi] ?? {};
      return {
        label: m.id, method: m.method ?? m.id,
        ...(m.keepsArgmax !== undefined ? { keepsArgmax: m.keepsArgmax } : {}),
        sample: verdictSample(probs as NonNullable<typeof probs>, ts.labels, metric),
        value: values[metric] as number, accuracy: values['accuracy'] as number,
      };
    });
    return computeVerdict(methods, { metric, level: opts.ciLevel, replicates: opts.ciReplicates, seed: opts.seed, allowAccuracyDrop: opts.allowAccuracyDrop, testSet: ts.name });
  });
}

function fmt4(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : '—';
}

/** Percentile interval of one method's replicate values. */
function interval(values: Float64Array, level: number): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v)).sort();
  if (finite.length * 2 < values.length) return [Number.NaN, Number.NaN];
  return [percentileOfSorted(finite, 50 * (1 - level)), percentileOfSorted(finite, 50 * (1 + level))];
}

/** The verdict box: the plain-words verdict and, for the other test sets, what wins there. */
function verdictBox(verdicts: readonly Recommendation[]): string {
  const first = verdicts[0];
  if (first === undefined) return '';
  const parts = [`<section class="verdict" id="verdict"><h2>Verdict</h2><pre>${esc(first.text)}</pre>`];
  if (verdicts.length > 1) {
    parts.push('<p class="note">The same rules on the other test sets (the recommendation above is made on the first):</p><ul class="note">');
    for (const v of verdicts.slice(1)) {
      const vs = v.vsTemperatureScaling;
      parts.push(`<li><b>${esc(v.testSet)}</b>: ${esc(v.method)} (${esc(v.metric)} ${fmt4(v.value)}${vs !== null ? `; vs TS ${vs.diff >= 0 ? '+' : '−'}${Math.abs(vs.diff).toFixed(4)} [${vs.low.toFixed(4)}, ${vs.high.toFixed(4)}]` : ''})${v.method !== first.method ? `; ${esc(first.method)} here: ${fmt4(v.scores.find((s) => s.label === first.method)?.value ?? Number.NaN)}` : ''}</li>`);
    }
    parts.push('</ul>');
  }
  parts.push('</section>');
  return parts.join('');
}

/**
 * Headline row: the binned reliability diagram of uncalibrated and of the recommended method on the first test
 * set, each with its binned ECE and bootstrap interval. Returns the HTML and the two charts (for PNG export).
 */
function headline(input: ReportInput, cells: CellData[][], opts: ResolvedReportOptions, verdict: Recommendation): { html: string; charts: { name: string; svg: string }[] } {
  const ts = input.testSets[0];
  if (ts === undefined) return { html: '', charts: [] };
  const noneIdx = Math.max(0, input.methods.findIndex((m) => (m.method ?? m.id) === 'none'));
  const recIdx = input.methods.findIndex((m) => m.id === verdict.method);
  const shown = [...new Set([noneIdx, recIdx >= 0 ? recIdx : noneIdx])];
  const eceId = `${opts.scheme === 'equal-mass' ? 'ece_em' : 'ece'}@${opts.bins}`;
  const samples = shown.map((mi) => {
    const probs = input.methods[mi]?.probs[0];
    return verdictSample(probs as NonNullable<typeof probs>, ts.labels, eceId);
  });
  const reps = bootstrapReplicateValues(samples, eceId, { replicates: opts.ciReplicates, seed: opts.seed });
  const charts: { name: string; svg: string }[] = [];
  const svgs = shown.map((mi, j) => {
    const cell = cells[0]?.[mi];
    const m = input.methods[mi];
    if (cell === undefined || m === undefined) return '';
    let ece = 0;
    for (const b of cell.bins) if (b.count > 0) ece += (b.count / cell.summary.n) * Math.abs(b.accuracy - b.meanConfidence);
    const [lo, hi] = interval(reps[j] as Float64Array, opts.ciLevel);
    const role = mi === noneIdx && (m.method ?? m.id) === 'none' ? 'uncalibrated' : 'recommended';
    const svg = reliabilityDiagramSvg(cell.bins, { title: `${role}: ${m.id} on ${ts.name}`, annotation: `ECE ${fmt4(ece)} [${fmt4(lo)}, ${fmt4(hi)}] (${opts.bins} ${opts.scheme === 'equal-mass' ? 'equal-mass ' : ''}bins)` });
    charts.push({ name: `headline-${role}`, svg });
    return svg;
  });
  const note = `<p class="note">Binned ECE with its ${Math.round(opts.ciLevel * 100)} % percentile bootstrap interval (${opts.ciReplicates} resamples of the ${ts.labels.length} test samples, seed ${opts.seed}).</p>`;
  return { html: `<section class="headline" id="headline"><h2>Uncalibrated vs recommended on ${esc(ts.name)}</h2><div class="charts">${svgs.join('')}</div>${note}</section>`, charts };
}

/**
 * Ranking panels: the primary metric of every method with its percentile bootstrap interval, one panel per test
 * set (first set first, shifted sets beside it), methods in the order of the first set (best first).
 */
function ranking(input: ReportInput, verdicts: readonly Recommendation[], opts: ResolvedReportOptions): { html: string; charts: { name: string; svg: string }[] } {
  const first = verdicts[0];
  if (first === undefined) return { html: '', charts: [] };
  const order = [...first.scores].sort((a, b) => {
    const fa = Number.isFinite(a.value); const fb = Number.isFinite(b.value);
    if (fa !== fb) return fa ? -1 : 1;
    return first.higherIsBetter ? b.value - a.value : a.value - b.value;
  }).map((s) => s.label);
  const tsLabel = input.methods.find((m) => (m.method ?? m.id) === 'ts')?.id;
  const charts: { name: string; svg: string }[] = [];
  const panels = verdicts.map((v, t) => {
    const rows: RankingRow[] = order.map((label) => {
      const s = v.scores.find((x) => x.label === label);
      return { label, value: s?.value ?? Number.NaN, low: s?.low ?? Number.NaN, high: s?.high ?? Number.NaN, recommended: label === first.method, reference: label === tsLabel, excluded: s?.excluded !== null && s?.excluded !== undefined };
    });
    const svg = rankingChartSvg(rows, { title: `${input.testSets[t]?.name ?? ''}${t === 0 ? ' (verdict)' : ''}`, metricLabel: `${v.metric} (${v.higherIsBetter ? 'higher' : 'lower'} is better)` });
    charts.push({ name: `ranking-${t}`, svg });
    return svg;
  });
  const note = `<p class="note">Dot: ${esc(first.metric)} on the whole test set; bar: its ${Math.round(opts.ciLevel * 100)} % percentile bootstrap interval (${opts.ciReplicates} resamples, seed ${opts.seed}). Green: the recommended method; dashed line: temperature scaling; grey: not considered (lower accuracy than uncalibrated); arrow: off the scale of the others (value on the right). Differences between methods are judged by paired intervals (verdict), which are narrower than these bars suggest.</p>`;
  return { html: `<section id="ranking"><h2>Ranking: ${esc(first.metric)} per test set</h2><div class="charts ranking">${panels.join('')}</div>${note}</section>`, charts };
}

/** The verdict, the headline row and the ranking chart, in reading order. */
export function verdictSections(input: ReportInput, cells: CellData[][], opts: ResolvedReportOptions, verdicts: readonly Recommendation[]): { html: string; charts: { name: string; svg: string }[] } {
  const first = verdicts[0];
  if (first === undefined) return { html: '', charts: [] };
  const head = headline(input, cells, opts, first);
  const rank = ranking(input, verdicts, opts);
  return { html: verdictBox(verdicts) + head.html + rank.html, charts: [...head.charts, ...rank.charts] };
}
