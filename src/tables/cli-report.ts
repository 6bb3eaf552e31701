/**
 * The `--table` path of `calibra report` (loaded by a dynamic import, so DuckDB loads only here): evaluates
 * the table per slice inside DuckDB (metrics and the per-bin sums of the reliability diagrams, pushed down:
 * no row is fetched for the diagrams), then writes the sliced report (src/report/html-slice-report.ts).
 */
import { CalibraError, termSafe } from '../errors.js';
import { choiceValue, getValue, numberValue, type ParsedArgs } from '../cli/args.js';
import type { CliIo } from '../cli/io.js';
import { renderSliceReport } from '../report/html-slice-report.js';
import { writeReportFiles } from '../report/node/files.js';
import { rankSlices, type SliceRow } from '../report/html-slices.js';
import { evaluateTable } from './evaluate-table.js';
import { tableEvaluateOptions } from './cli-evaluate.js';
import { tableJsonDocument } from './format.js';

/**
 * Default metrics of a table report: the report's defaults less smece, which needs every row in memory
 * (name it in --metrics to get it). cw_ece, brier and nll are left out for top-label input.
 */
export const TABLE_REPORT_METRIC_IDS: readonly string[] = ['accuracy', 'ece', 'ece_em', 'mce', 'cw_ece', 'brier', 'nll', 'auroc'];

/** Options of the file path of `calibra report` that a table report does not take. */
const FILE_ONLY = ['val-logits', 'val-labels', 'val-views', 'test-logits', 'test-labels', 'test-views', 'test-set', 'methods', 'option', 'seed'];

/** Runs `calibra report --table ...`; `out` has been checked (absent or `force`, folder exists). */
export async function runTableReport(args: ParsedArgs, io: CliIo, out: string, force: boolean): Promise<number> {
  for (const k of FILE_ONLY) {
    if (getValue(args, k) !== undefined || (args.values.get(k)?.length ?? 0) > 0) throw new CalibraError('E_USAGE', `--${k} does not go with --table`, { where: 'calibra report', fix: `drop --${k} (a table report evaluates the table's own predictions; it fits no method)` });
  }
  if (args.flags.has('probs')) throw new CalibraError('E_USAGE', '--probs does not go with --table', { where: 'calibra report', fix: 'name the column instead: --probs-col NAME (or --logits-col NAME)' });
  const scheme = getValue(args, 'scheme');
  if (scheme !== undefined && scheme !== 'equal-width') throw new CalibraError('E_USAGE', `--scheme ${JSON.stringify(scheme)} does not go with --table`, { where: 'calibra report', fix: 'drop --scheme: the diagrams of a table report are equal-width (ece_em in --metrics gives the equal-mass ECE)' });
  const format = choiceValue(args, 'format', 'report', ['table', 'json'], 'table');
  const bins = numberValue(args, 'bins', 'report', 15, { integer: true, min: 1, max: 1000 });
  const maxSlices = numberValue(args, 'max-slices', 'report', 12, { integer: true, min: 0, max: 10000 });
  const rankBy = getValue(args, 'primary') ?? 'ece';
  const opts = tableEvaluateOptions(args, 'report', TABLE_REPORT_METRIC_IDS);
  const ids = opts.ids.includes(rankBy) ? opts.ids : [...opts.ids, rankBy];
  const explicit = getValue(args, 'primary') !== undefined ? new Set([...opts.explicit, rankBy]) : opts.explicit;
  const r = await evaluateTable({ ...opts, ids, explicit, diagramBins: bins });
  if (r.dropped.length > 0 && !args.flags.has('quiet')) io.stderr(`calibra: note: left out ${termSafe(r.dropped.join(', '))} (the table gives no probability per class; use --probs-col or --logits-col for them)\n`);
  const row = (s: { key: SliceRow['key']; n: number; metrics: Record<string, number>; bins?: SliceRow['bins'] }): SliceRow => ({ key: s.key, n: s.n, metrics: s.metrics, bins: s.bins ?? [] });
  const rendered = renderSliceReport({
    title: getValue(args, 'title') ?? 'calibra report',
    subtitle: `${r.n} rows, ${r.classes} classes${opts.by.length > 0 ? `, ${r.slices?.length ?? 0} slices by ${opts.by.join(', ')}` : ''}${opts.where !== null ? `, rows where ${opts.where}` : ''} (${r.source}).`,
    by: opts.by,
    ids: r.ids,
    overall: row({ key: {}, n: r.n, metrics: r.metrics, ...(r.bins !== undefined ? { bins: r.bins } : {}) }),
    slices: (r.slices ?? []).map(row),
    rankBy,
    maxDiagrams: maxSlices,
    bins,
    edges: opts.edges,
  });
  const pngDir = getValue(args, 'png-dir');
  const written = await writeReportFiles(rendered, out, { force, ...(pngDir !== undefined ? { pngDir } : {}) });
  if (format === 'json') {
    // the document of `evaluate --table --format json`, plus the ranking and the files written
    const doc = tableJsonDocument(r);
    const worstFirst = r.slices !== null ? rankSlices(r.slices, rankBy) : [];
    io.stdout(`${JSON.stringify({ out, pngs: written.pngs, rankedBy: rankBy, ...doc, ...(r.slices !== null ? { worstFirst } : {}) }, null, 2)}\n`);
    return 0;
  }
  io.stdout(rendered.summaryText.split('\n').map(termSafe).join('\n'));
  io.stdout(`wrote ${termSafe(out)}${written.pngs.length > 0 ? ` and ${written.pngs.length} PNG files in ${termSafe(pngDir ?? '')}` : ''}\n`);
  return 0;
}
