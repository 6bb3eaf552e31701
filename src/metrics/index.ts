/**
 * `calibra/metrics`: calibration and ranking metrics with explicit binning (docs/metrics.md). Browser-safe, no
 * native package. The metric table (`METRICS`, ids like `ece@15`, presets) drives `evaluateMetrics`; the
 * single metrics below are the same kernels called directly. Internals (bin accumulators, summaries, partial
 * sums) are not part of this surface.
 *
 * @example
 * ```ts
 * import { evaluateMetrics, presetMetricIds } from 'calibra/metrics';
 * const probs = { data: Float64Array.of(0.9, 0.1, 0.2, 0.8, 0.6, 0.4), rows: 3, cols: 2 };
 * const values = evaluateMetrics(probs, Int32Array.of(0, 1, 1), presetMetricIds('default'));
 * values['accuracy'] // ~> 0.666667
 * ```
 */
export { evaluateMetrics, evaluateLogits, MetricAccumulator, type EvaluateOptions } from './evaluate.js';
export { METRICS, METRIC_ALIASES, MAX_BINS, parseMetricId, presetMetricIds, type MetricInfo, type MetricSpec, type PresetName } from './ids.js';
export { parseMetricIds } from './evaluate.js';
export { bootstrapIntervals, type BootstrapOptions, type Interval } from './bootstrap.js';
export { reliabilityBins, equalWidthBin, EDGE_RULES, type BinRecord, type EdgeRule } from './binning.js';
export { summarizeProbs, type SampleSummary } from './summary.js';
export { auroc, averagePrecision, fprAt95Tpr, aurc, eaurc, ksError } from './ranking.js';
export { mmce, kdeEce, smece, smoothEceDetails, type SmoothEceDetails } from './kernel.js';
export { caPaperEce, caPaperMce, caPaperAce, caPaperKs, caPaperSce } from './ca-paper.js';
export { netcalAce } from './netcal.js';
