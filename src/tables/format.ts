/**
 * Output of `calibra evaluate --table`: JSON `{"n", "classes", "metrics"}` for the whole table, plus
 * `"slices": [{"key": {COL: value}, "n", "metrics"}]` with `--by`; an aligned table (one row per slice,
 * the whole table first); or CSV with a `level` column (`all` or `slice`). NaN is null / empty / n/a.
 */
import type { TableEvaluation } from './evaluate-table.js';
import type { TableValue } from './engine.js';

const num = (v: number | undefined): number | null => (v !== undefined && Number.isFinite(v) ? v : null);

function metricsJson(ids: readonly string[], m: Record<string, number>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const id of ids) out[id] = num(m[id]);
  return out;
}

/** The JSON document as an object (also the body of `report --table --format json`). */
export function tableJsonDocument(r: TableEvaluation): Record<string, unknown> {
  const doc: Record<string, unknown> = { n: r.n, classes: r.classes, metrics: metricsJson(r.ids, r.metrics) };
  if (r.slices !== null) doc['slices'] = r.slices.map((s) => ({ key: s.key, n: s.n, metrics: metricsJson(r.ids, s.metrics) }));
  return doc;
}

/** The JSON document. */
export function tableJson(r: TableEvaluation): string {
  return `${JSON.stringify(tableJsonDocument(r), null, 2)}\n`;
}

const cellText = (v: TableValue): string => (v === null ? 'NULL' : String(v));
const fmt = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(6));

/** The aligned text table. */
export function tableText(r: TableEvaluation, by: readonly string[]): string {
  if (r.slices === null) {
    const rows = r.ids.map((id) => [id, fmt(r.metrics[id])]);
    const w0 = Math.max(6, ...rows.map((x) => (x[0] as string).length));
    const w1 = Math.max(5, ...rows.map((x) => (x[1] as string).length));
    const line = (a: string, b: string): string => `${a.padEnd(w0)}  ${b.padStart(w1)}`;
    return [`n = ${r.n}, classes = ${r.classes} (${r.source})`, line('metric', 'value'), line('-'.repeat(w0), '-'.repeat(w1)), ...rows.map((x) => line(x[0] as string, x[1] as string)), ''].join('\n');
  }
  const head = [...by, 'n', ...r.ids];
  const body = [['(all)', ...by.slice(1).map(() => ''), String(r.n), ...r.ids.map((id) => fmt(r.metrics[id]))]];
  for (const s of r.slices) body.push([...by.map((c) => cellText(s.key[c] ?? null)), String(s.n), ...r.ids.map((id) => fmt(s.metrics[id]))]);
  const widths = head.map((h, j) => Math.max(h.length, ...body.map((row) => (row[j] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((c, j) => (j < by.length ? c.padEnd(widths[j] as number) : c.padStart(widths[j] as number))).join('  ').trimEnd();
  return [`n = ${r.n}, classes = ${r.classes}, ${r.slices.length} slices by ${by.join(', ')} (${r.source})`, line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), ''].join('\n');
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const csvNum = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '' : String(v));

/** CSV: without --by `metric,value`; with --by `level,<by...>,n,<ids...>`, the whole table first. */
export function tableCsv(r: TableEvaluation, by: readonly string[]): string {
  if (r.slices === null) return `${['metric,value', ...r.ids.map((id) => `${csvCell(id)},${csvNum(r.metrics[id])}`)].join('\n')}\n`;
  const lines = [['level', ...by, 'n', ...r.ids].map(csvCell).join(',')];
  lines.push(['all', ...by.map(() => ''), String(r.n), ...r.ids.map((id) => csvNum(r.metrics[id]))].join(','));
  for (const s of r.slices) lines.push(['slice', ...by.map((c) => { const v = s.key[c] ?? null; return v === null ? '' : csvCell(String(v)); }), String(s.n), ...r.ids.map((id) => csvNum(s.metrics[id]))].join(','));
  return `${lines.join('\n')}\n`;
}
