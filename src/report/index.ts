/** The report module: SVG charts and the self-contained HTML report, as pure string builders (browser-safe). */
export * from './types.js';
export * from './svg.js';
export * from './smooth-curve.js';
export * from './compute.js';
export * from './html.js';
export * from './metrics-table.js';
export * from './charts/reliability.js';
export * from './charts/smooth.js';
export * from './charts/histograms.js';
export * from './charts/class-grid.js';
export * from './charts/metric-bins.js';
