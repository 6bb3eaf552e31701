/**
 * The numbers of the report's tables: `evaluateMetrics` (src/metrics/evaluate.ts) for every
 * (test set, method), with each id's definition and source from the metric table (src/metrics/ids.ts).
 */
import { evaluateMetrics } from '../metrics/evaluate.js';
import { METRICS, parseMetricId } from '../metrics/ids.js';
import type { ResolvedReportOptions } from './compute.js';
import type { ReportInput } from './types.js';

/** Metric ids of the report when none are given: a readable subset of the `default` preset. */
export const REPORT_METRIC_IDS: readonly string[] = ['accuracy', 'ece', 'ece_em', 'mce', 'cw_ece', 'smece', 'brier', 'nll', 'auroc'];

/** Metric bases where a higher value is better (all others: lower is better). */
export const HIGHER_IS_BETTER: ReadonlySet<string> = new Set(['accuracy', 'auroc', 'aupr_success', 'aupr_error', 'ca_paper.auc']);

/** Name, definition and direction of one metric id. */
export interface MetricDescription {
  readonly name: string;
  readonly definition: string;
  readonly higherIsBetter: boolean;
}

/** `values[t][m][id]`: metric `id` of method m on test set t. */
export interface MetricTable {
  readonly ids: readonly string[];
  readonly info: ReadonlyMap<string, MetricDescription>;
  readonly values: readonly (readonly Record<string, number>[])[];
}

/**
 * Describes an id from the metric table: `describeMetric('ece@25').definition` starts with "Σ_b (n_b/N)".
 * Throws E_OPTION for an unknown id. Cost O(number of metrics).
 */
export function describeMetric(id: string): MetricDescription {
  const spec = parseMetricId(id);
  const m = METRICS.find((x) => x.base === spec.base);
  const bins = spec.bins > 0 ? ` (B = ${spec.bins})` : '';
  const definition = m === undefined ? '' : `${m.definition}${bins}. Source: ${m.source}.`;
  return { name: `${spec.base}${bins}`, definition, higherIsBetter: HIGHER_IS_BETTER.has(spec.base) };
}

/**
 * Evaluates the report's metric ids (plus the primary metric) for every test set and method.
 * Cost: that of `evaluateMetrics` per (test set, method).
 */
export function evaluateReportMetrics(input: ReportInput, opts: ResolvedReportOptions): MetricTable {
  const ids = [...new Set([...(opts.metricIds ?? REPORT_METRIC_IDS), opts.primaryMetric, 'accuracy'])];
  const info = new Map(ids.map((id) => [id, describeMetric(id)]));
  const values = input.testSets.map((ts, t) => input.methods.map((m) => {
    const probs = m.probs[t];
    return probs === undefined ? {} : evaluateMetrics(probs, ts.labels, ids);
  }));
  return { ids, info, values };
}
