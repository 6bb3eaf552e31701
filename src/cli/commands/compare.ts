/**
 * `calibra compare`: fits every calibration method (or a list) on a validation set and prints one table of
 * metrics per method on the test set, uncalibrated (`none`) first, as a terminal table, Markdown or JSON.
 * With views files it adds the views-based methods (`ca`) and CA's ablations from the paper: the same
 * calibrator trained with cross-entropy (`ca:loss=ce`), with MSE (`ca:loss=mse`), and without transformed
 * views (`ca:viewsUsed=none`, "CA only"). A progress bar runs on stderr. Exit code 1 when a method failed;
 * with the default method list, methods that refuse the input's size (E_TOO_LARGE) are reported as skipped instead.
 */
import { CalibraError, isCalibraError, termSafe } from '../../errors.js';
import { calibratorSpecs } from '../../calibrators/core/registry.js';
import type { CalibratorSpec, RawOptions } from '../../calibrators/core/types.js';
import { evaluateMetrics, parseMetricIds } from '../../metrics/evaluate.js';
import { parseMetricId, presetMetricIds } from '../../metrics/ids.js';
import { getValue, listValue, numberValue, parseArgs, type ParsedArgs, metricListValue, choiceValue } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { parseEntry as parseMethodEntry } from '../method-entry.js';
import { MIN_SAMPLES_PER_PARAMETER, oversizeReason } from '../method-size.js';
import { computeVerdict, recommendationJson, verdictSample, type Recommendation, type VerdictMethod } from '../../report/verdict.js';
import type { PairedSample } from '../../metrics/paired-bootstrap.js';
import { loadInput, type LoadedInput } from './calibration-io.js';
import { planPredict, rowsWhere, sameData, sameDataWarning, stratifiedFolds, stratifiedHoldout, takeInputRows, type FitPlan } from '../split.js';

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
  --split F                          no test files: hold out a stratified fraction F of the validation file
                                     as the test set (seeded by --seed), e.g. --split 0.3
  --cv K                             no test files: K-fold stratified cross-fitting of the validation file
                                     (every sample scored by a calibrator fitted on the other folds)
  A warning is printed when the test set is the validation set (same file or same data).
  --methods LIST                     comma-separated entries ID or ID:k=v;k=v (default: every method that the
                                     inputs allow). Example: none,ts,isotonic,histogram:bins=15;scheme=equal-mass
  --metrics IDS                      metric ids (see calibra evaluate --help); default: --preset default
  --preset NAME                      default | ca-paper | sweep
  --format FMT                       table (default) | markdown | json | csv
  --seed S                           seed for every method and the bootstrap (default 0)
  --quiet                            no progress on stderr

verdict (printed after the table; in JSON the top-level "recommendation"):
  --primary ID                       the metric that picks the method (default nll; e.g. ece, brier, ece@25)
  --ci LEVEL --bootstrap R           paired-bootstrap interval level and resamples (default 0.95, 1000)
  --allow-accuracy-drop              let the verdict pick a method whose test accuracy is below uncalibrated
  The best method by the primary metric is recommended only when its interval against temperature scaling
  excludes 0; otherwise the verdict is "use temperature scaling". The default method list skips methods that
  fit more than one parameter per ${MIN_SAMPLES_PER_PARAMETER} validation samples (ms, dirichlet at large K); name them in --methods to run them.

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
  /** Whether the fit converged (null when it did not run). An unconverged fit is marked in the table. */
  readonly converged: boolean | null;
  readonly metrics: Record<string, number> | null;
  readonly error: string | null;
  /** What the verdict resamples (kept only when the comparison was asked for a verdict metric). */
  readonly sample?: PairedSample;
  readonly keepsArgmax: boolean;
  readonly methodId: string;
}

/** CA's ablations from the paper (issue 4 §6), added when views files are given. */
const CA_ABLATIONS: readonly string[] = ['ca', 'ca:loss=ce', 'ca:loss=mse', 'ca:viewsUsed=none'];

/** Parses `ID` or `ID:k=v;k=v` into an entry (src/cli/method-entry.ts). */
export function parseEntry(text: string): CompareEntry {
  return parseMethodEntry(text, `calibra ${NAME} --methods`);
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

/** The plain and the views plan of a comparison (views: null when no views files are given). */
export interface ComparePlans {
  readonly plain: FitPlan;
  readonly views: FitPlan | null;
}

/**
 * Runs the comparison: fits each entry under the plan (fit on validation, predict test; or k-fold cross-fitting
 * of one labelled set), evaluates `ids` on the predictions. A method that throws a CalibraError gets an `error`
 * row; other errors propagate. Cost: the sum of the methods' fits and predicts plus one metric pass per method.
 */
export function runComparison(entries: readonly CompareEntry[], plans: ComparePlans, ids: readonly string[], seed: number, onProgress: (fraction: number, message: string) => void, verdictMetric?: string): CompareRow[] {
  const rows: CompareRow[] = [];
  entries.forEach((e, i) => {
    const plan = e.spec.input === 'views' ? plans.views : plans.plain;
    if (plan === null) {
      rows.push({ method: e.label, methodId: e.spec.id, keepsArgmax: e.spec.preservesArgmax, fitSeconds: 0, predictSeconds: 0, warnings: [], converged: null, metrics: null, error: 'needs --val-views and --test-views' });
      return;
    }
    onProgress(i / entries.length, e.label);
    try {
      const p = planPredict(e.spec, e.options, plan, seed, (f) => onProgress((i + Math.min(1, Math.max(0, f)) * 0.9) / entries.length, e.label));
      const all = verdictMetric === undefined ? ids : [...new Set([...ids, verdictMetric, 'accuracy'])];
      rows.push({
        method: e.label, methodId: e.spec.id, keepsArgmax: p.preservesArgmax, fitSeconds: p.fitSeconds, predictSeconds: p.predictSeconds, warnings: p.warnings, converged: p.converged,
        metrics: evaluateMetrics(p.probs, p.labels, all), error: null,
        ...(verdictMetric !== undefined ? { sample: verdictSample(p.probs, p.labels, verdictMetric) } : {}),
      });
    } catch (err) {
      if (!isCalibraError(err)) throw err;
      rows.push({ method: e.label, methodId: e.spec.id, keepsArgmax: e.spec.preservesArgmax, fitSeconds: 0, predictSeconds: 0, warnings: [], converged: null, metrics: null, error: `${err.code}: ${err.message}` });
    }
  });
  onProgress(1, 'done');
  return rows;
}

/**
 * The plans from the loaded sides: a test set given (warn when it is the validation set), or `--split F` /
 * `--cv K` on the validation set alone. Returns the plans and a line describing the scoring for the output.
 */
export function comparePlans(val: { plain: LoadedInput; views: LoadedInput | null }, test: { plain: LoadedInput; views: LoadedInput | null } | null, split: number | undefined, cv: number | undefined, seed: number, command: string, io: CliIo): { plans: ComparePlans; scoring: string; testRows: number } {
  const labels = val.plain.labels as Int32Array;
  if (test !== null) {
    if (split !== undefined || cv !== undefined) throw new CalibraError('E_USAGE', `give a test set or --${split !== undefined ? 'split' : 'cv'}, not both`, { where: `calibra ${command}`, fix: 'drop the test files to split the validation file, or drop the split option' });
    if (sameData(val.plain, test.plain)) io.stderr(sameDataWarning(command));
    return {
      plans: { plain: { kind: 'holdout', fit: val.plain, test: test.plain }, views: val.views !== null && test.views !== null ? { kind: 'holdout', fit: val.views, test: test.views } : null },
      scoring: `fitted on ${val.plain.source} (${val.plain.logits.rows}), tested on ${test.plain.source} (${test.plain.logits.rows})`, testRows: test.plain.logits.rows,
    };
  }
  if (split !== undefined) {
    const held = stratifiedHoldout(labels, split, seed);
    const fitRows = rowsWhere(labels.length, (i) => held[i] === 0);
    const testRows = rowsWhere(labels.length, (i) => held[i] === 1);
    const side = (x: LoadedInput): FitPlan => ({ kind: 'holdout', fit: takeInputRows(x, fitRows, 'fit part'), test: takeInputRows(x, testRows, 'held-out part') });
    return { plans: { plain: side(val.plain), views: val.views !== null ? side(val.views) : null }, scoring: `stratified split of ${val.plain.source} (seed ${seed}): fitted on ${fitRows.length}, tested on the ${testRows.length} held out (--split ${split})`, testRows: testRows.length };
  }
  if (cv !== undefined) {
    const folds = stratifiedFolds(labels, cv, seed);
    return {
      plans: { plain: { kind: 'cv', data: val.plain, folds, k: cv }, views: val.views !== null ? { kind: 'cv', data: val.views, folds, k: cv } : null },
      scoring: `${cv}-fold stratified cross-fitting on ${val.plain.source} (seed ${seed}): every sample scored by a calibrator fitted on the other ${cv - 1} folds`, testRows: labels.length,
    };
  }
  throw new CalibraError('E_USAGE', 'missing --test-logits (or --test-probs, or --test-views)', { where: `calibra ${command}`, fix: 'add --test-logits FILE --test-labels FILE, or test on held-out parts of the validation file with --split 0.3 or --cv 5' });
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1000 ? v.toFixed(1) : v.toFixed(4);
}

/** The rows as an aligned text table (`table`) or a Markdown pipe table (`markdown`). */
export function formatComparison(rows: readonly CompareRow[], ids: readonly string[], format: 'table' | 'markdown'): string {
  const header = ['method', 'fit_s', ...ids];
  const body = rows.map((r) => [r.converged === false ? `${r.method} (not converged)` : r.method, r.metrics === null ? '-' : r.fitSeconds.toFixed(2), ...ids.map((id) => (r.metrics === null ? (id === ids[0] ? ((r.error ?? '').startsWith('skipped') ? (r.error ?? '') : `failed: ${r.error ?? ''}`) : '') : fmt(r.metrics[id] as number)))]);
  if (format === 'markdown') {
    const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
    return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...body.map(line)].join('\n') + '\n';
  }
  // a skipped or failed row's reason runs past the columns instead of widening the first metric column
  const scored = body.filter((_, i) => rows[i]?.metrics !== null);
  const widths = header.map((h, c) => Math.max(h.length, ...scored.map((b) => (b[c] as string).length)));
  const line = (cells: readonly string[]): string => cells.map((x, c) => (c === 0 ? x.padEnd(widths[c] as number) : c === 2 && cells.length > 2 && x.length > (widths[c] as number) ? x : x.padStart(widths[c] as number))).join('  ').trimEnd();
  const reasonLine = (cells: readonly string[]): string => `${(cells[0] as string).padEnd(widths[0] as number)}  ${(cells[1] as string).padStart(widths[1] as number)}  ${cells[2] ?? ''}`.trimEnd();
  return [line(header), ...body.map((b, i) => (rows[i]?.metrics === null ? reasonLine(b) : line(b)))].join('\n') + '\n';
}

/** The verdict over the rows that were scored (failed and skipped rows are left out). */
export function compareVerdict(rows: readonly CompareRow[], opts: { metric: string; level: number; replicates: number; seed: number; allowAccuracyDrop: boolean; testSet?: string }): Recommendation {
  const methods: VerdictMethod[] = [];
  for (const r of rows) {
    if (r.metrics === null || r.sample === undefined) continue;
    methods.push({ label: r.method, method: r.methodId, keepsArgmax: r.keepsArgmax, sample: r.sample, value: r.metrics[opts.metric] as number, accuracy: r.metrics['accuracy'] as number });
  }
  return computeVerdict(methods, opts);
}

/** The `compare` command. */
export const compareCommand: Command = {
  name: NAME,
  usage: USAGE,
  run(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, {
      flags: ['quiet', 'allow-accuracy-drop'],
      values: ['header', 'val-logits', 'val-probs', 'val-labels', 'val-views', 'test-logits', 'test-probs', 'test-labels', 'test-views', 'preset', 'format', 'seed', 'primary', 'ci', 'bootstrap', 'split', 'cv'],
      repeatable: ['methods', 'metrics'],
    }, NAME);
    const format = choiceValue(args, 'format', NAME, ['table', 'markdown', 'json', 'csv'], 'table');
    const seed = numberValue(args, 'seed', NAME, 0, { min: 0, max: 4294967295, integer: true });
    const level = numberValue(args, 'ci', NAME, 0.95, { min: 0.5, max: 0.999 });
    const replicates = numberValue(args, 'bootstrap', NAME, 1000, { min: 100, max: 100000, integer: true });
    const primary = parseMetricId(getValue(args, 'primary') ?? 'nll').id;
    const listed = metricListValue(args) ?? [];
    const preset = getValue(args, 'preset');
    const ids = [...new Set([...(preset !== undefined || listed.length === 0 ? presetMetricIds(preset ?? 'default') : []), ...listed])];
    const methods = listValue(args, 'methods');
    const val = loadSide(args, 'val');
    const hasTest = ['test-logits', 'test-probs', 'test-views', 'test-labels'].some((key) => getValue(args, key) !== undefined);
    const test = hasTest ? loadSide(args, 'test') : null;
    const split = getValue(args, 'split') === undefined ? undefined : numberValue(args, 'split', NAME, 0.3, { min: 0.01, max: 0.99 });
    const cv = getValue(args, 'cv') === undefined ? undefined : numberValue(args, 'cv', NAME, 5, { min: 2, max: 100, integer: true });
    if (split !== undefined && cv !== undefined) throw new CalibraError('E_USAGE', 'give --split or --cv, not both', { where: `calibra ${NAME}`, fix: 'drop one' });
    if (test !== null && val.plain.logits.cols !== test.plain.logits.cols) {
      throw new CalibraError('E_SHAPE', `validation has ${val.plain.logits.cols} classes, test has ${test.plain.logits.cols}`, { source: test.plain.source, fix: 'give outputs of the same classifier' });
    }
    const classes = val.plain.logits.cols;
    const { plans, scoring, testRows } = comparePlans(val, test, split, cv, seed, NAME, io);
    const all = methods !== undefined ? methods.map(parseEntry) : defaultEntries(plans.views !== null);
    parseMetricIds(ids); // unknown ids fail before the long run
    // The default list leaves out methods with too many parameters for the validation set (named, in the
    // table and on stderr); asked for by name in --methods they run.
    const oversized = new Map<string, string>();
    if (methods === undefined) {
      for (const e of all) {
        const why = oversizeReason(e.spec.id, classes, val.plain.logits.rows, e.options);
        if (why !== null) oversized.set(e.label, why);
      }
    }
    const entries = all.filter((e) => !oversized.has(e.label));
    const progress = createProgress(io, 'compare', { quiet: args.flags.has('quiet') });
    // With the default method list, a method that refuses the input's size (E_TOO_LARGE: ms / dirichlet at
    // K > maxClasses, O(N·K²) per iteration) is skipped, not a failure; asked for by name, it fails.
    const scored = runComparison(entries, plans, ids, seed, (f, m) => progress.update(f, m), primary)
      .map((r) => (methods === undefined && (r.error ?? '').startsWith('E_TOO_LARGE') ? { ...r, error: `skipped: ${r.error ?? ''}` } : r));
    const rows: CompareRow[] = all.map((e) => {
      const why = oversized.get(e.label);
      if (why !== undefined) return { method: e.label, methodId: e.spec.id, keepsArgmax: e.spec.preservesArgmax, fitSeconds: 0, predictSeconds: 0, warnings: [], converged: null, metrics: null, error: `skipped: ${why}` };
      return scored.find((r) => r.method === e.label) as CompareRow;
    });
    progress.update(0.99, 'verdict');
    const verdict = compareVerdict(rows, { metric: primary, level, replicates, seed, allowAccuracyDrop: args.flags.has('allow-accuracy-drop'), testSet: cv !== undefined ? 'the out-of-fold predictions' : split !== undefined ? 'the held-out part' : 'test' });
    progress.done();
    if (format === 'json') {
      const methodsJson = rows.map(({ sample: _sample, ...r }) => r);
      io.stdout(JSON.stringify({ recommendation: recommendationJson(verdict), validation: { rows: val.plain.logits.rows, source: val.plain.source }, test: { rows: testRows, source: test?.plain.source ?? val.plain.source }, scoring, ...(split !== undefined ? { split } : {}), ...(cv !== undefined ? { cv } : {}), classes, seed, metrics: ids, methods: methodsJson }, null, 2) + '\n');
    } else if (format === 'csv') {
      // one row per method; the verdict's method in a last column
      io.stdout([['method', 'fit_s', ...ids, 'recommended'].join(','), ...rows.map((r) => [JSON.stringify(r.method), r.metrics === null ? '' : String(r.fitSeconds), ...ids.map((id) => (r.metrics === null ? '' : String(r.metrics[id]))), r.method === verdict.method ? '1' : '0'].join(','))].join('\n') + '\n');
    } else {
      io.stdout(formatComparison(rows, ids, format));
      const text = `scored: ${scoring}\n${verdict.text}`;
      io.stdout(`\n${format === 'markdown' ? text.split('\n').map((l) => `> ${l}`).join('\n') : text}\n`);
    }
    const skipped = (r: CompareRow): boolean => (r.error ?? '').startsWith('skipped');
    for (const r of rows) if (skipped(r)) io.stderr(`calibra compare: ${r.method} ${termSafe(r.error ?? '')}${oversized.has(r.method) ? ' (name it in --methods to run it)' : ''}\n`);
    const failed = rows.filter((r) => r.error !== null && !skipped(r));
    for (const r of failed) io.stderr(`calibra compare: ${r.method} failed: ${termSafe(r.error ?? '')}\n`);
    for (const r of rows) if (r.converged === false) io.stderr(`calibra compare: ${r.method} did not converge: ${termSafe(r.warnings.join('; ') || 'no detail')}\n`);
    return Promise.resolve(failed.length > 0 ? 1 : 0);
  },
};
