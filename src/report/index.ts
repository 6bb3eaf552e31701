/** The report module: SVG charts and the self-contained HTML report, as pure string builders (browser-safe). */
export * from './types.js';
export { smoothReliabilityCurve, type SmoothCurve, type SmoothCurveOptions } from './smooth-curve.js';
export { REPORT_DEFAULTS } from './compute.js';
export { buildReportHtml, renderReport, type RenderedReport, type ReportChart } from './html.js';
export { REPORT_METRIC_IDS, describeMetric, type MetricDescription, type MetricTable } from './metrics-table.js';
export * from './charts/reliability.js';
export * from './charts/smooth.js';
export * from './charts/histograms.js';
export * from './charts/class-grid.js';
export * from './charts/metric-bins.js';
