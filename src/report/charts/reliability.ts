/**
 * Binned reliability diagram (DeGroot & Fienberg 1983; the form of Guo et al. 2017, Fig. 1): per bin, a bar
 * up to the accuracy, a gap bar between accuracy and mean confidence, the diagonal of perfect calibration,
 * and below it a histogram of the share of samples per bin.
 */
import type { BinRecord } from '../types.js';
import { PALETTE, annotationText, axes, esc, fmt, legend, linear, niceTicks, svgDocument } from '../svg.js';

/** Options of `reliabilityDiagramSvg`. */
export interface ReliabilityDiagramOptions {
  /** Chart title (also the SVG `<title>`), default "Reliability diagram". */
  readonly title?: string;
  /** A line of text between the title and the plot (never over the bars), e.g. "ECE 0.041". */
  readonly annotation?: string;
  /** Width and height in px (defaults 380 × 440). */
  readonly width?: number;
  readonly height?: number;
  /** Axis title of x (default "Confidence"). */
  readonly xLabel?: string;
  /** Axis title of y (default "Accuracy"). */
  readonly yLabel?: string;
}

/**
 * SVG of a binned reliability diagram from bin records (as returned by `reliabilityBins`).
 * Empty bins draw nothing. Cost: O(bins).
 *
 * @example
 * const bins = [{ lo: 0, hi: 0.5, count: 2, meanConfidence: 0.45, accuracy: 0 }, { lo: 0.5, hi: 1, count: 2, meanConfidence: 0.8, accuracy: 1 }];
 * reliabilityDiagramSvg(bins).startsWith('<svg') // => true
 */
export function reliabilityDiagramSvg(bins: readonly BinRecord[], opts: ReliabilityDiagramOptions = {}): string {
  const width = opts.width ?? 380;
  const height = opts.height ?? 440;
  const title = opts.title ?? 'Reliability diagram';
  const left = 58;
  const right = 14;
  // title, then the value line and the legend in their own rows above the plot: nothing is drawn over the bars
  const top = opts.annotation !== undefined ? 66 : 48;
  const gapBetween = 14;
  const bottomAxis = 46;
  const plotW = width - left - right;
  const histH = Math.round((height - top - bottomAxis - gapBetween) * 0.22);
  const mainH = height - top - bottomAxis - gapBetween - histH;
  const main = { x: left, y: top, w: plotW, h: mainH };
  const hist = { x: left, y: top + mainH + gapBetween, w: plotW, h: histH };
  const sx = linear(0, 1, main.x, main.x + main.w);
  const sy = linear(0, 1, main.y + main.h, main.y);
  const total = bins.reduce((s, b) => s + b.count, 0);
  const maxShare = total > 0 ? Math.max(...bins.map((b) => b.count / total)) : 1;
  const shareTicks = niceTicks(maxShare, 2);
  const shareMax = shareTicks[shareTicks.length - 1] as number;
  const hy = linear(0, shareMax, hist.y + hist.h, hist.y);
  const ticks = [0, 0.2, 0.4, 0.6, 0.8, 1];

  const parts: string[] = [];
  parts.push(`<text x="${fmt(left)}" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  parts.push(axes(main, { xTicks: ticks, yTicks: ticks, xScale: sx, yScale: sy, yLabel: opts.yLabel ?? 'Accuracy', hideXLabels: true }));
  const bars: string[] = [];
  const gaps: string[] = [];
  const inner: string[] = [];
  const hbars: string[] = [];
  for (const b of bins) {
    if (b.count <= 0) continue;
    const x0 = sx(b.lo) + 0.5;
    const w = Math.max(sx(b.hi) - sx(b.lo) - 1, 0.5);
    const yAcc = sy(b.accuracy);
    bars.push(`<rect x="${fmt(x0)}" y="${fmt(yAcc)}" width="${fmt(w)}" height="${fmt(main.y + main.h - yAcc)}"/>`);
    const yConf = sy(b.meanConfidence);
    (b.meanConfidence > b.accuracy ? gaps : inner).push(`<rect x="${fmt(x0)}" y="${fmt(Math.min(yAcc, yConf))}" width="${fmt(w)}" height="${fmt(Math.abs(yConf - yAcc))}"/>`);
    const share = b.count / total;
    hbars.push(`<rect x="${fmt(x0)}" y="${fmt(hy(share))}" width="${fmt(w)}" height="${fmt(hist.y + hist.h - hy(share))}"/>`);
  }
  parts.push(`<g data-role="data" fill="${PALETTE.blue}" fill-opacity="0.85" stroke="${PALETTE.blue}" stroke-width="0.5">${bars.join('')}</g>`);
  // Gap above the bar (overconfident) is tinted red; gap inside the bar (underconfident) lightens the bar.
  parts.push(`<g data-role="data" fill="${PALETTE.vermillion}" fill-opacity="0.2" stroke="${PALETTE.vermillion}" stroke-width="1.5">${gaps.join('')}</g>`);
  parts.push(`<g data-role="data" fill="#ffffff" fill-opacity="0.45" stroke="${PALETTE.vermillion}" stroke-width="1.5">${inner.join('')}</g>`);
  parts.push(`<line x1="${fmt(sx(0))}" y1="${fmt(sy(0))}" x2="${fmt(sx(1))}" y2="${fmt(sy(1))}" stroke="${PALETTE.black}" stroke-dasharray="5 4" stroke-width="1.2"/>`);
  if (opts.annotation !== undefined) parts.push(annotationText(left, 38, opts.annotation));
  parts.push(legend(left, opts.annotation !== undefined ? 57 : 39, [{ label: 'Accuracy', colour: PALETTE.blue }, { label: 'Gap to confidence', colour: PALETTE.vermillion }]));
  parts.push(axes(hist, { xTicks: ticks, yTicks: shareTicks, xScale: sx, yScale: hy, xLabel: opts.xLabel ?? 'Confidence', yLabel: 'Share', grid: false, yFormat: (v) => `${Math.round(v * 100)}%` }));
  parts.push(`<g data-role="data" fill="${PALETTE.grey}" fill-opacity="0.75">${hbars.join('')}</g>`);

  const nonEmpty = bins.filter((b) => b.count > 0);
  const desc = `Binned reliability diagram over ${bins.length} bins (${nonEmpty.length} non-empty, ${total} samples). `
    + nonEmpty.map((b) => `[${fmt(b.lo, 3)}, ${fmt(b.hi, 3)}]: n=${b.count}, confidence ${fmt(b.meanConfidence, 3)}, accuracy ${fmt(b.accuracy, 3)}`).join('; ')
    + (opts.annotation !== undefined ? `. ${opts.annotation}` : '');
  return svgDocument(width, height, title, desc, parts.join(''));
}
