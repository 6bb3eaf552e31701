/**
 * Histograms of a per-sample quantity for correct vs wrong predictions, side by side in each bin:
 * top-label confidence (Hendrycks & Gimpel 2017, misclassification detection) and, for CA (Liu et al. 2024,
 * arXiv 2404.13016) and PTS (Tomani et al. 2022), the per-sample temperature on a log axis.
 */
import { PALETTE, axes, esc, fmt, legend, linear, log10Scale, niceTicks, svgDocument } from '../svg.js';

/** Counts of correct and wrong samples per bin over edges `edges` (length bins + 1). */
export interface PairedHistogram {
  readonly edges: Float64Array;
  readonly correct: Float64Array;
  readonly wrong: Float64Array;
}

/**
 * Bins `values` by `edges` into correct and wrong counts. Bins are [lo, hi) except the last, which is
 * closed; values outside [edges[0], edges[last]] are clamped into the end bins. Cost: O(N log bins).
 *
 * @example pairedHistogram(new Float64Array([0.2, 0.9]), new Uint8Array([0, 1]), new Float64Array([0, 0.5, 1])) // => { correct: [0, 1], wrong: [1, 0] }
 */
export function pairedHistogram(values: Float64Array, correct: Uint8Array, edges: Float64Array): PairedHistogram {
  const bins = edges.length - 1;
  const c = new Float64Array(bins);
  const w = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    let lo = 0;
    let hi = bins - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (v >= (edges[mid] as number)) lo = mid; else hi = mid - 1;
    }
    if (correct[i] === 1) c[lo] = (c[lo] as number) + 1; else w[lo] = (w[lo] as number) + 1;
  }
  return { edges, correct: c, wrong: w };
}

/** Options of the paired-histogram charts. */
export interface PairedHistogramOptions {
  readonly title?: string;
  readonly width?: number;
  readonly height?: number;
}

function pairedHistogramSvg(h: PairedHistogram, sx: (x: number) => number, xTicks: readonly number[], xLabel: string, xFormat: ((v: number) => string) | undefined, title: string, descHead: string, width: number, height: number): string {
  const frame = { x: 58, y: 46, w: width - 58 - 14, h: height - 46 - 48 };
  let maxCount = 0;
  for (let b = 0; b < h.correct.length; b++) maxCount = Math.max(maxCount, h.correct[b] as number, h.wrong[b] as number);
  const yTicks = niceTicks(maxCount, 4);
  const sy = linear(0, yTicks[yTicks.length - 1] as number, frame.y + frame.h, frame.y);
  const parts: string[] = [];
  parts.push(`<text x="58" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  parts.push(axes(frame, { xTicks, yTicks, xScale: sx, yScale: sy, xLabel, yLabel: 'Samples', ...(xFormat !== undefined ? { xFormat } : {}) }));
  const good: string[] = [];
  const bad: string[] = [];
  for (let b = 0; b < h.correct.length; b++) {
    const x0 = sx(h.edges[b] as number);
    const x1 = sx(h.edges[b + 1] as number);
    const half = Math.max((x1 - x0) / 2 - 0.5, 0.5);
    const nc = h.correct[b] as number;
    const nw = h.wrong[b] as number;
    if (nc > 0) good.push(`<rect x="${fmt(x0 + 0.5)}" y="${fmt(sy(nc))}" width="${fmt(half)}" height="${fmt(frame.y + frame.h - sy(nc))}"/>`);
    if (nw > 0) bad.push(`<rect x="${fmt(x0 + 0.5 + half)}" y="${fmt(sy(nw))}" width="${fmt(half)}" height="${fmt(frame.y + frame.h - sy(nw))}"/>`);
  }
  parts.push(`<g data-role="data" fill="${PALETTE.blue}" fill-opacity="0.85">${good.join('')}</g>`);
  parts.push(`<g data-role="data" fill="${PALETTE.orange}" fill-opacity="0.9">${bad.join('')}</g>`);
  const totC = h.correct.reduce((s, v) => s + v, 0);
  const totW = h.wrong.reduce((s, v) => s + v, 0);
  parts.push(legend(frame.x, 36, [{ label: `correct (${totC})`, colour: PALETTE.blue }, { label: `wrong (${totW})`, colour: PALETTE.orange }]));
  const desc = `${descHead} ${totC} correct and ${totW} wrong samples in ${h.correct.length} bins. Counts per bin (correct/wrong): `
    + Array.from(h.correct, (v, b) => `${fmt(h.edges[b] as number, 3)}: ${v}/${h.wrong[b] as number}`).join(', ') + '.';
  return svgDocument(width, height, title, desc, parts.join(''));
}

/**
 * SVG histogram of top-label confidence for correct vs wrong samples, `bins` equal-width bins on [0, 1]
 * (default 20). Cost: O(N log bins).
 *
 * @example confidenceHistogramSvg(Float64Array.of(0.6, 0.9), Uint8Array.of(0, 1), { bins: 10 }).startsWith('<svg') // => true
 */
export function confidenceHistogramSvg(confidences: Float64Array, correct: Uint8Array, opts: PairedHistogramOptions & { readonly bins?: number } = {}): string {
  const bins = opts.bins ?? 20;
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = b / bins;
  const h = pairedHistogram(confidences, correct, edges);
  const width = opts.width ?? 420;
  const height = opts.height ?? 300;
  const sx = linear(0, 1, 58, width - 14);
  return pairedHistogramSvg(h, sx, [0, 0.2, 0.4, 0.6, 0.8, 1], 'Confidence', undefined, opts.title ?? 'Confidence of correct vs wrong', 'Histogram of top-label confidence:', width, height);
}

/**
 * SVG histogram of per-sample temperatures (CA, PTS) for correct vs wrong samples, on a log axis.
 * The range spans the data (rounded out to powers of ten over [0.1, 10] by default, CA's clamp range);
 * `bins` log-spaced bins (default 24). Cost: O(N log bins).
 *
 * @example temperatureHistogramSvg(new Float64Array([0.8, 2.5]), new Uint8Array([1, 0])).startsWith('<svg') // => true
 */
export function temperatureHistogramSvg(temperatures: Float64Array, correct: Uint8Array, opts: PairedHistogramOptions & { readonly bins?: number } = {}): string {
  const bins = opts.bins ?? 24;
  let tmin = Infinity;
  let tmax = -Infinity;
  for (const v of temperatures) if (v > 0 && Number.isFinite(v)) { tmin = Math.min(tmin, v); tmax = Math.max(tmax, v); }
  const lo = Number.isFinite(tmin) ? Math.min(0.1, 10 ** Math.floor(Math.log10(tmin))) : 0.1;
  const hi = Number.isFinite(tmax) ? Math.max(10, 10 ** Math.ceil(Math.log10(tmax))) : 10;
  const edges = new Float64Array(bins + 1);
  const l0 = Math.log10(lo);
  const l1 = Math.log10(hi);
  for (let b = 0; b <= bins; b++) edges[b] = 10 ** (l0 + ((l1 - l0) * b) / bins);
  const h = pairedHistogram(temperatures, correct, edges);
  const width = opts.width ?? 420;
  const height = opts.height ?? 300;
  const sx = log10Scale(lo, hi, 58, width - 14);
  const xTicks: number[] = [];
  for (let e = Math.round(l0); e <= Math.round(l1); e++) { xTicks.push(10 ** e); if (e < Math.round(l1)) { xTicks.push(2 * 10 ** e); xTicks.push(5 * 10 ** e); } }
  return pairedHistogramSvg(h, sx, xTicks, 'Per-sample temperature T (log scale; T > 1 softens)', (v) => String(Number(v.toPrecision(2))), opts.title ?? 'Temperatures of correct vs wrong', 'Histogram of per-sample temperatures:', width, height);
}
