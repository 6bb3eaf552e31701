/**
 * `calibra evaluate`: metric ids over logits or probabilities and labels, as a table, JSON or CSV, with
 * optional bootstrap intervals. A `.npy` input larger than the memory budget is streamed in chunks through
 * mergeable accumulators; the result equals the in-memory one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CalibraError, termSafe } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { softmax } from '../../math/softmax.js';
import { EDGE_RULES, type EdgeRule } from '../../metrics/binning.js';
import { bootstrapIntervals, type Interval } from '../../metrics/bootstrap.js';
import { computeMetrics, MetricAccumulator, parseMetricIds } from '../../metrics/evaluate.js';
import { presetMetricIds } from '../../metrics/ids.js';
import { checkLabelsMatch, loadLabels, loadLogits, loadProbs, readNpyChunks, readNpyFileHeader } from '../../data/files.js';
import { arrayToLogits, arrayToProbs } from '../../data/validate.js';
import { defaultThreads, PARALLEL_MIN_ELEMENTS } from '../../node-parallel/threads.js';
import { csvHeaderValue, getValue, numberValue, parseArgs, metricListValue, choiceValue } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { threadsOption } from '../threads-option.js';

const NAME = 'evaluate';


/** Most bootstrap resamples (--bootstrap): each costs a pass over the samples; 100 000 bounds a run (scipy's default is 9 999). */
const MAX_BOOTSTRAP = 100_000;
const USAGE = `usage: calibra evaluate (--logits F | --probs F) --labels F [options]
       calibra evaluate --table FILE_OR_GLOB --label-col NAME
           (--confidence-col NAME --pred-col NAME | --probs-col NAME | --logits-col NAME)
           [--by COL[,COL]] [--where SQL] [--metrics ...] [--format table|json|csv]

Computes calibration metrics. Files: .npy, .npz, .csv or .json; labels as integers or one-hot.

options:
  --logits F           N×K logits (or an N-vector: logit of class 1)
  --probs F            N×K probabilities (rows sum to 1; or an N-vector of P(y=1))
  --labels F           N integer labels (or N×K one-hot)
  --metrics IDS        comma-separated ids, e.g. ece@25,cw_ece,nll (added to --preset when both are given)
  --preset NAME        default | ca-paper | sweep (default: default, when --metrics is absent)
  --edges RULE         equal-width edge rule: right ([0,1/B] then (lo,hi], default) | guo | left
  --format FMT         table (default) | markdown | json | csv
  --ci LEVEL           bootstrap percentile intervals at this level, e.g. 0.95
  --bootstrap B        bootstrap resamples (default 1000, at most 100000)
  --seed S             seed of the resampling (default 0)
  --chunk-rows R       stream a .npy input in chunks of R rows
  --max-memory MB      stream a .npy input when it is larger than MB megabytes (default 1024)
  --threads N          worker threads for the per-row pass of an in-memory input (default: min(cores, 4)
                       above 2e7 values, else 1); results are bit-identical for every N
  --quiet              no progress on stderr

tables (computed inside the embedded DuckDB; --threads and --max-memory are DuckDB's; see docs/tables.md):
  --table FILE_OR_GLOB .parquet, .csv/.tsv, .jsonl/.ndjson/.json, .arrow/.feather/.ipc, .duckdb (--db-table NAME)
  --label-col NAME, --confidence-col NAME --pred-col NAME | --probs-col NAME | --logits-col NAME
  --by COL[,COL]       per-slice metrics plus the whole table;  --where SQL  your own DuckDB predicate

ids: see docs/metrics.md; e.g. accuracy ece ece_em mce rmsce cw_ece tl_ece dece smece ks mmce kde_ece
brier brier_top nll auroc aupr_success aupr_error fpr95 aurc eaurc; binned ids take @B (default 15).

example:
  calibra evaluate --logits val-logits.npy --labels val-labels.npy --metrics ece@15,nll --format json
`;

interface Loaded {
  readonly n: number;
  readonly classes: number;
  readonly point: Record<string, number>;
  readonly intervals: Record<string, Interval> | null;
  readonly streamed: number;
}

/** Re-raises a chunk-relative "row r" error with the row number in the file. */
function inChunk<T>(start: number, file: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CalibraError && e.where !== undefined) {
      const where = e.where.replace(/row (\d+)/, (_m, r: string) => `row ${start + Number(r)}`);
      throw new CalibraError(e.code, e.message, { source: e.source ?? file, where, ...(e.fix !== undefined ? { fix: e.fix } : {}) });
    }
    throw e;
  }
}

function pointAndIntervals(
  ids: readonly string[], acc: MetricAccumulator, probs: Matrix | null, labels: Int32Array,
  ci: { level: number; replicates: number; seed: number } | null, edges: EdgeRule,
): { point: Record<string, number>; intervals: Record<string, Interval> | null } {
  const specs = parseMetricIds(ids);
  const point = computeMetrics(specs, { ...acc.context(), probs, labels: probs !== null ? labels : null });
  if (ci === null) return { point, intervals: null };
  const summary = acc.summary();
  if (summary === null) throw new Error('evaluate: accumulator kept no samples');
  return { point, intervals: bootstrapIntervals(summary, probs, probs !== null ? labels : null, point, ids, { ...ci, edges }) };
}

async function evaluateFiles(args: ReturnType<typeof parseArgs>, io: CliIo): Promise<Loaded & { ids: string[] }> {
  const logitsFile = getValue(args, 'logits');
  const probsFile = getValue(args, 'probs');
  if ((logitsFile === undefined) === (probsFile === undefined)) {
    throw new CalibraError('E_USAGE', 'give exactly one of --logits and --probs', { where: `calibra ${NAME}`, fix: 'e.g. calibra evaluate --logits val-logits.npy --labels val-labels.npy' });
  }
  const labelsFile = getValue(args, 'labels');
  if (labelsFile === undefined) throw new CalibraError('E_USAGE', 'missing --labels', { where: `calibra ${NAME}`, fix: 'add --labels FILE (integers or one-hot)' });
  const preset = getValue(args, 'preset');
  const listed = metricListValue(args) ?? [];
  const asked = [...new Set([...(preset !== undefined || listed.length === 0 ? presetMetricIds(preset ?? 'default') : []), ...listed])];
  // the table shows mean confidence next to accuracy: the two numbers a reader compares first
  const table = (getValue(args, 'format') ?? 'table') === 'table';
  const ids = table && asked.includes('accuracy') && !asked.includes('confidence') ? asked.flatMap((id) => (id === 'accuracy' ? ['accuracy', 'confidence'] : [id])) : asked;
  const specs = parseMetricIds(ids);
  const edgesText = getValue(args, 'edges') ?? 'right';
  if (!(EDGE_RULES as readonly string[]).includes(edgesText)) throw new CalibraError('E_USAGE', `unknown edge rule ${JSON.stringify(edgesText)}`, { where: `calibra ${NAME}`, fix: `use one of ${EDGE_RULES.join(', ')}` });
  const edges = edgesText as EdgeRule;
  const ciLevel = getValue(args, 'ci') === undefined ? null : numberValue(args, 'ci', NAME, 0.95, { min: 1e-9, max: 1 - 1e-9 });
  const ci = ciLevel === null ? null : { level: ciLevel, replicates: numberValue(args, 'bootstrap', NAME, 1000, { min: 2, max: MAX_BOOTSTRAP, integer: true }), seed: numberValue(args, 'seed', NAME, 0, { min: 0, max: 4294967295, integer: true }) };
  const chunkRows = getValue(args, 'chunk-rows') === undefined ? null : numberValue(args, 'chunk-rows', NAME, 65536, { min: 1, integer: true });
  const maxMemoryMb = numberValue(args, 'max-memory', NAME, 1024, { min: 1e-6 });
  const threadsFlag = threadsOption(args, NAME, io);
  const file = (logitsFile ?? probsFile) as string;
  const isLogits = logitsFile !== undefined;
  const streamable = specs.filter((s) => s.need !== 'matrix').map((s) => s.id);
  const needsMatrix = streamable.length < specs.length || (ci !== null && specs.some((s) => s.need === 'class-bins' || s.need === 'ca-sce'));
  const progress = createProgress(io, 'evaluate', { quiet: args.flags.has('quiet') });

  const size = ((): number => { try { return fs.statSync(file).size; } catch { return 0; } })(); // a missing file is reported by the loader
  const stream = path.extname(file).toLowerCase() === '.npy' && (chunkRows !== null || size > maxMemoryMb * 1024 * 1024);
  if (stream) {
    const header = readNpyFileHeader(file);
    const rows = header.shape[0] as number;
    const fileCols = header.shape.length === 2 ? (header.shape[1] as number) : 1;
    const classes = fileCols === 1 ? 2 : fileCols;
    const labels = loadLabels(labelsFile, classes, { csvHeader: csvHeaderValue(args, NAME) });
    if (labels.length !== rows) checkLabelsMatch({ data: new Float64Array(0), rows, cols: classes }, labels, file, labelsFile);
    if (needsMatrix) {
      const which = specs.filter((s) => s.need === 'matrix' || (ci !== null && (s.need === 'class-bins' || s.need === 'ca-sce'))).map((s) => s.id);
      throw new CalibraError('E_OPTION', `${which.join(', ')} need the whole N×K matrix${ci !== null ? ' (for intervals)' : ''}, but ${file} is streamed`, { source: file, fix: 'drop these ids, or raise --max-memory above the file size and leave out --chunk-rows' });
    }
    const budgetRows = Math.max(1, Math.floor(Math.min(maxMemoryMb * 1024 * 1024 / 16, 16 * 1024 * 1024) / (fileCols * (8 + header.dtype.itemsize))));
    const per = chunkRows ?? budgetRows;
    const acc = new MetricAccumulator(streamable, classes, { edges, keepSamples: ci !== null });
    let chunks = 0;
    for (const { start, matrix } of readNpyChunks(file, per)) {
      const shape = fileCols === 1 ? [matrix.rows] : [matrix.rows, matrix.cols];
      const m = inChunk(start, file, () => (isLogits ? arrayToLogits({ shape, data: matrix.data }, file) : arrayToProbs({ shape, data: matrix.data }, file)));
      if (isLogits) acc.addLogits(m, labels, start);
      else acc.addProbs(m, labels, start);
      chunks++;
      progress.update((start + matrix.rows) / rows, `${start + matrix.rows}/${rows} rows`);
    }
    const res = pointAndIntervals(streamable, acc, null, labels, ci, edges);
    progress.done(`${rows} rows in ${chunks} chunks`);
    return { ids, n: rows, classes, ...res, streamed: chunks };
  }

  // float32 files stay float32 (a zero-copy view of the bytes), in shared memory when threads may read them
  const shared = threadsFlag !== null ? threadsFlag > 1 : size > 4 * PARALLEL_MIN_ELEMENTS;
  const csvHeader = csvHeaderValue(args, NAME);
  const matrix = isLogits ? loadLogits(file, { storage: 'native', shared, csvHeader }) : loadProbs(file, { storage: 'native', shared, csvHeader });
  const labels = loadLabels(labelsFile, matrix.cols, { csvHeader });
  checkLabelsMatch(matrix, labels, file, labelsFile);
  // each thread holds its own per-class bin statistics: when they outweigh the data (few rows, many
  // classes), threads only multiply memory, so the default is one thread then
  const wideStats = MetricAccumulator.statisticsBytes(streamable, matrix.cols) > matrix.data.byteLength;
  const threads = threadsFlag ?? (wideStats ? 1 : defaultThreads(matrix.rows, matrix.cols));
  // the thread pool (worker_threads) is loaded only when more than one thread runs
  const acc = threads > 1
    ? await (await import('../../node-parallel/evaluate.js')).evaluateParallel(isLogits ? 'logits' : 'probs', matrix, labels, streamable, { edges, keepSamples: ci !== null, threads })
    : new MetricAccumulator(streamable, matrix.cols, { edges, keepSamples: ci !== null })[isLogits ? 'addLogits' : 'addProbs'](matrix, labels);
  const probs = needsMatrix ? (isLogits ? softmax(matrix) : matrix) : null;
  const res = pointAndIntervals(ids, acc, probs, labels, ci, edges);
  if (ci !== null) progress.done(`${ci.replicates} bootstrap resamples`);
  return { ids, n: matrix.rows, classes: matrix.cols, ...res, streamed: 0 };
}

const num = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The JSON document: `{"n", "classes", "metrics": {id: value | {value, low, high}}}` (NaN written as null). */
export function formatEvaluateJson(r: Loaded & { ids: readonly string[] }): string {
  const metrics: Record<string, number | null | { value: number | null; low: number | null; high: number | null }> = {};
  for (const id of r.ids) {
    const iv = r.intervals?.[id];
    metrics[id] = iv !== undefined ? { value: num(iv.value), low: num(iv.low), high: num(iv.high) } : num(r.point[id] as number);
  }
  return `${JSON.stringify({ n: r.n, classes: r.classes, metrics }, null, 2)}\n`;
}

const fmt = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(6));

function formatTable(r: Loaded & { ids: readonly string[] }): string {
  const head = r.intervals !== null ? ['metric', 'value', 'low', 'high'] : ['metric', 'value'];
  const rows = r.ids.map((id) => {
    const iv = r.intervals?.[id];
    return iv !== undefined ? [id, fmt(iv.value), fmt(iv.low), fmt(iv.high)] : [id, fmt(r.point[id])];
  });
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((row) => (row[j] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((c, j) => (j === 0 ? c.padEnd(widths[j] as number) : c.padStart(widths[j] as number))).join('  ').trimEnd();
  const acc = r.point['accuracy'];
  const conf = r.point['confidence'];
  const gap = acc !== undefined && conf !== undefined && Number.isFinite(acc) && Number.isFinite(conf) ? `; accuracy ${acc.toFixed(4)}, mean confidence ${conf.toFixed(4)}: ${conf > acc ? 'over' : 'under'}-confident by ${Math.abs(conf - acc).toFixed(4)}` : '';
  const title = `n = ${r.n}, classes = ${r.classes}${gap}${r.intervals !== null ? ' (percentile bootstrap intervals)' : ''}`;
  return [title, line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), ''].join('\n');
}

function formatMarkdown(r: Loaded & { ids: readonly string[] }): string {
  const iv = r.intervals !== null;
  const lines = [iv ? '| metric | value | low | high |' : '| metric | value |', iv ? '|---|---:|---:|---:|' : '|---|---:|'];
  for (const id of r.ids) {
    const x = r.intervals?.[id];
    lines.push(x !== undefined ? `| ${id} | ${fmt(x.value)} | ${fmt(x.low)} | ${fmt(x.high)} |` : `| ${id} | ${fmt(r.point[id])} |`);
  }
  return `${lines.join('\n')}\n`;
}

function formatCsv(r: Loaded & { ids: readonly string[] }): string {
  const cell = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '' : String(v));
  const lines = [r.intervals !== null ? 'metric,value,low,high' : 'metric,value'];
  for (const id of r.ids) {
    const iv = r.intervals?.[id];
    lines.push(iv !== undefined ? `${id},${cell(iv.value)},${cell(iv.low)},${cell(iv.high)}` : `${id},${cell(r.point[id])}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The `evaluate` command. */
export const evaluateCommand: Command = {
  name: NAME,
  usage: USAGE,
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['quiet'], values: ['logits', 'probs', 'labels', 'header', 'preset', 'format', 'edges', 'ci', 'bootstrap', 'seed', 'chunk-rows', 'max-memory', 'threads', 'table', 'db-table', 'label-col', 'confidence-col', 'pred-col', 'probs-col', 'logits-col', 'where'], repeatable: ['metrics', 'by'] }, NAME);
    if (args.positionals.length > 0) throw new CalibraError('E_USAGE', `unexpected argument ${JSON.stringify(args.positionals[0])}`, { where: `calibra ${NAME}`, fix: 'see calibra evaluate --help' });
    const format = choiceValue(args, 'format', NAME, ['table', 'markdown', 'json', 'csv'], 'table');
    if (getValue(args, 'table') !== undefined) {
      // DuckDB and the table code load only here
      const { runTableEvaluate } = await import('../../tables/cli-evaluate.js');
      const text = await runTableEvaluate(args, io, format as 'table' | 'json' | 'csv');
      // slice keys come from the table's data: the human-readable table is made safe for a terminal
      // (json and csv are data formats and stay byte-exact)
      io.stdout(format === 'table' ? text.split('\n').map(termSafe).join('\n') : text);
      return 0;
    }
    const r = await evaluateFiles(args, io);
    io.stdout(format === 'json' ? formatEvaluateJson(r) : format === 'csv' ? formatCsv(r) : format === 'markdown' ? formatMarkdown(r) : formatTable(r));
    return 0;
  },
};
