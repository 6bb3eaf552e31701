/**
 * The self-contained HTML report: summary tables (methods × test sets, best per column marked), charts for
 * every method and test set in tabs, and the metric definitions used. Inline CSS, SVG and a few lines of JS;
 * nothing is fetched. A pure function of its input, so the same input gives the same bytes.
 */
import { computeCells, resolveReportOptions, type CellData, type ResolvedReportOptions } from './compute.js';
import { reliabilityDiagramSvg } from './charts/reliability.js';
import { smoothReliabilitySvg } from './charts/smooth.js';
import { confidenceHistogramSvg, temperatureHistogramSvg } from './charts/histograms.js';
import { classReliabilityGridSvg } from './charts/class-grid.js';
import { metricVsBinsSvg } from './charts/metric-bins.js';
import { evaluateReportMetrics, type MetricTable } from './metrics-table.js';
import { esc } from './svg.js';
import { reportVerdicts, verdictSections } from './html-verdict.js';
import type { Recommendation } from './verdict.js';
import { CalibraError } from '../errors.js';
import type { ReportInput } from './types.js';

const CSS = `
:root{--fg:#1d1d1f;--muted:#5f6368;--line:#d9dce1;--accent:#0072B2;--best:#e3f1e8;--bg:#fafafa;--green:#009E73}
*{box-sizing:border-box}
body{margin:0;font-family:'DejaVu Sans',Verdana,Arial,sans-serif;color:var(--fg);background:var(--bg);font-size:14px;line-height:1.45}
header{background:#fff;border-bottom:1px solid var(--line);padding:18px 28px}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:var(--muted)}
main{padding:10px 28px 40px;max-width:1600px}
header p,.note,h1,h2,h3,summary{overflow-wrap:anywhere}
.scroll{overflow-x:auto;max-width:100%}
.verdict{background:#fff;border:1px solid var(--line);border-left:5px solid var(--green);padding:4px 16px 10px;margin-top:14px}
.verdict pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:13px;margin:6px 0}
.headline .charts{display:grid;grid-template-columns:repeat(2,minmax(0,380px));gap:10px}
.headline .charts svg,.ranking svg{max-width:100%;height:auto}
h2{font-size:18px;margin:28px 0 10px}
h3{font-size:15px;margin:18px 0 8px}
table{border-collapse:collapse;background:#fff;margin:6px 0 14px}
th,td{border:1px solid var(--line);padding:5px 10px;text-align:right;font-variant-numeric:tabular-nums}
th{background:#f1f3f5;font-weight:600}
td.name,th.name{text-align:left}
td.best{background:var(--best);font-weight:700}
td.best::after{content:" \\2605";color:#009E73;font-size:11px}
.note{color:var(--muted);font-size:12.5px}
.tabs{display:flex;flex-wrap:wrap;gap:4px;border-bottom:2px solid var(--line);margin-top:8px}
.tabs button{font:inherit;max-width:100%;overflow-wrap:anywhere;border:1px solid var(--line);border-bottom:none;background:#eef0f3;padding:6px 14px;cursor:pointer;border-radius:6px 6px 0 0}
.tabs button[aria-selected=true]{background:#fff;color:var(--accent);font-weight:700;border-color:var(--accent)}
.panel{background:#fff;border:1px solid var(--line);border-top:none;padding:8px 16px 16px}
.method{border-top:1px solid var(--line);padding:6px 6px 4px;margin-top:14px}
.charts{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start}
.charts{max-width:100%}
main svg{max-width:100%;height:auto}
.charts svg{border:1px solid #eceef1;border-radius:4px;max-width:100%;height:auto}
details{margin:6px 0;max-width:100%}
summary{cursor:pointer;color:var(--accent)}
dl.defs dt{font-weight:700;margin-top:8px}
dl.defs dd{margin:2px 0 0 18px}
footer{color:var(--muted);font-size:12px;padding:0 28px 24px}
`;

const SCRIPT = `
document.querySelectorAll('[data-tabs]').forEach(function(bar){
  var buttons=bar.querySelectorAll('button');
  function show(id){buttons.forEach(function(b){var on=b.getAttribute('aria-controls')===id;b.setAttribute('aria-selected',String(on));document.getElementById(b.getAttribute('aria-controls')).hidden=!on;});}
  buttons.forEach(function(b){b.addEventListener('click',function(){show(b.getAttribute('aria-controls'));});});
  if(buttons.length>0)show(buttons[0].getAttribute('aria-controls'));
});
`;

/** Formats a metric value for the table: 4 significant decimals, "—" for NaN. */
export function formatMetric(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(3) : v.toFixed(4);
}

/**
 * Indices of the best values in a column (lower is better unless `higherIsBetter`); every index that ties
 * with the best is included; empty when all are NaN or missing.
 * @example [...bestIndices([0.2, 0.1, 0.1], false)] // => [1, 2]
 */
export function bestIndices(values: readonly (number | undefined)[], higherIsBetter: boolean): Set<number> {
  let best: number | undefined;
  for (const v of values) {
    if (v === undefined || Number.isNaN(v)) continue;
    if (best === undefined || (higherIsBetter ? v > best : v < best)) best = v;
  }
  const out = new Set<number>();
  values.forEach((v, i) => { if (best !== undefined && v === best) out.add(i); });
  return out;
}

/** A chart of the report with a file-name-safe name (for PNG export). */
export interface ReportChart {
  readonly name: string;
  readonly svg: string;
}

/** What `renderReport` returns. */
export interface RenderedReport {
  readonly html: string;
  /** The binned and smooth diagrams of every (test set, method) and the ECE-vs-bins chart of each test set. */
  readonly charts: readonly ReportChart[];
  /** The summary table (primary metric, methods × test sets) and the verdict as plain text, for the terminal. */
  readonly summaryText: string;
  readonly table: MetricTable;
  /** The verdict on each test set; the first is the report's recommendation. */
  readonly verdicts: readonly Recommendation[];
}

function fileSlug(s: string): string {
  return s.replace(/[^A-Za-z0-9_.-]+/g, '_');
}

/** The chart (and PNG file) names of one test set: its ECE-vs-bins curve, then per method its two diagrams. */
function sweepChartName(testSet: string): string {
  return fileSlug(`${testSet}-ece-vs-bins`);
}

function methodChartNames(testSet: string, method: string): [string, string] {
  return [fileSlug(`${testSet}-${method}-reliability`), fileSlug(`${testSet}-${method}-smooth`)];
}

/**
 * Every chart name a report of these test sets and methods writes (`--png-dir` writes `NAME.png`), in
 * order; known before any work, so a command can refuse colliding or existing files up front. Cost: O(T·M).
 */
export function reportChartNames(testSets: readonly string[], methods: readonly string[]): string[] {
  return testSets.flatMap((t) => [sweepChartName(t), ...methods.flatMap((m) => methodChartNames(t, m))]);
}

function slug(s: string, i: number): string {
  return `${i}-${s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

function summaryTables(input: ReportInput, table: MetricTable, opts: ResolvedReportOptions): string {
  const parts: string[] = [];
  const primary = opts.primaryMetric;
  const pInfo = table.info.get(primary);
  const pHigher = pInfo?.higherIsBetter ?? false;
  parts.push('<h2 id="summary">Detailed tables</h2>');
  parts.push(`<details open><summary>${esc(pInfo?.name ?? primary)} (${pHigher ? 'higher' : 'lower'} is better): methods × test sets</summary><div class="scroll">`);
  parts.push('<table class="summary-table"><thead><tr><th class="name">Method</th>');
  for (const ts of input.testSets) parts.push(`<th>${esc(ts.name)}</th>`);
  parts.push('</tr></thead><tbody>');
  const bestPerSet = input.testSets.map((_, t) => bestIndices(input.methods.map((_m, m) => table.values[t]?.[m]?.[primary]), pHigher));
  input.methods.forEach((m, mi) => {
    parts.push(`<tr><td class="name" title="${esc(m.title)}">${esc(m.id)}</td>`);
    input.testSets.forEach((_ts, t) => {
      const best = bestPerSet[t]?.has(mi) === true;
      parts.push(`<td${best ? ' class="best"' : ''}>${formatMetric(table.values[t]?.[mi]?.[primary])}</td>`);
    });
    parts.push('</tr>');
  });
  parts.push('</tbody></table></div>');
  parts.push('<p class="note">★ marks the best value in each column (point estimates; the verdict above says which differences are beyond noise). Every metric per test set:</p></details>');
  input.testSets.forEach((ts, t) => {
    parts.push(`<details><summary>Test set ${esc(ts.name)} (${ts.labels.length} samples): every metric</summary><div class="scroll">`);
    parts.push(`<table class="metrics-table" data-test-set="${esc(ts.name)}"><thead><tr><th class="name">Method</th>`);
    for (const id of table.ids) {
      const info = table.info.get(id);
      parts.push(`<th title="${esc(info?.name ?? id)}">${esc(id)} ${info?.higherIsBetter === true ? '↑' : '↓'}</th>`);
    }
    parts.push('</tr></thead><tbody>');
    const best = table.ids.map((id) => bestIndices(input.methods.map((_m, mi) => table.values[t]?.[mi]?.[id]), table.info.get(id)?.higherIsBetter ?? false));
    input.methods.forEach((m, mi) => {
      parts.push(`<tr><td class="name" title="${esc(m.title)}">${esc(m.id)}</td>`);
      table.ids.forEach((id, c) => parts.push(`<td${best[c]?.has(mi) === true ? ' class="best"' : ''}>${formatMetric(table.values[t]?.[mi]?.[id])}</td>`));
      parts.push('</tr>');
    });
    parts.push('</tbody></table></div></details>');
  });
  return parts.join('');
}

function fitNote(m: ReportInput['methods'][number]): string {
  if (m.fit === undefined) return '';
  const f = m.fit;
  const bits = [`${f.converged ? 'converged' : 'not converged'}`, `${f.iterations} iterations`];
  if (f.loss !== null) bits.push(`loss ${formatMetric(f.loss)}`);
  if (f.seconds !== undefined) bits.push(`${f.seconds.toFixed(2)} s`);
  const warn = f.warnings.length > 0 ? ` — warnings: ${f.warnings.map(esc).join('; ')}` : '';
  const summary = f.summary !== undefined ? ` — ${esc(f.summary)}` : '';
  return `<p class="note">Fit: ${bits.join(', ')}${summary}${warn}</p>`;
}

function panels(input: ReportInput, cells: CellData[][], opts: ResolvedReportOptions, charts: ReportChart[]): string {
  const parts: string[] = [];
  parts.push('<h2 id="diagrams">Diagrams</h2>');
  parts.push('<div class="tabs" role="tablist" data-tabs="">');
  input.testSets.forEach((ts, t) => parts.push(`<button type="button" role="tab" aria-controls="panel-${slug(ts.name, t)}" aria-selected="${t === 0}">${esc(ts.name)}</button>`));
  parts.push('</div>');
  input.testSets.forEach((ts, t) => {
    parts.push(`<section class="panel" role="tabpanel" id="panel-${slug(ts.name, t)}" aria-label="${esc(ts.name)}">`);
    const sweep = input.methods.map((m, mi) => ({ name: m.id, bins: opts.sweepBins, values: cells[t]?.[mi]?.sweep ?? [] }));
    const sweepSvg = metricVsBinsSvg(sweep, { title: `ECE vs number of bins — ${ts.name}`, width: 620 });
    charts.push({ name: sweepChartName(ts.name), svg: sweepSvg });
    parts.push(`<div class="charts">${sweepSvg}</div>`);
    input.methods.forEach((m, mi) => {
      const cell = cells[t]?.[mi];
      if (cell === undefined) return;
      let binnedEce = 0;
      for (const b of cell.bins) if (b.count > 0) binnedEce += (b.count / cell.summary.n) * Math.abs(b.accuracy - b.meanConfidence);
      const heading = m.id === m.title ? esc(m.id) : `${esc(m.id)} — ${esc(m.title)}`;
      parts.push(`<div class="method"><h3>${heading}</h3>${fitNote(m)}<div class="charts">`);
      const rel = reliabilityDiagramSvg(cell.bins, { title: `${m.id} on ${ts.name}`, annotation: `ECE ${formatMetric(binnedEce)} (${opts.bins} ${opts.scheme === 'equal-mass' ? 'equal-mass ' : ''}bins)` });
      const smooth = smoothReliabilitySvg(cell.smooth, { title: `${m.id}: smooth reliability` });
      const [relName, smoothName] = methodChartNames(ts.name, m.id);
      charts.push({ name: relName, svg: rel }, { name: smoothName, svg: smooth });
      parts.push(rel, smooth);
      parts.push(confidenceHistogramSvg(cell.summary.confidences, cell.summary.correct, { title: `${m.id}: confidence, correct vs wrong` }));
      if (cell.temperatures !== undefined) parts.push(temperatureHistogramSvg(cell.temperatures, cell.summary.correct, { title: `${m.id}: per-sample temperatures` }));
      parts.push('</div>');
      parts.push(`<details><summary>Per-class reliability (${cell.classCells.length} classes)</summary>${classReliabilityGridSvg(cell.classCells, { title: `${m.id} on ${ts.name}: per-class reliability` })}</details>`);
      parts.push('</div>');
    });
    parts.push('</section>');
  });
  return parts.join('');
}

function definitions(table: MetricTable, opts: ResolvedReportOptions): string {
  const parts: string[] = ['<h2 id="definitions">Metric definitions</h2>'];
  parts.push('<p class="note">Notation: N samples, confidence c<sub>i</sub> = max<sub>k</sub> p<sub>ik</sub>, correctness a<sub>i</sub> = 1[argmax<sub>k</sub> p<sub>ik</sub> = y<sub>i</sub>] (first index on ties).</p>');
  parts.push('<dl class="defs">');
  for (const id of table.ids) {
    const info = table.info.get(id);
    parts.push(`<dt>${esc(id)}${info !== undefined ? ` — ${esc(info.name)}` : ''}</dt><dd>${esc(info?.definition ?? 'see docs/metrics.md')}</dd>`);
  }
  parts.push('</dl>');
  parts.push('<h3>Charts</h3><dl class="defs">');
  parts.push(`<dt>Reliability diagram</dt><dd>${opts.bins} ${esc(opts.scheme)} bins of the top-label confidence (equal-width edges b/B, first bin [0, 1/B], then (lo, hi]; equal-mass: rank split of the sorted confidences). Blue bar: accuracy of the bin; red: gap to the mean confidence of the bin; grey: share of samples per bin.</dd>`);
  parts.push(`<dt>Smooth reliability diagram</dt><dd>Kernel-smoothed accuracy Σ a<sub>i</sub> K(t, c<sub>i</sub>) / Σ K(t, c<sub>i</sub>) with a Gaussian kernel reflected at 0 and 1, at the bandwidth min(σ*, h): σ* solves σ = smECE<sub>σ</sub> (Błasiok &amp; Nakkiran, ICLR 2024) and is the smECE value shown; h = 0.9·min(sd, IQR/1.34)·N<sup>−1/5</sup> (Silverman's rule for the confidences) keeps a large σ* (strong miscalibration) from carrying a dense cluster's accuracy into sparse regions; the band holds the bandwidth fixed (variance, not smoothing bias); the line fades where few samples have that confidence; band: ${opts.bootstrap > 0 ? `95% percentile band of ${opts.bootstrap} bootstrap resamples (seed ${opts.seed})` : 'none'}.</dd>`);
  parts.push('<dt>ECE vs number of bins</dt><dd>Equal-width top-label ECE Σ<sub>b</sub> (n<sub>b</sub>/N)|acc<sub>b</sub> − conf<sub>b</sub>| at each bin count (Tao et al., ICLR 2024 show how much this choice moves the ranking).</dd>');
  parts.push('<dt>Per-class reliability</dt><dd>One-vs-rest view of class k: scores p<sub>ik</sub>, targets 1[y<sub>i</sub> = k], 10 equal-width bins; the ECE in each cell is that class\'s binned ECE (class-wise ECE is their mean over all classes).</dd>');
  parts.push('</dl>');
  return parts.join('');
}

/**
 * Builds the self-contained HTML report of `input`: summary table (methods × test sets, best per column
 * marked), per-test-set metric tables, charts for each method and test set in tabs, metric definitions.
 * Deterministic (seeded bootstrap, fixed number formatting). Cost: O(methods × test sets × (N·K + smooth
 * curve bootstrap)); about 15–60 kB of HTML per (method, test set).
 *
 * @example
 * const labels = Int32Array.of(0, 1, 1, 0);
 * const probs = { data: Float64Array.of(0.9, 0.1, 0.2, 0.8, 0.4, 0.6, 0.7, 0.3), rows: 4, cols: 2 };
 * const html = buildReportHtml({ title: 'demo', testSets: [{ name: 'test', labels }], methods: [{ id: 'none', title: 'Uncalibrated', probs: [probs] }] });
 * html.startsWith('<!DOCTYPE html>') // => true
 */
export function buildReportHtml(input: ReportInput): string {
  return renderReport(input).html;
}

/** Plain-text table of the primary metric: methods × test sets, `*` after the best of each column. */
function summaryText(input: ReportInput, table: MetricTable, opts: ResolvedReportOptions): string {
  const id = opts.primaryMetric;
  const higher = table.info.get(id)?.higherIsBetter ?? false;
  const best = input.testSets.map((_, t) => bestIndices(input.methods.map((_m, mi) => table.values[t]?.[mi]?.[id]), higher));
  const rows = [[`${id} (${higher ? 'higher' : 'lower'} is better)`, ...input.testSets.map((t) => t.name)]];
  input.methods.forEach((m, mi) => rows.push([m.id, ...input.testSets.map((_t, t) => `${formatMetric(table.values[t]?.[mi]?.[id])}${best[t]?.has(mi) === true ? '*' : ' '}`)]));
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number))).join('  ')).join('\n') + '\n';
}

/**
 * Like `buildReportHtml`, and also returns every main chart as its own SVG (for PNG export) and the
 * summary as plain text. Same cost.
 */
export function renderReport(input: ReportInput): RenderedReport {
  const opts = resolveReportOptions(input.options);
  if (input.testSets.length === 0 || input.methods.length === 0) {
    throw new CalibraError('E_EMPTY', `a report needs at least one test set and one method (got ${input.testSets.length} and ${input.methods.length})`, { fix: 'give a test set and a method' });
  }
  const table = evaluateReportMetrics(input, opts);
  const cells = computeCells(input, opts, (t, m) => table.values[t]?.[m]?.['smece']);
  const verdicts = reportVerdicts(input, table, opts);
  const top = verdictSections(input, cells, opts, verdicts);
  const charts: ReportChart[] = top.charts.map((c) => ({ name: fileSlug(c.name), svg: c.svg }));
  const body = [
    `<header><h1>${esc(input.title)}</h1>${input.subtitle !== undefined ? `<p>${esc(input.subtitle)}</p>` : ''}<p>${input.methods.length} methods × ${input.testSets.length} test sets · <a href="#verdict">verdict</a> · <a href="#ranking">ranking</a> · <a href="#summary">tables</a> · <a href="#diagrams">diagrams</a> · <a href="#definitions">definitions</a></p></header>`,
    '<main>',
    top.html,
    summaryTables(input, table, opts),
    panels(input, cells, opts, charts),
    definitions(table, opts),
    '</main>',
    input.footer !== undefined ? `<footer>${esc(input.footer)}</footer>` : '',
  ].join('\n');
  const text = `${summaryText(input, table, opts)}\n${verdicts[0]?.text ?? ''}\n`;
  return { html: reportPage(input.title, body), charts, summaryText: text, table, verdicts };
}

/** The HTML document around a report body: the report's CSS (plus `extraCss`), its tab script, no network. */
export function reportPage(title: string, body: string, extraCss = ''): string {
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${esc(title)} — calibra report</title>\n<style>${CSS}${extraCss}</style>\n</head>\n<body>\n${body}\n<script>${SCRIPT}</script>\n</body>\n</html>\n`;
}
