/**
 * Tables of `calibra demo` results, in the layout of the CA paper's tables (rows: methods; columns: test
 * sets), as plain text for the terminal and as Markdown for the output folder. Values: ECE, Brier, KS and
 * AUROC × 100, NLL as is. Pure string builders. Cost: O(methods × test sets).
 */
import { DEMO_METRICS, type DemoCell, type DemoMetric, type DemoModelResult } from './demo.js';

/** A column group: one test set, or the mean over a kind (e.g. all corruptions). */
interface Column { readonly title: string; readonly ids: readonly string[] }

const SCALE: Readonly<Record<DemoMetric, number>> = { ece: 100, brier: 100, ks: 100, auroc: 100, nll: 1 };
const TITLES: Readonly<Record<DemoMetric, string>> = { ece: 'ECE', brier: 'Brier', ks: 'KS', auroc: 'AUROC', nll: 'NLL' };

function meanCell(r: DemoModelResult, method: string, ids: readonly string[], preset: 'paper' | 'default', m: DemoMetric): number {
  const row = r.results[method];
  if (row === undefined) return NaN;
  let s = 0;
  for (const id of ids) s += (row[id] as DemoCell)[preset][m];
  return s / ids.length;
}

/** The summary columns: ID, the mean over corruptions (when any), each natural shift. */
export function summaryColumns(r: DemoModelResult): Column[] {
  const cols: Column[] = [];
  for (const t of r.testSets) if (t.kind === 'id') cols.push({ title: t.id, ids: [t.id] });
  const corr = r.testSets.filter((t) => t.kind === 'corruption').map((t) => t.id);
  if (corr.length > 0) cols.push({ title: `corrupted (mean of ${corr.length})`, ids: corr });
  for (const t of r.testSets) if (t.kind === 'natural') cols.push({ title: t.id, ids: [t.id] });
  return cols;
}

/** Every test set as its own column. */
export function allColumns(r: DemoModelResult): Column[] {
  return r.testSets.map((t) => ({ title: t.id, ids: [t.id] }));
}

function fmt(v: number, m: DemoMetric): string {
  return Number.isFinite(v) ? (v * SCALE[m]).toFixed(m === 'nll' ? 3 : 2) : '-';
}

/** Rows of [method, ...cells] for one preset and a set of columns with all five metrics each. */
function grid(r: DemoModelResult, preset: 'paper' | 'default', cols: readonly Column[], metrics: readonly DemoMetric[]): { header: string[]; sub: string[]; rows: string[][] } {
  const header = ['method'];
  const sub = [''];
  for (const c of cols) metrics.forEach((m, i) => { header.push(i === 0 ? c.title : ''); sub.push(TITLES[m]); });
  const rows: string[][] = [];
  for (const s of r.methods) {
    if (s.status !== 'ok') continue;
    const row = [s.label];
    for (const c of cols) for (const m of metrics) row.push(fmt(meanCell(r, s.label, c.ids, preset, m), m));
    rows.push(row);
  }
  return { header, sub, rows };
}

function bestMarks(rows: string[][], metrics: readonly DemoMetric[]): Set<string> {
  const marks = new Set<string>();
  if (rows.length === 0) return marks;
  const ncol = (rows[0] as string[]).length;
  for (let c = 1; c < ncol; c++) {
    const m = metrics[(c - 1) % metrics.length] as DemoMetric;
    const vals = rows.map((row) => Number(row[c]));
    const best = m === 'auroc' ? Math.max(...vals.filter(Number.isFinite)) : Math.min(...vals.filter(Number.isFinite));
    rows.forEach((row, ri) => { if (Number(row[c]) === best) marks.add(`${ri},${c}`); });
  }
  return marks;
}

function presetTitle(preset: 'paper' | 'default'): string {
  return preset === 'paper'
    ? 'ca-paper preset (CA code: ECE 25 bins, top-label Brier, KS as coded, roc_auc; NLL)'
    : 'default preset (ECE 15 bins, multiclass Brier, KS of Gupta et al., AUROC, NLL)';
}

function headerLines(r: DemoModelResult): string[] {
  const ts = r.testSets.map((t) => `${t.id} ${t.n} (acc ${t.accuracy.toFixed(3)})`).join('; ');
  const lines = [
    `${r.model}: ${r.description}`,
    `calibration: ${r.calibration.n} images, acc ${r.calibration.accuracy.toFixed(3)} (${r.calibration.note})`,
    `test sets: ${ts}`,
  ];
  const missing = r.methods.filter((m) => m.status !== 'ok');
  for (const m of missing) lines.push(`${m.status === 'missing' ? 'missing' : 'failed'}: ${m.label} (${m.id}): ${m.message ?? ''}`);
  return lines;
}

/** Plain-text tables for one model (summary columns, both presets). Lower is better except AUROC; '*' marks the best. */
export function formatDemoText(r: DemoModelResult): string {
  const out: string[] = [`== ${headerLines(r).join('\n   ')}`, 'values ×100 except NLL; * = best in column; lower is better except AUROC', ''];
  const cols = summaryColumns(r);
  for (const preset of ['paper', 'default'] as const) {
    const g = grid(r, preset, cols, DEMO_METRICS);
    const marks = bestMarks(g.rows, DEMO_METRICS);
    const cells = [g.sub, ...g.rows.map((row, ri) => row.map((v, c) => (marks.has(`${ri},${c}`) ? `${v}*` : v)))];
    const widths = g.sub.map((_, c) => Math.max(...cells.map((row) => (row[c] ?? '').length), c === 0 ? 'method'.length : 0));
    out.push(presetTitle(preset));
    // Group titles start at their group's first column and may run over the following columns.
    let title = 'method'.padEnd(widths[0] as number);
    let pos = title.length;
    g.header.forEach((h, c) => {
      if (c === 0) return;
      pos += 2 + (widths[c] as number);
      if (h !== '') title = `${title.padEnd(pos - (widths[c] as number))}${h}`;
    });
    out.push(title.trimEnd());
    cells.forEach((row, ri) => {
      out.push(row.map((v, c) => (c === 0 ? v.padEnd(widths[c] as number) : v.padStart(widths[c] as number))).join('  '));
      if (ri === 0) out.push(widths.map((w) => '-'.repeat(w)).join('  '));
    });
    out.push('');
  }
  return out.join('\n');
}

function mdTable(r: DemoModelResult, preset: 'paper' | 'default', cols: readonly Column[], metrics: readonly DemoMetric[]): string {
  const g = grid(r, preset, cols, metrics);
  const marks = bestMarks(g.rows, metrics);
  const head = metrics.length === 1 ? g.header.map((h, i) => (i === 0 ? h : (cols[i - 1]?.title ?? h))) : g.header.map((h, i) => (i === 0 ? h : `${h ? `${h} ` : ''}${g.sub[i] ?? ''}`));
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`];
  g.rows.forEach((row, ri) => lines.push(`| ${row.map((v, c) => (marks.has(`${ri},${c}`) ? `**${v}**` : v)).join(' | ')} |`));
  return lines.join('\n');
}

/** Markdown for one model: summary tables for both presets, then one table per metric over every test set. */
export function formatDemoMarkdown(r: DemoModelResult): string {
  const parts = [`## ${r.model}`, '', headerLines(r).slice(1).map((l) => `- ${l}`).join('\n'), '', 'Values ×100 except NLL; bold = best in column; lower is better except AUROC.', ''];
  for (const preset of ['paper', 'default'] as const) {
    parts.push(`### Summary, ${presetTitle(preset)}`, '', mdTable(r, preset, summaryColumns(r), DEMO_METRICS), '');
  }
  if (r.testSets.length > 1) {
    for (const preset of ['paper', 'default'] as const) {
      for (const m of DEMO_METRICS) {
        if (preset === 'default' && m === 'nll') continue;
        parts.push(`### ${TITLES[m]} on every test set, ${preset === 'paper' ? 'ca-paper' : 'default'} preset`, '', mdTable(r, preset, allColumns(r), [m]), '');
      }
    }
  }
  return parts.join('\n');
}
