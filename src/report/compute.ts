/**
 * From calibrated probabilities to the numbers behind each chart of the report: top-label summary,
 * reliability bins, smooth curve, per-class bins, and the ECE-vs-bins sweep. Pure; no rendering here.
 */
import type { Matrix } from '../math/matrix.js';
import { addToBins, createBinnedStats, groupError, reliabilityBins } from '../metrics/binning.js';
import { summarizeProbs, type SampleSummary } from '../metrics/summary.js';
import { SWEEP_BINS } from '../metrics/ids.js';
import { CalibraError } from '../errors.js';
import { smoothReliabilityCurve, type SmoothCurve } from './smooth-curve.js';
import type { ClassCell } from './charts/class-grid.js';
import type { BinRecord, BinScheme, ReportInput, ReportOptions } from './types.js';

/** Defaults of `ReportOptions` (documented there). */
export const REPORT_DEFAULTS = {
  primaryMetric: 'nll',
  ciReplicates: 1000,
  ciLevel: 0.95,
  bins: 15,
  scheme: 'equal-width' as BinScheme,
  bootstrap: 100,
  seed: 0,
  sweepBins: SWEEP_BINS,
  maxGridClasses: 10,
} as const;

/** Options with every default filled in (metricIds stays optional: the metrics module picks its preset). */
export interface ResolvedReportOptions {
  readonly metricIds: readonly string[] | undefined;
  readonly primaryMetric: string;
  readonly ciReplicates: number;
  readonly ciLevel: number;
  readonly allowAccuracyDrop: boolean;
  readonly bins: number;
  readonly scheme: BinScheme;
  readonly bootstrap: number;
  readonly seed: number;
  readonly sweepBins: readonly number[];
  readonly maxGridClasses: number;
}

/** Fills the defaults and checks ranges (E_OPTION naming the field). */
export function resolveReportOptions(o: ReportOptions = {}): ResolvedReportOptions {
  const r: ResolvedReportOptions = {
    metricIds: o.metricIds,
    primaryMetric: o.primaryMetric ?? REPORT_DEFAULTS.primaryMetric,
    ciReplicates: o.ciReplicates ?? REPORT_DEFAULTS.ciReplicates,
    ciLevel: o.ciLevel ?? REPORT_DEFAULTS.ciLevel,
    allowAccuracyDrop: o.allowAccuracyDrop ?? false,
    bins: o.bins ?? REPORT_DEFAULTS.bins,
    scheme: o.scheme ?? REPORT_DEFAULTS.scheme,
    bootstrap: o.bootstrap ?? REPORT_DEFAULTS.bootstrap,
    seed: o.seed ?? REPORT_DEFAULTS.seed,
    sweepBins: o.sweepBins ?? REPORT_DEFAULTS.sweepBins,
    maxGridClasses: o.maxGridClasses ?? REPORT_DEFAULTS.maxGridClasses,
  };
  const intAtLeast = (v: number, min: number, field: string): void => {
    if (!Number.isInteger(v) || v < min) throw new CalibraError('E_OPTION', `report option ${field} = ${v} is not an integer >= ${min}`, { where: `field '${field}'`, fix: `give ${field} >= ${min}` });
  };
  intAtLeast(r.bins, 1, 'bins');
  intAtLeast(r.bootstrap, 0, 'bootstrap');
  intAtLeast(r.maxGridClasses, 1, 'maxGridClasses');
  intAtLeast(r.ciReplicates, 2, 'ciReplicates');
  if (!(r.ciLevel > 0 && r.ciLevel < 1)) throw new CalibraError('E_OPTION', `report option ciLevel = ${r.ciLevel} is not in (0, 1)`, { where: "field 'ciLevel'", fix: 'give e.g. 0.95' });
  for (const b of r.sweepBins) intAtLeast(b, 1, 'sweepBins');
  if (r.scheme !== 'equal-width' && r.scheme !== 'equal-mass') throw new CalibraError('E_OPTION', `report option scheme '${String(r.scheme)}' is unknown`, { where: "field 'scheme'", fix: 'use equal-width or equal-mass' });
  return r;
}

/** The chart data of one method on one test set. */
export interface CellData {
  readonly summary: SampleSummary;
  readonly bins: BinRecord[];
  readonly smooth: SmoothCurve;
  readonly classCells: ClassCell[];
  /** ECE (equal-width, edge rule 'right') at each of `sweepBins`. */
  readonly sweep: number[];
  readonly temperatures: Float64Array | undefined;
}

/** Checks that probs and labels agree in shape (E_SHAPE naming the method and test set). */
export function checkCell(probs: Matrix, labels: Int32Array, method: string, testSet: string): void {
  if (probs.rows !== labels.length) {
    throw new CalibraError('E_SHAPE', `method '${method}' on test set '${testSet}': ${probs.rows} probability rows but ${labels.length} labels`, { fix: 'give one row of probabilities per label' });
  }
  if (probs.rows === 0) throw new CalibraError('E_EMPTY', `test set '${testSet}' has no samples`, { fix: 'give at least one sample' });
}

/**
 * Classes shown in the per-class grid: all when K ≤ max, else the `max` most frequent labels (ties to the
 * lower index), in index order. Cost O(N + K log K).
 */
export function gridClasses(labels: Int32Array, classes: number, max: number): number[] {
  const counts = new Float64Array(classes);
  for (const y of labels) counts[y] = (counts[y] as number) + 1;
  const all = Array.from({ length: classes }, (_, k) => k);
  if (classes <= max) return all;
  return all.sort((a, b) => (counts[b] as number) - (counts[a] as number) || a - b).slice(0, max).sort((a, b) => a - b);
}

/**
 * Chart data for one method on one test set. Cost: O(N·K) for the summaries and class bins, plus the
 * smooth curve's O(B·(N + G·M)) bootstrap (smooth-curve.ts).
 */
export function computeCell(probs: Matrix, labels: Int32Array, opts: ResolvedReportOptions, temperatures: Float64Array | undefined, classNames?: readonly string[], smece?: number): CellData {
  const summary = summarizeProbs(probs, labels);
  const bins = reliabilityBins(summary.confidences, summary.correct, { bins: opts.bins, scheme: opts.scheme });
  const smooth = smoothReliabilityCurve(summary.confidences, summary.correct, { bootstrap: opts.bootstrap, seed: opts.seed, ...(smece !== undefined && Number.isFinite(smece) ? { smece } : {}) });
  const k = probs.cols;
  const shown = gridClasses(labels, k, opts.maxGridClasses);
  const scores = new Float64Array(probs.rows);
  const targets = new Uint8Array(probs.rows);
  const classCells: ClassCell[] = shown.map((c) => {
    let positives = 0;
    for (let i = 0; i < probs.rows; i++) {
      scores[i] = probs.data[i * k + c] as number;
      const t = labels[i] === c ? 1 : 0;
      targets[i] = t;
      positives += t;
    }
    return { name: classNames?.[c] ?? `class ${c}`, bins: reliabilityBins(scores, targets, { bins: 10, scheme: 'equal-width' }), positives };
  });
  const sweep = opts.sweepBins.map((b) => {
    const stats = createBinnedStats(b, 1, 'right');
    for (let i = 0; i < summary.n; i++) addToBins(stats, 0, summary.confidences[i] as number, summary.correct[i] as number);
    return groupError(stats, 0, 'l1');
  });
  if (temperatures !== undefined && temperatures.length !== probs.rows) {
    throw new CalibraError('E_SHAPE', `${temperatures.length} per-sample temperatures for ${probs.rows} samples`, { fix: 'give one temperature per sample' });
  }
  return { summary, bins, smooth, classCells, sweep, temperatures };
}

/** Chart data of every (test set, method) pair: `cells[t][m]`; `smeceOf(t, m)` gives known smECE values. */
export function computeCells(input: ReportInput, opts: ResolvedReportOptions, smeceOf: (t: number, m: number) => number | undefined = () => undefined): CellData[][] {
  return input.testSets.map((ts, t) => input.methods.map((m, mi) => {
    const probs = m.probs[t];
    if (probs === undefined) throw new CalibraError('E_SHAPE', `method '${m.id}' has no probabilities for test set '${ts.name}'`, { fix: 'give one probability matrix per test set' });
    checkCell(probs, ts.labels, m.id, ts.name);
    return computeCell(probs, ts.labels, opts, m.temperatures?.[t], input.classNames, smeceOf(t, mi));
  }));
}
