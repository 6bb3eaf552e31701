/**
 * Metric-vs-bins curve: how a binned metric (ECE) moves with the number of bins, one line per series
 * (method or binning scheme) — the sensitivity study of Tao et al., ICLR 2024 ("A Benchmark Study on
 * Calibration") and of Nixon et al. 2019, drawn from the sweep preset's bin counts.
 */
import { SERIES_COLOURS, approxTextWidth, axes, esc, fmt, legend, log10Scale, linear, niceTicks, svgDocument } from '../svg.js';

/** One line: values of the metric at each bin count. */
export interface MetricSeries {
  readonly name: string;
  readonly bins: readonly number[];
  readonly values: readonly number[];
  /** Dashed line (e.g. for equal-mass next to equal-width). */
  readonly dashed?: boolean;
}

/** Options of `metricVsBinsSvg`. */
export interface MetricVsBinsOptions {
  readonly title?: string;
  /** Label of the y axis (default "ECE"). */
  readonly metric?: string;
  readonly width?: number;
  readonly height?: number;
}

/**
 * SVG line chart of a metric against the number of bins (log x axis). Cost: O(series × points).
 *
 * @example metricVsBinsSvg([{name: 'ts', bins: [5, 10, 15], values: [0.02, 0.03, 0.035]}]).startsWith('<svg') // => true
 */
export function metricVsBinsSvg(series: readonly MetricSeries[], opts: MetricVsBinsOptions = {}): string {
  const width = opts.width ?? 460;
  const colW = Math.max(60, ...series.map((s) => 30 + approxTextWidth(s.name, 12)));
  const perRow = Math.max(1, Math.floor((width - 62 - 16) / colW));
  const legendRows = Math.ceil(series.length / perRow);
  const colour = (i: number): string => SERIES_COLOURS[i % SERIES_COLOURS.length] as string;
  // After the palette runs out, lines repeat its colours dashed.
  const dashedAt = (i: number): boolean => series[i]?.dashed === true || Math.floor(i / SERIES_COLOURS.length) % 2 === 1;
  const height = opts.height ?? 300 + legendRows * 18;
  const title = opts.title ?? 'ECE vs number of bins';
  const metric = opts.metric ?? 'ECE';
  const frame = { x: 62, y: 30 + legendRows * 18, w: width - 62 - 16, h: height - 30 - legendRows * 18 - 48 };
  let bmin = Infinity;
  let bmax = -Infinity;
  let vmax = 0;
  for (const s of series) {
    for (const b of s.bins) { bmin = Math.min(bmin, b); bmax = Math.max(bmax, b); }
    for (const v of s.values) if (Number.isFinite(v)) vmax = Math.max(vmax, v);
  }
  if (!Number.isFinite(bmin)) { bmin = 1; bmax = 10; }
  if (bmax <= bmin) bmax = bmin * 10;
  const sx = log10Scale(bmin, bmax, frame.x + 8, frame.x + frame.w - 8);
  const yTicks = niceTicks(vmax, 4);
  const sy = linear(0, yTicks[yTicks.length - 1] as number, frame.y + frame.h, frame.y);
  const xTicks = [...new Set(series.flatMap((s) => s.bins))].sort((a, b) => a - b);
  const parts: string[] = [];
  parts.push(`<text x="${fmt(frame.x)}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  parts.push(axes(frame, { xTicks, yTicks, xScale: sx, yScale: sy, xLabel: 'Number of bins (log scale)', yLabel: metric }));
  const descParts: string[] = [];
  series.forEach((s, i) => {
    const c = colour(i);
    const pts: string[] = [];
    const dots: string[] = [];
    for (let j = 0; j < s.bins.length; j++) {
      const v = s.values[j] as number;
      if (!Number.isFinite(v)) continue;
      const x = sx(s.bins[j] as number);
      const y = sy(v);
      pts.push(`${pts.length === 0 ? 'M' : 'L'}${fmt(x)} ${fmt(y)}`);
      dots.push(`<circle cx="${fmt(x)}" cy="${fmt(y)}" r="3"/>`);
    }
    parts.push(`<path data-role="data" d="${pts.join(' ')}" fill="none" stroke="${c}" stroke-width="2"${dashedAt(i) ? ' stroke-dasharray="6 4"' : ''}/>`);
    parts.push(`<g data-role="data" fill="${c}">${dots.join('')}</g>`);
    descParts.push(`${s.name}: ${s.bins.map((b, j) => `${b} bins ${fmt(s.values[j] as number, 4)}`).join(', ')}`);
  });
  series.forEach((s, i) => {
    const x = frame.x + (i % perRow) * colW;
    parts.push(legend(x, 38 + Math.floor(i / perRow) * 18, [{ label: s.name, colour: colour(i), kind: dashedAt(i) ? 'dash' : 'line' }]));
  });
  const desc = `${metric} at each number of bins. ${descParts.join('; ')}.`;
  return svgDocument(width, height, title, desc, parts.join(''));
}
