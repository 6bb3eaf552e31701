/**
 * Input of the HTML report (`buildReportHtml`) and of the charts. Pure data: typed arrays and numbers, no
 * file handles, so `calibra report`, `calibra demo` and the browser all build the same report.
 *
 * Example (two methods on one test set):
 * ```ts
 * const html = buildReportHtml({
 *   title: 'digits-cnn',
 *   testSets: [{ name: 'test', labels }],
 *   methods: [
 *     { id: 'uncalibrated', title: 'Uncalibrated', probs: [softmax(testLogits)] },
 *     { id: 'ts', title: 'Temperature scaling (Guo et al. 2017)', probs: [tsProbs] },
 *   ],
 * });
 * ```
 */
import type { Matrix } from '../math/matrix.js';

/** Bin record of a reliability diagram: `BinRecord` from `reliabilityBins` (src/metrics/binning.ts). */
export type { BinRecord } from '../metrics/binning.js';

/** Binning used by the binned diagrams and the binned metrics shown beside them. */
export type BinScheme = 'equal-width' | 'equal-mass';

/** One labelled test set of the report. */
export interface ReportTestSet {
  /** Short name shown in the table header and tabs, e.g. "test" or "gaussian-noise-3". */
  readonly name: string;
  /** True labels in [0, K). */
  readonly labels: Int32Array;
}

/** One method's calibrated output on every test set. */
export interface ReportMethod {
  /** Stable id, e.g. "ts", "ca"; "uncalibrated" for the raw softmax. */
  readonly id: string;
  /** Human title with the paper, e.g. "Temperature scaling (Guo et al. 2017)". */
  readonly title: string;
  /**
   * Registry id when `id` is a label (e.g. "TS" → "ts"): the verdict compares against `none` (uncalibrated)
   * and `ts` (temperature scaling). Default: `id`.
   */
  readonly method?: string;
  /** Whether the method keeps every argmax by construction (default: measured on each test set). */
  readonly keepsArgmax?: boolean;
  /** Calibrated probabilities, one N×K matrix per test set, in the order of `ReportInput.testSets`. */
  readonly probs: readonly Matrix[];
  /**
   * Per-sample temperatures (CA, PTS), one array per test set, when the method has them; drawn as the
   * distribution of temperatures of correct vs wrong samples.
   */
  readonly temperatures?: readonly (Float64Array | undefined)[];
  /** Fit diagnostics shown under the method, when known. */
  readonly fit?: { readonly converged: boolean; readonly iterations: number; readonly loss: number | null; readonly warnings: readonly string[]; readonly seconds?: number; readonly summary?: string };
}

/** Settings of the report; every field has a documented default. */
export interface ReportOptions {
  /** Metric ids of the summary table (default: `presetMetricIds('default')` from src/metrics/). */
  readonly metricIds?: readonly string[];
  /** Metric id of the verdict, the ranking chart and the summary table (default "nll"). */
  readonly primaryMetric?: string;
  /** Bootstrap resamples of the verdict's paired intervals, the ranking bars and the headline ECE interval (default 1000). */
  readonly ciReplicates?: number;
  /** Level of those intervals (default 0.95). */
  readonly ciLevel?: number;
  /** Let the verdict pick a method whose accuracy is below uncalibrated (default false). */
  readonly allowAccuracyDrop?: boolean;
  /** Bins of the binned diagrams (default 15). */
  readonly bins?: number;
  /** Binning scheme of the binned diagrams (default "equal-width"). */
  readonly scheme?: BinScheme;
  /** Bootstrap resamples of the smooth-curve band (default 100; 0 turns the band off). */
  readonly bootstrap?: number;
  /** Seed of the bootstrap (default 0). */
  readonly seed?: number;
  /** Bin counts of the metric-vs-bins curve (default the sweep preset's 5, 10, 15, 20, 25, 50, 100, 200, 500). */
  readonly sweepBins?: readonly number[];
  /** Largest number of classes drawn in the per-class grid (default 10; the most frequent classes are kept). */
  readonly maxGridClasses?: number;
}

/** Everything `buildReportHtml` needs. */
export interface ReportInput {
  /** Heading of the report. */
  readonly title: string;
  /** Optional free text under the heading (data sources, command line). */
  readonly subtitle?: string;
  readonly testSets: readonly ReportTestSet[];
  readonly methods: readonly ReportMethod[];
  readonly options?: ReportOptions;
  /** Class names, index = label, when known. */
  readonly classNames?: readonly string[];
  /** Text of the footer, e.g. the calibra version and the date; left out when absent (keeps output deterministic). */
  readonly footer?: string;
}
