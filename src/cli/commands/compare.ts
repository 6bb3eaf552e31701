/**
 * `calibra compare`: fits every calibration method (or a list) on a validation set and prints one table of
 * metrics per method on the test set, uncalibrated (`none`) first, as a terminal table, Markdown or JSON.
 * With views files it adds the views-based methods (`ca`) and CA's ablations from the paper: the same
 * calibrator trained with cross-entropy (`ca:loss=ce`), with MSE (`ca:loss=mse`), and without transformed
 * views (`ca:viewsUsed=none`, "CA only"). A progress bar runs on stderr. Exit code 1 when a method failed;
 * with the default method list, methods that refuse the input's size (E_TOO_LARGE) are reported as skipped instead.
 */
import { CalibraError, isCalibraError, termSafe } from '../../errors.js';
import { calibratorSpecs, getCalibrator } from '../../calibrators/registry.js';
import type { CalibrationInput, CalibratorSpec, LabelledInput, RawOptions } from '../../calibrators/types.js';
import { evaluateMetrics, parseMetricIds } from '../../metrics/evaluate.js';
import { presetMetricIds } from '../../metrics/ids.js';
import { getValue, listValue, numberValue, parseArgs, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { calibrationInput, loadInput, type LoadedInput } from './calibration-io.js';

const NAME = 'compare';

const USAGE = `usage: calibra compare --val-logits F --val-labels F --test-logits F --test-labels F [options]

Fits every calibration method on the validation set and prints the test-set metrics of each, uncalibrated first.

options:
  --val-logits F / --val-probs F     validation logits (or probabilities, kept exact)
  --val-labels F                     validation labels (integers or one-hot)
  --test-logits F / --test-probs F   test logits (or probabilities)
  --test-labels F                    test labels
  --val-views F --test-views F       views files (.npz); add ca and its ablations (ca:loss=ce, ca:loss=mse,
                                     ca:viewsUsed=none). Their labels are used when --*-labels are absent.
  --methods LIST                     comma-separated entries ID or ID:k=v;k=v (default: every method that the
                                     inputs allow). Example: none,ts,isotonic,histogram:bins=15;scheme=equal-mass
  --metrics IDS                      metric ids (see calibra evaluate --help); default: --preset default
  --preset NAME                      default | ca-paper | sweep
  --format FMT                       table (default) | markdown | json
  --seed S                           seed for every method (default 0)
  --quiet                            no progress on stderr

example:
  calibra compare --val-logits val-logits.npy --val-labels val-labels.npy \\
    --test-logits test-logits.npy --test-labels test-labels.npy --methods none,ts,ets,isotonic --metrics ece,nll,accuracy
`;

/** One row of the comparison: a method with options. */
export interface CompareEntry {
  readonly label: string;
  readonly spec: CalibratorSpec;
  readonly options: RawOptions;
}

/** One row of the result. */
export interface CompareRow {
  readonly method: string;
  readonly fitSeconds: number;
  readonly predictSeconds: number;
  readonly warnings: readonly string[];
  readonly metrics: Record<string, number> | null;
  readonly error: string | null;
}

/** CA's ablations from the paper (issue 4 §6), added when views files are given. */
const CA_ABLATIONS: readonly string[] = ['ca', 'ca:loss=ce', 'ca:loss=mse', 'ca:viewsUsed=none'];

/** Parses `ID` or `ID:k=v;k=v` into an entry. Throws E_OPTION for an unknown id, E_USAGE for a bad pair. */
export function parseEntry(text: string): CompareEntry {
  const colon = text.indexOf(':');
  const id = colon < 0 ? text : text.slice(0, colon);
  const spec = getCalibrator(id);
  const options: Record<string, string | number | boolean> = {};
  if (colon >= 0) {
    for (const pair of text.slice(colon + 1).split(';').filter((p) => p.length > 0)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new CalibraError('E_USAGE', `method entry ${JSON.stringify(text)}: ${JSON.stringify(pair)} is not k=v`, { where: `calibra ${NAME} --methods`, fix: 'write ID:k=v;k=v, e.g. histogram:bins=15;scheme=equal-mass' });
      const v = pair.slice(eq + 1);
      options[pair.slice(0, eq)] = v === 'true' ? true : v === 'false' ? false : v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    }
  }
  return { label: text, spec, options };
}

/** The default list: `none` first, then every non-views method, then (with views) CA and its ablations. */
export function defaultEntries(withViews: boolean): CompareEntry[] {
  const ids = calibratorSpecs.filter((s) => s.input !== 'views').map((s) => s.id);
  const list = ['none', ...ids.filter((id) => id !== 'none')];
  if (withViews) {
    const viewIds = calibratorSpecs.filter((s) => s.input === 'views').map((s) => s.id);
    for (const v of viewIds) list.push(...(v === 'ca' ? CA_ABLATIONS : [v]));
  }
  return list.map(parseEntry);
}

function loadSide(args: ParsedArgs, side: 'val' | 'test'): { plain: LoadedInput; views: LoadedInput | null } {
  const prefix = `${side}-`;
  const hasPlain = getValue(args, `${prefix}logits`) !== undefined || getValue(args, `${prefix}probs`) !== undefined;
  const viewsFile = getValue(args, `${prefix}views`);
  if (!hasPlain && viewsFile === undefined) {
    throw new CalibraError('E_USAGE', `missing --${prefix}logits (or --${prefix}probs, or --${prefix}views)`, { where: `calibra ${NAME}`, fix: `add --${prefix}logits FILE` });
  }
  const views = viewsFile !== undefined ? loadInput(stripped(args, prefix, 'views'), NAME, { prefix, labels: 'optional' }) : null;
  const plain = hasPlain ? loadInput(stripped(args, prefix, 'plain'), NAME, { prefix, labels: views !== null ? 'optional' : 'required' }) : (views as LoadedInput);
  const labels = plain.labels ?? views?.labels;
  if (labels === undefined) throw new CalibraError('E_USAGE', `missing --${prefix}labels`, { where: `calibra ${NAME}`, fix: `add --${prefix}labels FILE` });
  if (views !== null && (views.logits.rows !== plain.logits.rows || views.logits.cols !== plain.logits.cols)) {
    throw new CalibraError('E_SHAPE', `the ${side} views file has ${views.logits.rows}×${views.logits.cols} logits but the ${side} logits are ${plain.logits.rows}×${plain.logits.cols}`, { source: views.source, fix: 'give the views of the same samples' });
  }
  return { plain: { ...plain, labels }, views: views === null ? null : { ...views, labels } };
}

/** A copy of the parsed args with only the plain inputs (or only the views file) of one side. */
function stripped(args: ParsedArgs, prefix: string, which: 'plain' | 'views'): ParsedArgs {
  const values = new Map(args.values);
  if (which === 'plain') values.delete(`${prefix}views`);
  else { values.delete(`${prefix}logits`); values.delete(`${prefix}probs`); }
  return { ...args, values };
}

/**
 * Runs the comparison: fits each entry on `val`, predicts `test`, evaluates `ids`. A method that throws a
 * CalibraError gets an `error` row; other errors propagate. Cost: the sum of the methods' fits and predicts
 * plus one metric pass per method.
 */
export function runComparison(entries: readonly CompareEntry[], val: { plain: LoadedInput; views: LoadedInput | null }, test: { plain: LoadedInput; views: LoadedInput | null }, ids: readonly string[], seed: number, onProgress: (fraction: number, message: string) => void): CompareRow[] {
  const rows: CompareRow[] = [];
  const testLabels = test.plain.labels as Int32Array;
  const { rows: n, cols: k } = test.plain.logits;
  const out = new Float64Array(n * k);
  entries.forEach((e, i) => {
    const usesViews = e.spec.input === 'views';
    const v = usesViews ? val.views : val.plain;
    const t = usesViews ? test.views : test.plain;
    if (v === null || t === null) {
      rows.push({ method: e.label, fitSeconds: 0, predictSeconds: 0, warnings: [], metrics: null, error: 'needs --val-views and --test-views' });
      return;
    }
    onProgress(i / entries.length, e.label);
    try {
      const t0 = performance.now();
      const data: LabelledInput = { ...calibrationInput(v), labels: v.labels as Int32Array };
      const fit = e.spec.fit(data, e.options, { seed, onProgress: (f) => onProgress((i + Math.min(1, Math.max(0, f)) * 0.9) / entries.length, e.label) });
      const t1 = performance.now();
      const input: CalibrationInput = calibrationInput(t);
      const probs = fit.model.predictProba(input, out);
      const t2 = performance.now();
      rows.push({ method: e.label, fitSeconds: (t1 - t0) / 1000, predictSeconds: (t2 - t1) / 1000, warnings: fit.warnings, metrics: evaluateMetrics(probs, testLabels, ids), error: null });
    } catch (err) {
      if (!isCalibraError(err)) throw err;
      rows.push({ method: e.label, fitSeconds: 0, predictSeconds: 0, warnings: [], metrics: null, error: `${err.code}: ${err.message}` });
    }
  });
  onProgress(1, 'done');
  return rows;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4);
}

/** The rows as an aligned text table (`table`) or a Markdown pipe table (`markdown`). */
export function formatComparison(rows: readonly CompareRow[], ids: readonly string[], format: 'table' | 'markdown'): string {
  const header = ['method', 'fit_s', ...ids];
  const body = rows.map((r) => [r.method, r.metrics === null ? '-' : r.fitSeconds.toFixed(2), ...ids.map((id) => (r.metrics === null ? (id === ids[0] ? ((r.error ?? '').startsWith('skipped') ? (r.error ?? '') : `failed: ${r.error ?? ''}`) : '') : fmt(r.metrics[id] as number)))]);
  if (format === 'markdown') {
    const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...body.map(line)].join('\n') + '\n';
  }
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((b) => (b[c] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c] as number) : x.padStart(widths[c] as number))).join('  ').trimEnd();
  return [line(header), ...body.map(line)].join('\n') + '\n';
}

/** The `compare` command. */
export const compareCommand: Command = {
  name: NAME,
  usage: USAGE,
  run(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, {
      flags: ['quiet'],
      values: ['header', 'val-logits', 'val-probs', 'val-labels', 'val-views', 'test-logits', 'test-probs', 'test-labels', 'test-views', 'preset', 'format', 'seed'],
      repeatable: ['methods', 'metrics'],
    }, NAME);
    const format = getValue(args, 'format') ?? 'table';
    if (format !== 'table' && format !== 'markdown' && format !== 'json') throw new CalibraError('E_USAGE', `unknown --format ${JSON.stringify(format)}`, { where: `calibra ${NAME}`, fix: 'use table, markdown or json' });
    const seed = numberValue(args, 'seed', NAME, 0, { min: 0, max: 4294967295, integer: true });
    const listed = listValue(args, 'metrics') ?? [];
    const preset = getValue(args, 'preset');
    const ids = [...new Set([...(preset !== undefined || listed.length === 0 ? presetMetricIds(preset ?? 'default') : []), ...listed])];
    const methods = listValue(args, 'methods');
    const val = loadSide(args, 'val');
    const test = loadSide(args, 'test');
    if (val.plain.logits.cols !== test.plain.logits.cols) {
      throw new CalibraError('E_SHAPE', `validation has ${val.plain.logits.cols} classes, test has ${test.plain.logits.cols}`, { source: test.plain.source, fix: 'give outputs of the same classifier' });
    }
    const entries = methods !== undefined ? methods.map(parseEntry) : defaultEntries(val.views !== null && test.views !== null);
    parseMetricIds(ids); // unknown ids fail before the long run
    const progress = createProgress(io, 'compare', { quiet: args.flags.has('quiet') });
    // With the default method list, a method that refuses the input's size (E_TOO_LARGE: ms / dirichlet at
    // K > maxClasses, O(N·K²) per iteration) is skipped, not a failure; asked for by name, it fails.
    const rows = runComparison(entries, val, test, ids, seed, (f, m) => progress.update(f, m))
      .map((r) => (methods === undefined && (r.error ?? '').startsWith('E_TOO_LARGE') ? { ...r, error: `skipped: ${r.error ?? ''}` } : r));
    progress.done();
    if (format === 'json') {
      io.stdout(JSON.stringify({ validation: { rows: val.plain.logits.rows, source: val.plain.source }, test: { rows: test.plain.logits.rows, source: test.plain.source }, classes: test.plain.logits.cols, seed, metrics: ids, methods: rows }, null, 2) + '\n');
    } else {
      io.stdout(formatComparison(rows, ids, format));
    }
    const skipped = (r: CompareRow): boolean => (r.error ?? '').startsWith('skipped');
    for (const r of rows) if (skipped(r)) io.stderr(`calibra compare: ${r.method} ${termSafe(r.error ?? '')}\n`);
    const failed = rows.filter((r) => r.error !== null && !skipped(r));
    for (const r of failed) io.stderr(`calibra compare: ${r.method} failed: ${termSafe(r.error ?? '')}\n`);
    return Promise.resolve(failed.length > 0 ? 1 : 0);
  },
};
