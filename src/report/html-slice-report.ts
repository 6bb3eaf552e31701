/**
 * The self-contained HTML report of one table of predictions, sliced (`calibra report --table ... --by`):
 * header, the slices section (`slicesSection`: diagrams of the worst slices, every slice's metrics worst
 * first) and the definitions of the metrics and of the diagram. A pure function of its input, browser-safe.
 */
import { slicesSection, sliceLabel, SLICES_CSS, type SliceChart, type SlicesSectionInput } from './html-slices.js';
import { formatMetric, reportPage } from './html.js';
import { describeMetric } from './metrics-table.js';
import { esc } from './svg.js';

/** Input of `renderSliceReport`. */
export interface SliceReportInput extends SlicesSectionInput {
  readonly title: string;
  /** A line under the heading (source, row and class counts). */
  readonly subtitle?: string;
  /** Bins of the diagrams, and the edge rule, for the definitions. */
  readonly bins: number;
  readonly edges: string;
}

/** What `renderSliceReport` returns. */
export interface RenderedSliceReport {
  readonly html: string;
  readonly charts: readonly SliceChart[];
  /** The worst slices (up to 10) and the whole table, as aligned plain text for the terminal. */
  readonly summaryText: string;
}

function definitions(input: SliceReportInput): string {
  const parts = ['<section id="definitions"><h2>Definitions</h2><dl class="defs">'];
  for (const id of input.ids) {
    const info = describeMetric(id);
    parts.push(`<dt>${esc(id)} — ${esc(info.name)}</dt><dd>${esc(info.definition !== '' ? info.definition : 'see docs/metrics.md')}</dd>`);
  }
  parts.push(`<dt>Reliability diagram</dt><dd>${input.bins} equal-width bins of the top-label confidence (edges b/B, edge rule ${esc(input.edges)}: see docs/metrics.md), from the per-bin counts and sums the table engine computes. Blue bar: accuracy of the bin; red: gap to the mean confidence of the bin; grey: share of the slice's rows per bin.</dd>`);
  parts.push('<dt>Slice</dt><dd>The rows with one combination of the values of the --by columns (NULL is a value). Slices are ranked worst first by the ranking metric; the whole table comes first in the table and the diagrams.</dd>');
  parts.push('</dl></section>');
  return parts.join('');
}

function summaryText(input: SliceReportInput, order: readonly number[]): string {
  const rankBy = input.rankBy ?? 'ece';
  const shown = order.slice(0, 10);
  const rows = [['rank', 'slice', 'n', rankBy], ['', 'all rows', String(input.overall.n), formatMetric(input.overall.metrics[rankBy])]];
  shown.forEach((i, r) => {
    const s = input.slices[i];
    if (s !== undefined) rows.push([String(r + 1), sliceLabel(s.key, input.by), String(s.n), formatMetric(s.metrics[rankBy])]);
  });
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] as string).length)));
  const lines = rows.map((r) => r.map((x, c) => (c === 1 ? x.padEnd(widths[c] as number) : x.padStart(widths[c] as number))).join('  ').trimEnd());
  const head = input.by.length > 0 ? `${input.slices.length} slices by ${input.by.join(', ')}, worst first by ${rankBy}${order.length > shown.length ? ` (top ${shown.length} shown)` : ''}` : `${rankBy} of the whole table`;
  return `${head}\n${lines.join('\n')}\n`;
}

/**
 * The report page of a sliced table. Cost: that of `slicesSection`; about 8 kB of HTML per diagram and
 * 0.1 kB per slice-table row and metric.
 *
 * @example
 * const bins = [{ lo: 0, hi: 0.5, count: 4, meanConfidence: 0.4, accuracy: 0.25 }, { lo: 0.5, hi: 1, count: 6, meanConfidence: 0.8, accuracy: 0.7 }];
 * const overall = { key: {}, n: 20, metrics: { ece: 0.1 }, bins };
 * const slices = [{ key: { region: 'eu' }, n: 10, metrics: { ece: 0.05 }, bins }, { key: { region: 'us' }, n: 10, metrics: { ece: 0.15 }, bins }];
 * renderSliceReport({ title: 'logs', by: ['region'], ids: ['ece'], overall, slices, bins: 2, edges: 'right' }).html.startsWith('<!DOCTYPE html>') // => true
 */
export function renderSliceReport(input: SliceReportInput): RenderedSliceReport {
  const section = slicesSection(input);
  const body = [
    `<header><h1>${esc(input.title)}</h1>${input.subtitle !== undefined ? `<p>${esc(input.subtitle)}</p>` : ''}<p><a href="#slices">slices</a> · <a href="#definitions">definitions</a></p></header>`,
    '<main>',
    section.html,
    definitions(input),
    '</main>',
  ].join('\n');
  return { html: reportPage(input.title, body, SLICES_CSS), charts: section.charts, summaryText: summaryText(input, section.order) };
}
