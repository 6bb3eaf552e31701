/**
 * `calibra demo`: the whole path from images to calibrated confidence on the committed data and zoo
 * models (issue 5). For each model: views logits on a calibration split of the training data, every
 * calibrator fitted (TS, ETS, IRM, Dirichlet, spline, PTS, CE-trained, CA robust/faithful), evaluated on
 * the in-distribution test set, on corruptions and on the natural digit shift; tables printed and written
 * as JSON and Markdown (and the HTML report) to the output folder.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CalibraError, termSafe } from '../../errors.js';
import { getValue, listValue, numberValue, parseArgs } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { COLOURED_SETS, fashionMnistOriginalIndex, loadDataset, packageRoot, type ImageDataset } from '../../datasets/index.js';
import { writeFileAtomic } from '../../data/files.js';
import { checkOutputFolder, checkOutputTarget } from '../../data/outputs.js';
import type { Matrix } from '../../math/matrix.js';
import { OnnxClassifier } from '../../inference/onnx-runner.js';
import { fitIntoFrame, parsePreprocessJson } from '../../inference/preprocess.js';
import type { CorruptionStep } from '../../inference/views-pipeline.js';
import { DEMO_METHODS, resolveMethodId, runDemoModel, type DemoModelResult, type DemoTestSet } from '../../inference/demo.js';
import { formatDemoMarkdown, formatDemoText } from '../../inference/demo-tables.js';
import { corruptionSteps, defaultCorruptionNames } from '../../inference/corruption-step.js';
import { buildReportHtml } from '../../report/index.js';
import type { ReportMethod, ReportTestSet } from '../../report/index.js';

/**
 * Named suites: which zoo models, and whether corruptions run by default. `quick` is the paper's setting on
 * grey data (kept as the honest counter-example: there the views say little beyond max-softmax);
 * `coloured-fmnist` is the spurious-colour benchmark, where the greyscale and jitter views can tell whether
 * a prediction rests on colour.
 */
export const DEMO_SUITES: Readonly<Record<string, { readonly models: readonly string[]; readonly corruptions: boolean; readonly summary: string }>> = {
  'quick': { models: ['fmnist-mlp', 'digits-mlp'], corruptions: true, summary: 'grey Fashion-MNIST MLP and OpenCV digits MLP; corruptions and the sklearn-digits shift' },
  'coloured-fmnist': { models: ['cfmnist-cnn'], corruptions: false, summary: 'colour CNN on coloured Fashion-MNIST; random/permuted/shifted hue, grey and rotated test sets' },
};
const DEFAULT_SUITE = 'quick';
const QUICK_MODELS = DEMO_SUITES[DEFAULT_SUITE]?.models ?? [];

/**
 * The natural shift: scikit-learn's 8×8 digits resized to 14×14 and centred in 20×20, like OpenCV's digits
 * (which keep a ~3-pixel margin). Stretched to the full 20×20 the digits-mlp gets 16 % (near chance);
 * framed it gets 66 %, a real but not total shift.
 */
const SKLEARN_FRAME: CorruptionStep = { name: 'sklearn-frame-14-in-20', apply: (img) => fitIntoFrame(img, 14, 20) };

const USAGE = `usage: calibra demo [options]

Runs the CA paper's experiment end to end on the committed data and zoo models (models/):
calibration split of the training data -> views logits (rotation, greyscale, colorjitter) -> every
calibrator -> metrics on the in-distribution test set, corruptions and the natural digit shift.
Prints one table per model (ca-paper and default metric presets) and writes demo.json, demo.md and
report.html to the output folder.

  --suite NAME          ${Object.entries(DEMO_SUITES).map(([k, v]) => `${k}: ${v.summary}`).join('\n                        ')}
                        (default ${DEFAULT_SUITE})
  --full                full datasets (Debian's, when installed), all zoo models, corruption severities 1..5
  --models LIST         zoo model ids (default: the suite's, ${QUICK_MODELS.join(',')}; --full: all in models/)
  --corruptions LIST    corruption names (default: all known; none for the coloured-fmnist suite), or 'none'
  --severity S          corruption severity for the quick run (default 3)
  --severities LIST     severities to run, e.g. 1,3,5 (overrides --severity and --full's 1..5)
  --limit N             at most N calibration and N images per test set (for a fast smoke run)
  --seed S              seed of the view draws, corruptions and calibrators (default 0)
  --out DIR             output folder (default demo-out/); existing files need --force
  --no-report           skip report.html
  --quiet               no progress bar

splits (fixed): Fashion-MNIST training images 50 000..59 999 (never seen by a zoo model) calibrate;
t10k tests. OpenCV digits: columns 70..79 of the sheet calibrate, 80..99 test; sklearn 8×8 digits
(resized to 14×14, centred in 20×20 like OpenCV's) are the natural shift. Coloured Fashion-MNIST
(seed 0): 'calibration' (train images 50 000..59 999) calibrates; 'test' and the shifted sets
random-hue, permuted-hue, colour-shift, grey and rotated test (docs/views-and-datasets.md).
examples:
  npx calibra demo
  npx calibra demo --suite coloured-fmnist
`;

interface ZooManifest {
  readonly id: string;
  readonly onnx: string;
  readonly dataset: 'fashion-mnist' | 'opencv-digits' | 'coloured-fashion-mnist';
  readonly architecture?: string;
  readonly accuracy?: { readonly fullTest?: number };
}

function readManifest(dir: string, id: string): { manifest: ZooManifest; path: string; text: string } {
  const path = join(dir, `${id}.json`);
  if (!existsSync(path)) throw new CalibraError('E_IO', `no zoo model '${id}'`, { source: path, fix: 'list models/ for the ids (e.g. fmnist-mlp, digits-mlp)' });
  const text = readFileSync(path, 'utf8');
  const manifest = JSON.parse(text) as ZooManifest;
  if (manifest.dataset !== 'fashion-mnist' && manifest.dataset !== 'opencv-digits' && manifest.dataset !== 'coloured-fashion-mnist') {
    throw new CalibraError('E_FORMAT', `unknown dataset ${JSON.stringify(manifest.dataset)}`, { source: path, where: "field 'dataset'" });
  }
  return { manifest, path, text };
}

function head(idx: Int32Array, limit: number): Int32Array {
  return idx.length > limit ? idx.subarray(0, limit) : idx;
}

function range(n: number, pred: (i: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (pred(i)) out.push(i);
  return Int32Array.from(out);
}

/** Calibration rows of the Fashion-MNIST training set: original index >= 50 000. */
function fmnistCalibrationRows(ds: ImageDataset, root: string): { rows: Int32Array; note: string } {
  if (ds.count === 60000) return { rows: range(60000, (i) => i >= 50000), note: 'Fashion-MNIST train images 50000..59999' };
  const orig = fashionMnistOriginalIndex(ds, 'train', { root });
  const rows = range(ds.count, (i) => (orig[i] as number) >= 50000);
  return { rows, note: `the ${rows.length} images of the committed train subset with original index >= 50000` };
}

/** Corruptions shown in report.html (at the first severity run); all of them are in the tables. */
const REPORT_CORRUPTIONS = ['gaussian_noise', 'defocus_blur', 'contrast'];

function inReport(testSet: string, severity: number): boolean {
  const colon = testSet.indexOf(':');
  if (colon < 0) return true;
  return REPORT_CORRUPTIONS.includes(testSet.slice(0, colon)) && testSet.slice(colon + 1) === String(severity);
}

interface ModelWork {
  readonly manifest: ZooManifest;
  readonly manifestPath: string;
  readonly preprocessText: string;
}

async function runOne(work: ModelWork, root: string, opts: { full: boolean; limit: number; seed: number; corruptionNames: readonly string[]; severities: readonly number[] }, io: CliIo, quiet: boolean, keep: Map<string, Map<string, { probs: Matrix<Float64Array>; labels: Int32Array }>>): Promise<DemoModelResult> {
  const { manifest } = work;
  const pre = { preferCommitted: !opts.full };
  const testSets: DemoTestSet[] = [];
  let calibration: { dataset: ImageDataset; indices: Int32Array; note: string };
  if (manifest.dataset === 'coloured-fashion-mnist') {
    const spec = (set: string): string => `coloured-fmnist${opts.full ? '' : '-subset'}:${set}`;
    const cal = await loadDataset(spec('calibration'), pre);
    calibration = { dataset: cal, indices: head(range(cal.count, () => true), opts.limit), note: `${cal.name}: ${cal.note}` };
    const test = await loadDataset(spec('test'), pre);
    const ti = head(range(test.count, () => true), opts.limit);
    testSets.push({ id: 'test', kind: 'id', dataset: test, indices: ti });
    for (const c of corruptionSteps(opts.corruptionNames, opts.severities)) testSets.push({ id: c.name, kind: 'corruption', dataset: test, indices: ti, corruption: c });
    for (const set of COLOURED_SETS) {
      if (set === 'train' || set === 'calibration' || set === 'test') continue;
      const ds = await loadDataset(spec(set), pre);
      testSets.push({ id: set, kind: 'natural', dataset: ds, indices: head(range(ds.count, () => true), opts.limit) });
    }
  } else if (manifest.dataset === 'fashion-mnist') {
    const train = await loadDataset(opts.full ? 'fashion-mnist:train' : 'fashion-mnist-subset:train', pre);
    const test = await loadDataset(opts.full ? 'fashion-mnist:test' : 'fashion-mnist-subset:test', pre);
    const cal = fmnistCalibrationRows(train, root);
    calibration = { dataset: train, indices: head(cal.rows, opts.limit), note: cal.note };
    const ti = head(range(test.count, () => true), opts.limit);
    testSets.push({ id: 'test', kind: 'id', dataset: test, indices: ti });
    for (const c of corruptionSteps(opts.corruptionNames, opts.severities)) testSets.push({ id: c.name, kind: 'corruption', dataset: test, indices: ti, corruption: c });
  } else {
    const digits = await loadDataset('opencv-digits', pre);
    const sk = await loadDataset('sklearn-digits', pre);
    calibration = { dataset: digits, indices: head(range(digits.count, (i) => i % 100 >= 70 && i % 100 < 80), opts.limit), note: 'OpenCV digits, sheet columns 70..79' };
    const ti = head(range(digits.count, (i) => i % 100 >= 80), opts.limit);
    testSets.push({ id: 'test', kind: 'id', dataset: digits, indices: ti });
    for (const c of corruptionSteps(opts.corruptionNames, opts.severities)) testSets.push({ id: c.name, kind: 'corruption', dataset: digits, indices: ti, corruption: c });
    testSets.push({ id: 'sklearn-digits', kind: 'natural', dataset: sk, indices: head(range(sk.count, () => true), opts.limit), corruption: SKLEARN_FRAME });
  }
  const onnxPath = join(root, 'models', manifest.onnx);
  const clf = await OnnxClassifier.load(onnxPath, parsePreprocessJson(work.preprocessText, work.manifestPath));
  const bar = createProgress(io, manifest.id, { quiet });
  const perModel = new Map<string, { probs: Matrix<Float64Array>; labels: Int32Array }>();
  keep.set(manifest.id, perModel);
  try {
    const res = await runDemoModel({
      modelId: manifest.id,
      description: `${manifest.architecture ?? 'model'} on ${manifest.dataset} (models/${manifest.onnx})`,
      classifier: clf, calibration, testSets, views: ['rotation', 'greyscale', 'colorjitter'], methods: DEMO_METHODS, seed: opts.seed,
      onPredictions: (method, testSet, probs, labels) => { if (inReport(testSet, opts.severities[0] ?? 3)) perModel.set(`${method}\u0000${testSet}`, { probs, labels }); },
    }, (f, m) => bar.update(f, m));
    bar.done();
    return res;
  } finally {
    await clf.close();
  }
}

function buildReport(results: readonly DemoModelResult[], keep: Map<string, Map<string, { probs: Matrix<Float64Array>; labels: Int32Array }>>): string | null {
  // One report: test sets are "<model>/<test set>", methods are the demo rows.
  const testSets: ReportTestSet[] = [];
  const keys: [string, string][] = [];
  for (const r of results) {
    const kept = keep.get(r.model);
    const first = r.methods.find((m) => m.status === 'ok');
    if (kept === undefined || first === undefined) continue;
    for (const t of r.testSets) {
      const cell = kept.get(`${first.label}\u0000${t.id}`);
      if (cell === undefined) continue;
      testSets.push({ name: `${r.model}/${t.id}`, labels: cell.labels });
      keys.push([r.model, t.id]);
    }
  }
  const labels = [...new Set(results.flatMap((r) => r.methods.filter((m) => m.status === 'ok').map((m) => m.label)))];
  const methods: ReportMethod[] = [];
  for (const label of labels) {
    const status = results.flatMap((r) => r.methods).find((m) => m.status === 'ok' && m.label === label);
    const probs: Matrix[] = [];
    for (const [model, t] of keys) {
      const cell = keep.get(model)?.get(`${label}\u0000${t}`);
      if (cell === undefined) break;
      probs.push(cell.probs);
    }
    // The report (verdict, tables, diagrams) names each method by the spec a user types, as compare does
    // (`ts`, `ca:mode=robust`), with the demo's label as its title; the registry id lets the verdict compare
    // against TS and uncalibrated (its references).
    const registryId = status?.id ?? DEMO_METHODS.find((m) => m.label === label)?.id;
    const spec = status !== undefined ? methodSpec(status.id, status.options) : label;
    if (probs.length === keys.length) methods.push({ id: spec, title: label, probs, ...(registryId !== undefined ? { method: registryId } : {}) });
  }
  if (testSets.length === 0 || methods.length === 0) return null;
  return buildReportHtml({ title: 'calibra demo', subtitle: `models: ${results.map((r) => r.model).join(', ')}`, testSets, methods, options: { bootstrap: 0 } });
}

/** The `--methods` entry of a method and its options, e.g. `ca:mode=robust` (compare's ID:k=v;k=v). */
function methodSpec(id: string, options: Readonly<Record<string, string | number | boolean>>): string {
  const kv = Object.entries(options).map(([k, v]) => `${k}=${String(v)}`);
  return kv.length > 0 ? `${id}:${kv.join(';')}` : id;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, { flags: ['full', 'force', 'quiet', 'no-report'], values: ['suite', 'models', 'corruptions', 'severity', 'severities', 'limit', 'seed', 'out'] }, 'demo');
  const suiteName = getValue(args, 'suite') ?? DEFAULT_SUITE;
  const suite = DEMO_SUITES[suiteName];
  if (suite === undefined) throw new CalibraError('E_USAGE', `unknown --suite ${JSON.stringify(suiteName)}`, { where: 'calibra demo', fix: `use one of: ${Object.keys(DEMO_SUITES).join(', ')}` });
  const full = args.flags.has('full');
  const force = args.flags.has('force');
  const quiet = args.flags.has('quiet');
  const out = getValue(args, 'out') ?? 'demo-out';
  const limit = numberValue(args, 'limit', 'demo', Infinity, { integer: true, min: 10 });
  const seed = numberValue(args, 'seed', 'demo', 0, { integer: true, min: 0, max: 2 ** 31 });
  const severity = numberValue(args, 'severity', 'demo', 3, { integer: true, min: 1, max: 5 });
  const root = packageRoot();
  const modelsDir = join(root, 'models');
  const allIds = existsSync(modelsDir) ? readdirIds(modelsDir) : [];
  const ids = listValue(args, 'models') ?? (full && getValue(args, 'suite') === undefined ? allIds : [...suite.models]);
  const corrArg = listValue(args, 'corruptions');
  const corruptionNames = corrArg === undefined ? (suite.corruptions ? defaultCorruptionNames() : []) : corrArg.length === 1 && corrArg[0] === 'none' ? [] : corrArg;
  const sevList = listValue(args, 'severities');
  const severities = sevList !== undefined ? sevList.map((t) => {
    const v = Number(t);
    if (!Number.isInteger(v) || v < 1 || v > 5) throw new CalibraError('E_USAGE', `--severities ${JSON.stringify(t)} is not an integer 1..5`, { where: 'calibra demo', fix: 'e.g. --severities 1,3,5' });
    return v;
  }) : full ? [1, 2, 3, 4, 5] : [severity];
  checkOutputFolder(out, '--out');
  // the folder is created when missing; the files in an existing one are checked before the work
  if (existsSync(out)) for (const f of ['demo.json', 'demo.md', 'report.html']) checkOutputTarget(join(out, f), undefined, force);
  const works = ids.map((id) => { const m = readManifest(modelsDir, id); return { manifest: m.manifest, manifestPath: m.path, preprocessText: m.text }; });
  const missing = DEMO_METHODS.filter((m) => resolveMethodId(m) === null).map((m) => `${m.label} (${m.id})`);
  io.stderr(`demo: suite ${suiteName}; models ${ids.join(', ')}; ${full ? 'full datasets' : 'committed subsets'}; corruptions ${corruptionNames.length > 0 ? `${corruptionNames.join(', ')} at severity ${severities.join(',')}` : 'none'}; seed ${seed}${Number.isFinite(limit) ? `; limit ${limit}` : ''}\n`);
  if (missing.length > 0) io.stderr(`demo: not registered yet, skipped: ${missing.join(', ')}\n`);
  const keep = new Map<string, Map<string, { probs: Matrix<Float64Array>; labels: Int32Array }>>();
  const results: DemoModelResult[] = [];
  for (const w of works) {
    const r = await runOne(w, root, { full, limit, seed, corruptionNames, severities }, io, quiet, keep);
    results.push(r);
    io.stdout(`${formatDemoText(r)}\n`);
  }
  mkdirSync(out, { recursive: true });
  const settings = { suite: suiteName, full, models: ids, corruptions: corruptionNames, severities, seed, limit: Number.isFinite(limit) ? limit : null, views: ['rotation', 'greyscale', 'colorjitter'] };
  writeFileAtomic(join(out, 'demo.json'), `${JSON.stringify({ format: 'calibra.demo', version: 1, settings, missingMethods: missing, models: results }, null, 1)}\n`, { force });
  const md = ['# calibra demo', '', `Settings: \`${JSON.stringify(settings)}\``, '', ...results.map((r) => formatDemoMarkdown(r))].join('\n');
  writeFileAtomic(join(out, 'demo.md'), md, { force });
  let written = `${join(out, 'demo.json')}, ${join(out, 'demo.md')}`;
  if (!args.flags.has('no-report')) {
    const html = buildReport(results, keep);
    if (html !== null) { writeFileAtomic(join(out, 'report.html'), html, { force }); written += `, ${join(out, 'report.html')}`; }
  }
  io.stdout(`wrote ${termSafe(written)}\n`);
  return 0;
}

function readdirIds(dir: string): string[] {
  return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).filter((id) => existsSync(join(dir, `${id}.onnx`))).sort();
}

/** The `demo` command. */
export const demoCommand: Command = {
  name: 'demo',
  usage: USAGE,
  run,
};
