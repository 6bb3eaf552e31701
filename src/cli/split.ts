/**
 * One labelled file, used both to fit and to test, without fooling yourself: a stratified hold-out split
 * (`--split F`) or stratified k-fold cross-fitting (`--cv K`, as scikit-learn's StratifiedKFold(shuffle=True)
 * inside CalibratedClassifierCV): each fold's predictions come from a calibrator fitted on the other K − 1
 * folds, so every sample is scored by a model that never saw it. Also the check that warns when the test set
 * is the validation set.
 */
import { CalibraError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { Rng } from '../math/rng.js';
import type { CalibrationInput, CalibratorSpec, LabelledInput, RawOptions, ViewLogits } from '../calibrators/core/types.js';
import { calibrationInput, type LoadedInput } from './commands/calibration-io.js';

/**
 * A fold id in [0, k) for every row: the rows of each class, shuffled by `seed`, are dealt round-robin (the
 * deal continues across classes), so every fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of class c and the fold sizes
 * differ by at most one. Cost O(N).
 * @example
 * const fold = stratifiedFolds(Int32Array.of(0, 0, 1, 1), 2, 0); // fold of each row: one row of each class in each fold
 * [fold[0] !== fold[1], fold[2] !== fold[3]] // => [true, true]
 */
export function stratifiedFolds(labels: Int32Array, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 2) throw new CalibraError('E_USAGE', `--cv ${k} is not an integer ≥ 2`, { fix: 'give e.g. --cv 5' });
  if (labels.length < k) throw new CalibraError('E_USAGE', `--cv ${k} needs at least ${k} samples (got ${labels.length})`, { fix: 'use fewer folds' });
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  labels.forEach((y, i) => { const list = byClass.get(y) ?? []; list.push(i); byClass.set(y, list); });
  const folds = new Int32Array(labels.length);
  let next = 0;
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c) as number[];
    for (let i = rows.length - 1; i > 0; i--) { const j = rng.int(i + 1); [rows[i], rows[j]] = [rows[j] as number, rows[i] as number]; }
    for (const r of rows) { folds[r] = next; next = (next + 1) % k; }
  }
  return folds;
}

/**
 * A stratified hold-out: `test[i]` = 1 for the rows held out. Per class, round(fraction · n_c) rows (shuffled
 * by `seed`) are held out, but at least one row of every class stays for fitting. Cost O(N).
 */
export function stratifiedHoldout(labels: Int32Array, fraction: number, seed: number): Uint8Array {
  if (!(fraction > 0 && fraction < 1)) throw new CalibraError('E_USAGE', `--split ${fraction} is not in (0, 1)`, { fix: 'give the fraction held out for testing, e.g. --split 0.3' });
  const rng = new Rng(seed);
  const byClass = new Map<number, number[]>();
  labels.forEach((y, i) => { const list = byClass.get(y) ?? []; list.push(i); byClass.set(y, list); });
  const test = new Uint8Array(labels.length);
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c) as number[];
    for (let i = rows.length - 1; i > 0; i--) { const j = rng.int(i + 1); [rows[i], rows[j]] = [rows[j] as number, rows[i] as number]; }
    const take = Math.min(rows.length - 1, Math.round(fraction * rows.length));
    for (let i = 0; i < take; i++) test[rows[i] as number] = 1;
  }
  let held = 0;
  for (const t of test) held += t;
  if (held === 0 || held === labels.length) throw new CalibraError('E_USAGE', `--split ${fraction} leaves ${held} of ${labels.length} samples for testing`, { fix: 'give more samples or another fraction' });
  return test;
}

/** Row indices where `pick(i)` holds. */
export function rowsWhere(n: number, pick: (i: number) => boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (pick(i)) out.push(i);
  return Int32Array.from(out);
}

function takeMatrix(m: Matrix, rows: Int32Array): Matrix<Float64Array> {
  const k = m.cols;
  const data = new Float64Array(rows.length * k);
  rows.forEach((r, j) => { for (let c = 0; c < k; c++) data[j * k + c] = m.data[r * k + c] as number; });
  return { data, rows: rows.length, cols: k };
}

/** A loaded input whose logits may be float32 (what {@link takeInputRows} reads). */
export type RowsInput = Omit<LoadedInput, 'logits'> & { readonly logits: Matrix };

/** The rows `rows` of a loaded input (logits, views and labels together). Cost O(len · K · (1 + views)). */
export function takeInputRows(input: RowsInput, rows: Int32Array, tag: string): LoadedInput {
  const views: ViewLogits | undefined = input.views === undefined ? undefined : { names: input.views.names, logits: input.views.logits.map((m) => takeMatrix(m, rows)) };
  const labels = input.labels === undefined ? undefined : Int32Array.from(rows, (r) => input.labels?.[r] as number);
  return {
    logits: takeMatrix(input.logits, rows), source: `${input.source} (${tag})`, kind: input.kind,
    ...(input.probs !== undefined ? { probs: takeMatrix(input.probs, rows) } : {}),
    ...(views !== undefined ? { views } : {}), ...(labels !== undefined ? { labels } : {}),
  };
}

/**
 * Whether the test set is the validation set: the same file, or the same logits and labels element by element.
 * Cost O(N·K) when the shapes agree.
 */
export function sameData(a: { logits: Matrix; labels?: Int32Array; source: string }, b: { logits: Matrix; labels?: Int32Array; source: string }): boolean {
  if (a.source === b.source) return true;
  if (a.logits.rows !== b.logits.rows || a.logits.cols !== b.logits.cols) return false;
  for (let i = 0; i < a.logits.data.length; i++) if (a.logits.data[i] !== b.logits.data[i]) return false;
  if (a.labels !== undefined && b.labels !== undefined) for (let i = 0; i < a.labels.length; i++) if (a.labels[i] !== b.labels[i]) return false;
  return true;
}

/** The warning printed when {@link sameData} holds. */
export function sameDataWarning(command: string): string {
  return `calibra ${command}: warning: the test set is the validation set: every method is scored on the samples it was fitted on, so the metrics are optimistic and favour flexible methods; give another test set, or --split 0.3 (hold out 30 %) or --cv 5 (cross-fitting)\n`;
}

/** How a method is scored on labelled data it may not have been fitted on. */
export type FitPlan =
  | { readonly kind: 'holdout'; readonly fit: LoadedInput; readonly test: LoadedInput }
  | { readonly kind: 'cv'; readonly data: RowsInput; readonly folds: Int32Array; readonly k: number };

/** Calibrated test probabilities of one method under a plan, with its fit diagnostics. */
export interface PlannedPrediction {
  readonly probs: Matrix<Float64Array>;
  readonly preservesArgmax: boolean;
  readonly warnings: readonly string[];
  readonly fitSeconds: number;
  readonly predictSeconds: number;
  /** Labels of the rows of `probs`. */
  readonly labels: Int32Array;
  /** Whether the fit (every fold's, under cross-validation) converged. */
  readonly converged: boolean;
}

function asLabelled(x: RowsInput): LabelledInput {
  return { ...calibrationInput(x), labels: x.labels as Int32Array };
}

function asInput(x: RowsInput): CalibrationInput {
  return calibrationInput(x);
}

/**
 * Fits `spec` and predicts: on the hold-out plan, fit on `fit`, predict `test`; on the cv plan, for each fold
 * fit on the other folds and predict the fold's rows (out-of-fold probabilities of every row, as
 * scikit-learn's cross_val_predict). Warnings of the folds are merged (each once). Cost: k fits on (k−1)/k of
 * the data plus one pass of predictions.
 */
export function planPredict(spec: CalibratorSpec, options: RawOptions, plan: FitPlan, seed: number, onProgress?: (fraction: number) => void): PlannedPrediction {
  if (plan.kind === 'holdout') {
    const t0 = performance.now();
    const fit = spec.fit(asLabelled(plan.fit), options, { seed, ...(onProgress !== undefined ? { onProgress } : {}) });
    const t1 = performance.now();
    const probs = fit.model.predictProba(asInput(plan.test));
    return { probs, preservesArgmax: fit.model.preservesArgmax, warnings: fit.warnings, fitSeconds: (t1 - t0) / 1000, predictSeconds: (performance.now() - t1) / 1000, labels: plan.test.labels as Int32Array, converged: fit.converged };
  }
  const { data, folds, k } = plan;
  const n = data.logits.rows;
  const K = data.logits.cols;
  const out = new Float64Array(n * K);
  const warnings = new Set<string>();
  let fitSeconds = 0;
  let predictSeconds = 0;
  let preservesArgmax = true;
  let converged = true;
  for (let f = 0; f < k; f++) {
    const train = rowsWhere(n, (i) => folds[i] !== f);
    const held = rowsWhere(n, (i) => folds[i] === f);
    const t0 = performance.now();
    const fit = spec.fit(asLabelled(takeInputRows(data, train, `fold ${f + 1} of ${k}, fit`)), options, { seed, ...(onProgress !== undefined ? { onProgress: (x: number) => onProgress((f + Math.min(1, Math.max(0, x))) / k) } : {}) });
    const t1 = performance.now();
    const p = fit.model.predictProba(asInput(takeInputRows(data, held, `fold ${f + 1} of ${k}`)));
    predictSeconds += (performance.now() - t1) / 1000;
    fitSeconds += (t1 - t0) / 1000;
    preservesArgmax = preservesArgmax && fit.model.preservesArgmax;
    converged = converged && fit.converged;
    for (const w of fit.warnings) warnings.add(w);
    held.forEach((r, j) => { for (let c = 0; c < K; c++) out[r * K + c] = p.data[j * K + c] as number; });
  }
  return { probs: { data: out, rows: n, cols: K }, preservesArgmax, warnings: [...warnings], fitSeconds, predictSeconds, labels: data.labels as Int32Array, converged };
}
