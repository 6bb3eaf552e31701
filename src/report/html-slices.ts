/**
 * The slices section of a report (`calibra report --table ... --by COL`): one binned reliability diagram
 * for the whole table and for each of the worst slices, and a table of every slice's metrics sorted worst
 * first by one metric (ECE by default), so the worst slice is visible at a glance. A pure function of
 * per-slice bin records and metric values (what the table engine pushes down), browser-safe; it draws with
 * the report's own reliability chart.
 */
import type { BinRecord } from '../metrics/binning.js';
import { reliabilityDiagramSvg } from './charts/reliability.js';
import { describeMetric } from './metrics-table.js';
import { esc } from './svg.js';
import { formatMetric } from './html.js';
import { CalibraError } from '../errors.js';

/** A slice key value (a `--by` column's value; null is SQL NULL). */
export type SliceKeyValue = number | string | boolean | null;

/** One slice of the table, or the whole table (empty key). */
export interface SliceRow {
  /** `--by` column → value. */
  readonly key: Readonly<Record<string, SliceKeyValue>>;
  readonly n: number;
  /** Metric id → value (NaN when undefined on this slice). */
  readonly metrics: Readonly<Record<string, number>>;
  /** Equal-width top-label reliability bins of the slice. */
  readonly bins: readonly BinRecord[];
}

/** Input of `slicesSection`. */
export interface SlicesSectionInput {
  /** The `--by` columns, in order. */
  readonly by: readonly string[];
  /** Metric ids, the table's columns in order. */
  readonly ids: readonly string[];
  readonly overall: SliceRow;
  readonly slices: readonly SliceRow[];
  /** The id slices are ranked by, worst first (default "ece"; must be one of `ids`). */
  readonly rankBy?: string;
  /** Most slice diagrams drawn: the worst ones (default 12; the whole table's is always drawn). */
  readonly maxDiagrams?: number;
  /** Rows of the slice table shown open; the rest sit in a collapsed block (default 50). */
  readonly openRows?: number;
}

/** A chart of the section with a file-name-safe name (for PNG export). */
export interface SliceChart {
  readonly name: string;
  readonly svg: string;
}

/** What `slicesSection` returns. */
export interface SlicesSection {
  readonly html: string;
  /** The whole table's diagram, then the drawn slices' diagrams, worst first. */
  readonly charts: readonly SliceChart[];
  /** Slice indices (into `input.slices`) worst first: NaN last, ties in input order. */
  readonly order: readonly number[];
  /** Slices without a diagram. */
  readonly omitted: number;
}

/** CSS of the section (the report page adds it to its own). */
export const SLICES_CSS = `
.table-wrap{max-width:100%;overflow-x:auto;margin:6px 0 14px}
.slice-grid{display:flex;flex-wrap:wrap;gap:10px;align-items:flex-start}
.slice-grid figure{margin:0}
.slice-grid svg{border:1px solid #eceef1;border-radius:4px;max-width:100%;height:auto}
.slice-grid figcaption{font-size:12.5px;color:var(--muted);max-width:380px;overflow-wrap:anywhere}
tr.overall td{background:#f6f7f9;font-weight:600}
tr.worst td{background:#fbe9e3}
td.rank-by{font-weight:700}
`;

const DEFAULT_MAX_DIAGRAMS = 12;
const DEFAULT_OPEN_ROWS = 50;

/** A slice key as text: `region=eu, day=3` (NULL for SQL NULL); "all rows" for the whole table. */
export function sliceLabel(key: Readonly<Record<string, SliceKeyValue>>, by: readonly string[]): string {
  if (by.length === 0) return 'all rows';
  return by.map((c) => `${c}=${key[c] === null || key[c] === undefined ? 'NULL' : String(key[c])}`).join(', ');
}

/**
 * Slice indices worst first by `id`: descending, or ascending for a metric where higher is better
 * (accuracy, auroc); NaN last; equal values keep their input order.
 * @example rankSlices([{metrics: {ece: 0.1}}, {metrics: {ece: 0.3}}], 'ece') // => [1, 0]
 */
export function rankSlices(slices: readonly Pick<SliceRow, 'metrics'>[], id: string): number[] {
  const higher = describeMetric(id).higherIsBetter;
  const value = (i: number): number => (slices[i] as Pick<SliceRow, 'metrics'>).metrics[id] ?? Number.NaN;
  return slices.map((_, i) => i).sort((a, b) => {
    const x = value(a); const y = value(b);
    const nx = Number.isNaN(x); const ny = Number.isNaN(y);
    if (nx || ny) return nx === ny ? a - b : nx ? 1 : -1;
    if (x === y) return a - b;
    return higher ? x - y : y - x;
  });
}

const fileSlug = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80);

function diagram(row: SliceRow, title: string, rankBy: string): string {
  return reliabilityDiagramSvg(row.bins, { title: title.length > 36 ? `${title.slice(0, 35)}…` : title, annotation: `${rankBy} ${formatMetric(row.metrics[rankBy])} · n ${row.n}` });
}

function tableHead(by: readonly string[], ids: readonly string[], rankBy: string): string {
  const cols = ['<th>rank</th>', ...by.map((c) => `<th class="name">${esc(c)}</th>`), '<th>n</th>'];
  for (const id of ids) {
    const info = describeMetric(id);
    cols.push(`<th title="${esc(info.name)}"${id === rankBy ? ' class="rank-by"' : ''}>${esc(id)} ${info.higherIsBetter ? '↑' : '↓'}</th>`);
  }
  return `<thead><tr>${cols.join('')}</tr></thead>`;
}

function tableRow(row: SliceRow, rank: string, by: readonly string[], ids: readonly string[], rankBy: string, cls: string): string {
  const keys = by.length === 0 ? [] : rank === '' ? [`<td class="name" colspan="${by.length}">(all rows)</td>`] : by.map((c) => `<td class="name">${esc(row.key[c] === null || row.key[c] === undefined ? 'NULL' : String(row.key[c]))}</td>`);
  // data-value: the full-precision value (shortest round trip; empty for NaN), for scripts and sorting
  const values = ids.map((id) => { const v = row.metrics[id] ?? Number.NaN; return `<td data-id="${esc(id)}" data-value="${Number.isNaN(v) ? '' : String(v)}"${id === rankBy ? ' class="rank-by"' : ''}>${formatMetric(v)}</td>`; });
  const data = rank !== '' ? ` data-rank="${rank}" data-key="${esc(JSON.stringify(by.map((c) => row.key[c] ?? null)))}"` : '';
  return `<tr${cls !== '' ? ` class="${cls}"` : ''}${data}><td>${rank}</td>${keys.join('')}<td>${row.n}</td>${values.join('')}</tr>`;
}

/**
 * The slices section: a heading naming the worst slice, the diagrams (whole table first, then the worst
 * `maxDiagrams` slices, with a note of how many were left out), and the slice table (whole table first,
 * then every slice worst first; rows past `openRows` collapsed). Cost O(slices · (log slices + ids) +
 * drawn · bins).
 */
export function slicesSection(input: SlicesSectionInput): SlicesSection {
  const rankBy = input.rankBy ?? 'ece';
  if (!input.ids.includes(rankBy)) throw new CalibraError('E_OPTION', `the slices are ranked by ${rankBy}, which is not one of the metrics (${input.ids.join(', ')})`, { where: 'slices', fix: `add ${rankBy} to the metrics` });
  const maxDiagrams = Math.max(0, input.maxDiagrams ?? DEFAULT_MAX_DIAGRAMS);
  const openRows = Math.max(1, input.openRows ?? DEFAULT_OPEN_ROWS);
  const { by, ids, slices } = input;
  const order = rankSlices(slices, rankBy);
  const drawn = order.slice(0, maxDiagrams);
  const omitted = slices.length - drawn.length;
  const info = describeMetric(rankBy);
  const charts: SliceChart[] = [{ name: 'slice-all', svg: diagram(input.overall, 'All rows', rankBy) }];
  drawn.forEach((i, r) => {
    const s = slices[i] as SliceRow;
    charts.push({ name: `slice-${String(r + 1).padStart(String(drawn.length).length, '0')}-${fileSlug(sliceLabel(s.key, by))}`, svg: diagram(s, `#${r + 1} ${sliceLabel(s.key, by)}`, rankBy) });
  });

  const parts: string[] = [];
  parts.push(`<section id="slices" data-rank-by="${esc(rankBy)}">`);
  parts.push(`<h2>Slices${by.length > 0 ? ` by ${esc(by.join(', '))}` : ''}: ${esc(rankBy)}, worst first <span class="note">(${info.higherIsBetter ? 'higher' : 'lower'} is better)</span></h2>`);
  const worst = order[0];
  if (worst !== undefined) {
    const s = slices[worst] as SliceRow;
    parts.push(`<p class="worst-slice">Worst slice: <strong>${esc(sliceLabel(s.key, by))}</strong> — ${esc(rankBy)} ${formatMetric(s.metrics[rankBy])} on ${s.n} rows, against ${formatMetric(input.overall.metrics[rankBy])} on all ${input.overall.n} rows.</p>`);
  }
  parts.push('<div class="slice-grid">');
  charts.forEach((c, j) => {
    const row = j === 0 ? input.overall : (slices[drawn[j - 1] as number] as SliceRow);
    const caption = j === 0 ? `All rows (n ${row.n})` : `#${j} ${sliceLabel(row.key, by)} (n ${row.n})`;
    parts.push(`<figure class="slice-diagram" data-slice="${esc(j === 0 ? '' : sliceLabel(row.key, by))}">${c.svg}<figcaption>${esc(caption)}</figcaption></figure>`);
  });
  parts.push('</div>');
  if (by.length > 0) parts.push(`<p class="note slice-count">${slices.length} slices; diagrams of the whole table and ${drawn.length === slices.length ? 'every slice' : `the ${drawn.length} worst by ${esc(rankBy)}`}${omitted > 0 ? `; ${omitted} slices not drawn (raise --max-slices to draw more; all are in the table below)` : ''}. A small slice's binned ${esc(rankBy)} is noisy: read it with its n.</p>`);

  const head = tableHead(by, ids, rankBy);
  const rows = order.map((i, r) => tableRow(slices[i] as SliceRow, String(r + 1), by, ids, rankBy, r === 0 ? 'worst' : ''));
  const open = rows.slice(0, openRows);
  const rest = rows.slice(openRows);
  parts.push(`<div class="table-wrap"><table class="slice-table">${head}<tbody>${tableRow(input.overall, '', by, ids, rankBy, 'overall')}${open.join('')}</tbody></table></div>`);
  if (rest.length > 0) {
    parts.push(`<details class="slice-rest"><summary>${rest.length} more slices (ranks ${openRows + 1}–${rows.length})</summary><div class="table-wrap"><table class="slice-table">${head}<tbody>${rest.join('')}</tbody></table></div></details>`);
  }
  parts.push('</section>');
  return { html: parts.join('\n'), charts, order, omitted };
}
