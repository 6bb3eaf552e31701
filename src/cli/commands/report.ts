/**
 * `calibra report`: fits calibration methods on a validation set, evaluates them on one or more test sets,
 * and writes one self-contained HTML report (summary table, diagrams, metric definitions); optionally PNGs
 * of the reliability diagrams.
 */
import { CalibraError, termSafe } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { calibrationInput, probabilityInput } from './calibration-io.js';
import { calibratorSpecs } from '../../calibrators/core/registry.js';
import type { CalibrationInput, CalibratorSpec, FittedCalibrator, LabelledInput, RawOptions, ViewLogits } from '../../calibrators/core/types.js';
import { checkLabelsMatch, loadLabels, loadLogits, loadProbs, loadViewsFile } from '../../data/files.js';
import { parseMetricId, presetMetricIds } from '../../metrics/ids.js';
import { renderReport } from '../../report/html.js';
import { recommendationJson } from '../../report/verdict.js';
import type { ReportInput, ReportMethod, ReportTestSet } from '../../report/types.js';
import { checkPngTargets, writeReportFiles } from '../../report/node/files.js';
import { reportChartNames } from '../../report/html.js';
import { checkOutputs, givenPaths } from '../../data/outputs.js';
import { csvHeaderValue, getValue, keyValueOptions, listValue, numberValue, parseArgs, requireValue, metricListValue, choiceValue } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { oversizeReason } from '../method-size.js';
import { parseEntry, type MethodEntry } from '../method-entry.js';
import { planPredict, rowsWhere, sameData, sameDataWarning, stratifiedFolds, stratifiedHoldout, takeInputRows, type RowsInput } from '../split.js';

const NAME = 'report';

const USAGE = `usage: calibra report --val-logits F --val-labels F --test-logits F --test-labels F --out report.html [options]

Fits each method on the validation set, evaluates it on every test set, and writes one self-contained HTML
file (no network): a summary table (methods x test sets, best per column marked), reliability diagrams
(binned, smooth with a bootstrap band), confidence histograms, per-class grids, per-sample temperatures for
CA, an ECE-vs-bins curve, and the exact metric definitions.

Inputs (.npy, .npz, .csv or .json; logits N x K, labels N integers or one-hot):
  --val-logits F --val-labels F     validation set the methods are fitted on
  --val-views F                     instead: a views file (original logits, views, labels), needed by 'ca'
  --test-logits F --test-labels F   the test set named "test"
  --test-views F                    instead: a views file for "test"
  --test-set NAME=LOGITS,LABELS     another test set (repeatable); NAME=VIEWS.npz for a views file
  --probs                           the logits files hold probabilities (kept exact; ln p for logit-space methods)
  --split F                         no --test-logits: hold out a stratified fraction F of the validation file
                                    as the first test set, "held-out" (seeded by --seed)
  --cv K                            no test files: K-fold stratified cross-fitting of the validation file;
                                    the report's one test set is the out-of-fold predictions
  A warning is printed for a test set that is the validation set.

Methods and metrics:
  --methods a,b,...                 methods to fit (default: every registered method the inputs allow;
                                    'none', the uncalibrated softmax, is always the first row)
  --option METHOD.KEY=VALUE         a method option, e.g. --option ca.epochs=200 (repeatable)
  --metrics ids | --preset NAME     table metrics (default: accuracy, ece, ece_em, mce, cw_ece, smece,
                                    brier, nll, auroc); presets: default, ca-paper, sweep
  --primary ID                      metric of the verdict, the ranking chart and the summary table
                                    (default nll; e.g. ece, brier, ece@25)
  --ci LEVEL --ci-bootstrap R       level and resamples of the verdict's paired intervals, the ranking bars
                                    and the headline ECE interval (default 0.95, 1000)
  --allow-accuracy-drop             let the verdict pick a method whose test accuracy is below uncalibrated
  --bins B --scheme S               bins of the diagrams (default 15, equal-width | equal-mass)
  --bootstrap R                     bootstrap resamples of the smooth band (default 100, 0 = none)
  --seed S                          seed of fitting and bootstrap (default 0)

The report opens with the verdict (as calibra compare: the best method by --primary on the first test set,
recommended only when its paired interval against temperature scaling excludes 0), the uncalibrated and
recommended reliability diagrams side by side, and a ranking chart per test set; the detailed tables follow,
collapsible. The default method list skips methods with fewer than 10 validation samples per parameter.

Tables (a report of a table's own predictions per slice, computed inside the embedded DuckDB; see docs/tables.md):
  calibra report --table FILE_OR_GLOB --label-col NAME
      (--confidence-col NAME --pred-col NAME | --probs-col NAME | --logits-col NAME)
      --by COL[,COL] [--where SQL] [--metrics ...] --out report.html
                                    one reliability diagram per slice (the whole table's, then the worst
                                    slices) and a table of every slice's metrics, worst first
  --primary ID                      metric the slices are ranked by, worst first (default ece)
  --max-slices N                    draw the diagrams of at most the N worst slices (default 12; the
                                    table lists every slice)
  --bins B                          equal-width bins of the diagrams (default 15)
  --edges R --db-table T --threads N --max-memory MB   as for calibra evaluate --table

Output:
  --out report.html                 the report (refuses to overwrite without --force)
  --png-dir D                       also write every reliability diagram as PNG into D
  --title T                         heading (default "calibra report")
  --format FMT                      what is printed: table (default; summary and verdict) | json (the
                                    recommendation, every metric per test set and method, files written;
                                    with --table: evaluate --table's JSON, worstFirst slice indices, files)
  --force                           overwrite existing files

Example:
  calibra report --val-logits val_logits.npy --val-labels val_labels.npy \\
    --test-logits test_logits.npy --test-labels test_labels.npy --methods ts,isotonic --out report.html
  calibra report --table examples/tables/predictions.parquet --label-col label \\
    --confidence-col confidence --pred-col pred --by model_version,region --out slices.html
`;

interface LoadedSet {
  readonly name: string;
  readonly logits: Matrix;
  /** The user's probabilities (--probs), kept bit for bit for probability-space methods. */
  readonly probs?: Matrix;
  readonly labels: Int32Array;
  readonly views?: ViewLogits;
}

/** How the logits files are read: probabilities or logits, and the CSV header mode. */
interface ReadHow { readonly probs: boolean; readonly csvHeader: 'yes' | 'no' | 'auto' }

function loadPair(name: string, logitsFile: string, labelsFile: string, how: ReadHow): LoadedSet {
  const { probs, csvHeader } = how;
  const given = probs ? probabilityInput(loadProbs(logitsFile, { csvHeader })) : { logits: loadLogits(logitsFile, { csvHeader }) };
  const labels = loadLabels(labelsFile, given.logits.cols, { csvHeader });
  checkLabelsMatch(given.logits, labels, logitsFile, labelsFile);
  return { name, ...given, labels };
}

function loadViews(name: string, file: string): LoadedSet {
  const v = loadViewsFile(file);
  return { name, logits: v.original, labels: v.labels, views: v.views };
}

function loadSet(args: ReturnType<typeof parseArgs>, prefix: 'val' | 'test', how: ReadHow): LoadedSet | undefined {
  const views = getValue(args, `${prefix}-views`);
  const logits = getValue(args, `${prefix}-logits`);
  const labels = getValue(args, `${prefix}-labels`);
  const name = prefix === 'val' ? 'validation' : 'test';
  if (views !== undefined) {
    if (logits !== undefined || labels !== undefined) throw new CalibraError('E_USAGE', `give either --${prefix}-views or --${prefix}-logits/--${prefix}-labels, not both`, { where: `calibra ${NAME}`, fix: `drop one of them` });
    return loadViews(name, views);
  }
  if (logits === undefined && labels === undefined) return undefined;
  if (logits === undefined || labels === undefined) throw new CalibraError('E_USAGE', `--${prefix}-logits and --${prefix}-labels go together`, { where: `calibra ${NAME}`, fix: `give both files` });
  return loadPair(name, logits, labels, how);
}

function parseTestSetArg(spec: string, how: ReadHow): LoadedSet {
  const eq = spec.indexOf('=');
  const name = eq > 0 ? spec.slice(0, eq) : '';
  const files = eq > 0 ? spec.slice(eq + 1).split(',').map((s) => s.trim()).filter((s) => s.length > 0) : [];
  if (name === '' || files.length < 1 || files.length > 2) {
    throw new CalibraError('E_USAGE', `--test-set ${JSON.stringify(spec)} is not NAME=LOGITS,LABELS or NAME=VIEWS`, { where: `calibra ${NAME}`, fix: 'write e.g. --test-set noisy=noisy_logits.npy,noisy_labels.npy' });
  }
  return files.length === 1 ? loadViews(name, files[0] as string) : loadPair(name, files[0] as string, files[1] as string, how);
}

/** `--option ca.epochs=200` → { ca: { epochs: 200 } }. */
function methodOptions(args: ReturnType<typeof parseArgs>): Map<string, Record<string, string | number | boolean>> {
  const out = new Map<string, Record<string, string | number | boolean>>();
  for (const [key, value] of Object.entries(keyValueOptions(args, 'option', NAME))) {
    const dot = key.indexOf('.');
    if (dot <= 0) throw new CalibraError('E_USAGE', `--option ${key}=... does not name a method`, { where: `calibra ${NAME}`, fix: 'write --option METHOD.KEY=VALUE, e.g. --option ts.maxIter=100' });
    const method = key.slice(0, dot);
    const rec = out.get(method) ?? {};
    rec[key.slice(dot + 1)] = value;
    out.set(method, rec);
  }
  return out;
}

/**
 * Per-sample temperatures of models whose temperature varies by sample (CA, PTS): a chart of one repeated
 * value (temperature scaling) says nothing the summary table does not, so it is left out.
 */
function temperaturesOf(model: FittedCalibrator, input: CalibrationInput): Float64Array | undefined {
  const t = model.predictTemperatures?.(input);
  if (t === undefined || t.length === 0) return undefined;
  const first = t[0] as number;
  return t.every((v) => v === first) ? undefined : t;
}

/** The methods of the report: `--methods` entries (ID or ID:k=v;k=v, src/cli/method-entry.ts) or the default list. */
function chooseMethods(requested: string[] | undefined, haveViews: boolean, classes: number, validationRows: number, io: CliIo): MethodEntry[] {
  const entries = requested !== undefined
    ? requested.map((text) => { const e = parseEntry(text, `calibra ${NAME} --methods`); const colon = text.indexOf(':'); return { ...e, label: colon < 0 ? e.spec.id : `${e.spec.id}${text.slice(colon)}` }; })
    : calibratorSpecs.filter((s) => s.input !== 'views' || haveViews).filter((s) => {
      const why = oversizeReason(s.id, classes, validationRows);
      if (why !== null) io.stderr(`calibra report: ${s.id} skipped: ${why} (name it in --methods to run it)\n`);
      return why === null;
    }).map((s) => parseEntry(s.id));
  for (const e of entries) {
    if (e.spec.input === 'views' && !haveViews) {
      throw new CalibraError('E_VIEWS_MISMATCH', `method '${e.label}' needs views of every sample`, { where: `calibra ${NAME}`, fix: 'give --val-views and --test-views (calibra views writes them), or drop it from --methods' });
    }
  }
  const none = entries.find((e) => e.label === 'none') ?? parseEntry('none');
  return [none, ...entries.filter((e) => e.label !== 'none')];
}

/** Options of the `--table` path only (src/tables/cli-report.ts). */
const TABLE_ONLY = ['table', 'db-table', 'label-col', 'confidence-col', 'pred-col', 'probs-col', 'logits-col', 'by', 'where', 'edges', 'threads', 'max-memory', 'max-slices'];

async function runReport(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    flags: ['force', 'probs', 'quiet', 'allow-accuracy-drop'],
    values: ['header', 'val-logits', 'val-labels', 'val-views', 'test-logits', 'test-labels', 'test-views', 'methods', 'metrics', 'preset', 'primary', 'ci', 'ci-bootstrap', 'split', 'cv', 'format', 'bins', 'scheme', 'bootstrap', 'seed', 'out', 'png-dir', 'title', ...TABLE_ONLY.filter((k) => k !== 'by')],
    repeatable: ['test-set', 'option', 'by'],
  }, NAME);
  const out = requireValue(args, 'out', NAME);
  const force = args.flags.has('force');
  const how: ReadHow = { probs: args.flags.has('probs'), csvHeader: csvHeaderValue(args, NAME) };
  const inputFiles = givenPaths(args.values, ['val-logits', 'val-labels', 'val-views', 'test-logits', 'test-labels', 'test-views', 'table'])
    .concat((args.values.get('test-set') ?? []).flatMap((s) => s.slice(s.indexOf('=') + 1).split(',').map((f) => ({ flag: '--test-set', file: f.trim() }))));
  checkOutputs([{ flag: '--out', file: out }], inputFiles, { force });
  if (getValue(args, 'table') !== undefined) {
    // DuckDB and the table code load only here
    const { runTableReport } = await import('../../tables/cli-report.js');
    return runTableReport(args, io, out, force);
  }
  for (const k of TABLE_ONLY) {
    if ((args.values.get(k)?.length ?? 0) > 0) throw new CalibraError('E_USAGE', `--${k} needs --table`, { where: `calibra ${NAME}`, fix: `add --table FILE_OR_GLOB, or drop --${k}` });
  }
  const seed = numberValue(args, 'seed', NAME, 0, { integer: true, min: 0 });
  const format = choiceValue(args, 'format', NAME, ['table', 'json'], 'table');
  const bins = numberValue(args, 'bins', NAME, 15, { integer: true, min: 1, max: 1000 });
  const bootstrap = numberValue(args, 'bootstrap', NAME, 100, { integer: true, min: 0, max: 10000 });
  const ciLevel = numberValue(args, 'ci', NAME, 0.95, { min: 0.5, max: 0.999 });
  const ciReplicates = numberValue(args, 'ci-bootstrap', NAME, 1000, { integer: true, min: 100, max: 100000 });
  const primaryText = getValue(args, 'primary');
  const primary = primaryText === undefined ? undefined : parseMetricId(primaryText).id;
  const scheme = getValue(args, 'scheme') ?? 'equal-width';
  if (scheme !== 'equal-width' && scheme !== 'equal-mass') throw new CalibraError('E_USAGE', `--scheme ${JSON.stringify(scheme)} is unknown`, { where: `calibra ${NAME}`, fix: 'use equal-width or equal-mass' });
  const metricList = metricListValue(args);
  const preset = getValue(args, 'preset');
  if (metricList !== undefined && preset !== undefined) throw new CalibraError('E_USAGE', 'give --metrics or --preset, not both', { where: `calibra ${NAME}`, fix: 'drop one' });
  const metricIds = metricList ?? (preset !== undefined ? presetMetricIds(preset) : undefined);

  const loadedVal = loadSet(args, 'val', how);
  if (loadedVal === undefined) throw new CalibraError('E_USAGE', 'missing the validation set', { where: `calibra ${NAME}`, fix: 'give --val-logits F --val-labels F (or --val-views F)' });
  const split = getValue(args, 'split') === undefined ? undefined : numberValue(args, 'split', NAME, 0.3, { min: 0.01, max: 0.99 });
  const cv = getValue(args, 'cv') === undefined ? undefined : numberValue(args, 'cv', NAME, 5, { min: 2, max: 100, integer: true });
  if (split !== undefined && cv !== undefined) throw new CalibraError('E_USAGE', 'give --split or --cv, not both', { where: `calibra ${NAME}`, fix: 'drop one' });
  let val: LoadedSet = loadedVal;
  const tests: LoadedSet[] = [];
  const mainTest = loadSet(args, 'test', how);
  if (mainTest !== undefined && (split !== undefined || cv !== undefined)) throw new CalibraError('E_USAGE', `give --test-logits or --${split !== undefined ? 'split' : 'cv'}, not both`, { where: `calibra ${NAME}`, fix: 'drop the test files to split the validation file, or drop the split option' });
  if (split !== undefined) {
    // a stratified hold-out of the validation file is the first test set, "held-out"
    const held = stratifiedHoldout(val.labels, split, seed);
    const part = (keep: 0 | 1, name: string): LoadedSet => {
      const rows = rowsWhere(held.length, (i) => held[i] === keep);
      const x = takeInputRows({ logits: val.logits, labels: val.labels, source: name, kind: 'logits', ...(val.probs !== undefined ? { probs: val.probs } : {}), ...(val.views !== undefined ? { views: val.views } : {}) }, rows, name);
      return { name, logits: x.logits, labels: x.labels as Int32Array, ...(x.probs !== undefined ? { probs: x.probs } : {}), ...(x.views !== undefined ? { views: x.views } : {}) };
    };
    tests.push(part(1, 'held-out'));
    val = part(0, 'validation');
  }
  if (mainTest !== undefined) tests.push(mainTest);
  if (cv !== undefined) {
    if ((args.values.get('test-set') ?? []).length > 0) throw new CalibraError('E_USAGE', '--cv scores the validation file by cross-fitting; it does not go with --test-set', { where: `calibra ${NAME}`, fix: 'use --split F to keep a fitted model for other test sets, or drop --test-set' });
    tests.push({ ...val, name: `cv${cv} (out-of-fold)` });
  }
  for (const spec of args.values.get('test-set') ?? []) tests.push(parseTestSetArg(spec, how));
  if (tests.length === 0) throw new CalibraError('E_USAGE', 'missing a test set', { where: `calibra ${NAME}`, fix: 'give --test-logits F --test-labels F, --test-views F or --test-set NAME=LOGITS,LABELS, or test on held-out parts of the validation file with --split 0.3 or --cv 5' });
  for (const t of tests) {
    if (cv === undefined && sameData({ logits: val.logits, labels: val.labels, source: '' }, { logits: t.logits, labels: t.labels, source: ' ' })) io.stderr(sameDataWarning(NAME).replace('the test set is', `test set '${t.name}' is`));
  }
  const names = new Set<string>();
  for (const t of tests) {
    if (names.has(t.name)) throw new CalibraError('E_USAGE', `test set name '${t.name}' is used twice`, { where: `calibra ${NAME}`, fix: 'give each --test-set its own name' });
    names.add(t.name);
    if (t.logits.cols !== val.logits.cols) throw new CalibraError('E_SHAPE', `test set '${t.name}' has ${t.logits.cols} classes, the validation set ${val.logits.cols}`, { fix: 'use logits of the same model for all sets' });
  }
  const haveViews = val.views !== undefined && tests.every((t) => t.views !== undefined);
  const entries = chooseMethods(listValue(args, 'methods'), haveViews, val.logits.cols, val.logits.rows, io);
  const methodIds = entries.map((e) => e.label);
  const entryOf = new Map(entries.map((e) => [e.label, e]));
  const twice = methodIds.find((id, i) => methodIds.indexOf(id) !== i);
  if (twice !== undefined) throw new CalibraError('E_USAGE', `method '${twice}' is listed twice in --methods`, { where: `calibra ${NAME}`, fix: 'list each method once' });
  const pngDir = getValue(args, 'png-dir');
  // every PNG name is known now: collisions and existing files are refused before the fits, not after
  if (pngDir !== undefined) checkPngTargets(pngDir, reportChartNames(tests.map((t) => t.name), methodIds), out, force);
  const options = methodOptions(args);
  for (const key of options.keys()) {
    if (!methodIds.includes(key) && !entries.some((e) => e.spec.id === key)) throw new CalibraError('E_USAGE', `--option names method '${key}', which is not in --methods`, { where: `calibra ${NAME}`, fix: `add ${key} to --methods or drop the option` });
  }

  const fitData: LabelledInput = { ...calibrationInput(val), labels: val.labels };
  const methods: ReportMethod[] = [];
  /** An entry's spec and options: its own `:k=v` plus `--option LABEL.k=v` or `--option ID.k=v`. */
  const resolved = (label: string): { spec: CalibratorSpec; opts: RawOptions } => {
    const e = entryOf.get(label) as MethodEntry;
    return { spec: e.spec, opts: { ...e.options, ...(options.get(e.spec.id) ?? {}), ...(options.get(label) ?? {}) } };
  };
  if (cv !== undefined) {
    // cross-fitting: each method's out-of-fold probabilities on the validation file (no single fitted model)
    const data: RowsInput = { logits: val.logits, labels: val.labels, source: 'validation', kind: 'logits', ...(val.probs !== undefined ? { probs: val.probs } : {}), ...(val.views !== undefined ? { views: val.views } : {}) };
    const folds = stratifiedFolds(val.labels, cv, seed);
    for (const id of methodIds) {
      const { spec, opts } = resolved(id);
      const progress = createProgress(io, `fit ${id} (${cv} folds)`, { quiet: args.flags.has('quiet') });
      const p = planPredict(spec, opts, { kind: 'cv', data, folds, k: cv }, seed, (f) => progress.update(f));
      progress.done();
      methods.push({ id, title: spec.title, probs: [p.probs], method: spec.id, keepsArgmax: p.preservesArgmax });
    }
  }
  for (const id of cv !== undefined ? [] : methodIds) {
    const { spec, opts } = resolved(id);
    const progress = createProgress(io, `fit ${id}`, { quiet: args.flags.has('quiet') });
    const t0 = performance.now();
    const fitted = spec.fit(fitData, opts, { seed, onProgress: (f, msg) => progress.update(f, msg) });
    const seconds = (performance.now() - t0) / 1000;
    progress.done();
    const probsPerSet: Matrix[] = [];
    const temps: (Float64Array | undefined)[] = [];
    for (const t of tests) {
      const input: CalibrationInput = calibrationInput(t);
      probsPerSet.push(fitted.model.predictProba(input));
      temps.push(temperaturesOf(fitted.model, input));
    }
    const method: ReportMethod = {
      id, title: spec.title, probs: probsPerSet, method: spec.id, keepsArgmax: fitted.model.preservesArgmax,
      fit: { converged: fitted.converged, iterations: fitted.iterations, loss: fitted.loss, warnings: fitted.warnings, seconds, ...(fitted.summary !== undefined ? { summary: fitted.summary } : {}) },
      ...(temps.some((x) => x !== undefined) ? { temperatures: temps } : {}),
    };
    methods.push(method);
  }

  const testSets: ReportTestSet[] = tests.map((t) => ({ name: t.name, labels: t.labels }));
  const input: ReportInput = {
    title: getValue(args, 'title') ?? 'calibra report',
    subtitle: cv !== undefined
      ? `${cv}-fold stratified cross-fitting of ${val.labels.length} validation samples (${val.logits.cols} classes, seed ${seed}): every sample scored by a calibrator fitted on the other folds.`
      : `Fitted on ${val.labels.length} validation samples (${val.logits.cols} classes${split !== undefined ? `; a stratified ${Math.round(split * 100)} % of the validation file held out as "held-out", seed ${seed}` : ''}); tested on ${tests.map((t) => `${t.name} (${t.labels.length})`).join(', ')}.`,
    testSets,
    methods,
    options: {
      bins, scheme, bootstrap, seed, ciLevel, ciReplicates, allowAccuracyDrop: args.flags.has('allow-accuracy-drop'),
      ...(metricIds !== undefined ? { metricIds } : {}),
      ...(primary !== undefined ? { primaryMetric: primary } : {}),
    },
  };
  const progress = createProgress(io, 'report', { quiet: args.flags.has('quiet') });
  const rendered = renderReport(input);
  progress.done();
  const written = await writeReportFiles(rendered, out, { force, ...(pngDir !== undefined ? { pngDir } : {}) });
  if (format === 'json') {
    const v = rendered.verdicts[0];
    const values = input.testSets.map((t, ti) => ({ name: t.name, samples: t.labels.length, methods: input.methods.map((m, mi) => ({ method: m.id, metrics: rendered.table.values[ti]?.[mi] ?? {} })) }));
    io.stdout(`${JSON.stringify({ out, pngs: written.pngs, ...(v !== undefined ? { recommendation: recommendationJson(v) } : {}), verdicts: rendered.verdicts.map((x) => ({ testSet: x.testSet, method: x.method, value: x.value, reason: x.reason })), testSets: values }, null, 2)}\n`);
    return 0;
  }
  io.stdout(rendered.summaryText.split('\n').map(termSafe).join('\n'));
  io.stdout(`wrote ${termSafe(out)}${written.pngs.length > 0 ? ` and ${written.pngs.length} PNG files in ${termSafe(pngDir ?? '')}` : ''}\n`);
  return 0;
}

/** The `report` command. */
export const reportCommand: Command = { name: NAME, usage: USAGE, run: (argv, io) => runReport(argv, io) };
