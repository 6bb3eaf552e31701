/**
 * Smooth reliability diagram (Błasiok & Nakkiran, ICLR 2024, as drawn by apple/ml-calibration's relplot):
 * the kernel-smoothed accuracy curve (at min(smECE, Silverman's bandwidth), smooth-curve.ts), its bootstrap band, the diagonal, and the
 * density of confidences below.
 */
import type { SmoothCurve } from '../smooth-curve.js';
import { PALETTE, annotationText, axes, type LegendItem, esc, fmt, legend, linear, pathThrough, svgDocument } from '../svg.js';

/** Options of `smoothReliabilitySvg`. */
export interface SmoothReliabilityOptions {
  readonly title?: string;
  /** Width and height in px (defaults 380 × 440). */
  readonly width?: number;
  readonly height?: number;
}

/**
 * The curve as runs of segments whose opacity follows the density of confidences (as relplot draws
 * thickness): faint where few samples support it. Opacity = clamp(3 · density / max density, 0.2, 1),
 * rounded to 0.1 so the output stays small and deterministic.
 */
function curvePaths(curve: SmoothCurve, sx: (x: number) => number, sy: (y: number) => number): string {
  const m = curve.t.length;
  let dmax = 0;
  for (let j = 0; j < m; j++) dmax = Math.max(dmax, curve.density[j] as number);
  const level = (j: number): number => {
    const d = dmax > 0 ? (0.5 * ((curve.density[j] as number) + (curve.density[j + 1] as number))) / dmax : 1;
    return Math.round(Math.min(Math.max(3 * d, 0.2), 1) * 10) / 10;
  };
  const out: string[] = [];
  let j = 0;
  while (j < m - 1) {
    const op = level(j);
    let e = j + 1;
    while (e < m - 1 && level(e) === op) e++;
    const xs = curve.t.subarray(j, e + 1);
    const ys = curve.mu.subarray(j, e + 1);
    out.push(`<path d="${pathThrough(xs, ys, sx, sy)}" fill="none" stroke="${PALETTE.blue}" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"${op < 1 ? ` stroke-opacity="${op.toFixed(1)}"` : ''}/>`);
    j = e;
  }
  return out.join('');
}

/**
 * SVG of a smooth reliability diagram from `smoothReliabilityCurve`'s result. Cost: O(mesh).
 *
 * @example
 * import { smoothReliabilityCurve } from '../smooth-curve.js';
 * const conf = Float64Array.of(0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67), correct = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1);
 * smoothReliabilitySvg(smoothReliabilityCurve(conf, correct)).startsWith('<svg') // => true
 */
export function smoothReliabilitySvg(curve: SmoothCurve, opts: SmoothReliabilityOptions = {}): string {
  const width = opts.width ?? 380;
  const height = opts.height ?? 440;
  const title = opts.title ?? 'Smooth reliability diagram';
  const left = 58;
  // title, then the smECE line and the legend in their own rows above the plot (never over the curve)
  const top = 66;
  const plotW = width - left - 14;
  const histH = Math.round((height - top - 46 - 14) * 0.22);
  const mainH = height - top - 46 - 14 - histH;
  const main = { x: left, y: top, w: plotW, h: mainH };
  const dens = { x: left, y: top + mainH + 14, w: plotW, h: histH };
  const sx = linear(0, 1, main.x, main.x + main.w);
  const sy = linear(0, 1, main.y + main.h, main.y);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];
  const clampY = (v: number): number => sy(Math.min(Math.max(v, 0), 1));
  const parts: string[] = [];
  parts.push(`<text x="${fmt(left)}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  parts.push(axes(main, { xTicks: ticks, yTicks: ticks, xScale: sx, yScale: sy, yLabel: 'Accuracy (smoothed)', hideXLabels: true }));
  const m = curve.t.length;
  if (curve.lower.length === m && m > 0) {
    const pts: string[] = [];
    for (let j = 0; j < m; j++) pts.push(`${fmt(sx(curve.t[j] as number))},${fmt(clampY(curve.upper[j] as number))}`);
    for (let j = m - 1; j >= 0; j--) pts.push(`${fmt(sx(curve.t[j] as number))},${fmt(clampY(curve.lower[j] as number))}`);
    parts.push(`<polygon data-role="data" points="${pts.join(' ')}" fill="${PALETTE.sky}" fill-opacity="0.35" stroke="none"/>`);
  }
  parts.push(`<line x1="${fmt(sx(0))}" y1="${fmt(sy(0))}" x2="${fmt(sx(1))}" y2="${fmt(sy(1))}" stroke="${PALETTE.black}" stroke-dasharray="5 4" stroke-width="1.2"/>`);
  parts.push(`<g data-role="data">${curvePaths(curve, sx, clampY)}</g>`);
  parts.push(annotationText(left, 38, `smECE ${fmt(curve.smece, 4)} (curve bandwidth ${fmt(curve.sigma, 3)})`));
  const items: LegendItem[] = [{ label: 'smoothed', colour: PALETTE.blue, kind: 'line' }];
  if (curve.lower.length === m) items.push({ label: `${Math.round(curve.level * 100)}% band`, colour: PALETTE.sky });
  parts.push(legend(left, 57, items));

  let dmax = 0;
  for (let j = 0; j < m; j++) dmax = Math.max(dmax, curve.density[j] as number);
  const dy = linear(0, dmax > 0 ? dmax : 1, dens.y + dens.h, dens.y + 4);
  parts.push(axes(dens, { xTicks: ticks, yTicks: [], xScale: sx, yScale: dy, xLabel: 'Confidence', yLabel: 'Density', grid: false }));
  const area = `${pathThrough(curve.t, curve.density, sx, dy)} L${fmt(sx(1))} ${fmt(dens.y + dens.h)} L${fmt(sx(0))} ${fmt(dens.y + dens.h)} Z`;
  parts.push(`<path data-role="data" d="${area}" fill="${PALETTE.grey}" fill-opacity="0.6" stroke="${PALETTE.grey}"/>`);

  const desc = `Kernel-smoothed reliability curve of ${curve.samples} samples at bandwidth ${fmt(curve.sigma, 4)}; smECE ${fmt(curve.smece, 4)}`
    + (curve.lower.length === m ? `; shaded: ${Math.round(curve.level * 100)}% bootstrap band` : '')
    + `. Smoothed accuracy at confidence 0.25, 0.5, 0.75, 1: ${[0.25, 0.5, 0.75, 1].map((q) => fmt(curve.mu[Math.round(q * (m - 1))] as number, 3)).join(', ')}.`;
  return svgDocument(width, height, title, desc, parts.join(''));
}
