/**
 * Per-class reliability grid: one small reliability diagram per class k for the binary view
 * (scores p_ik, targets 1[y_i = k]) — the picture behind class-wise ECE (Kull et al. 2019) and PyCalib's
 * per-class diagrams.
 */
import type { BinRecord } from '../types.js';
import { PALETTE, esc, fmt, linear, svgDocument } from '../svg.js';

/** One cell of the grid. */
export interface ClassCell {
  /** Class name or index shown above the cell. */
  readonly name: string;
  /** Bins of p_ik against 1[y = k] (`reliabilityBins` on the binary view). */
  readonly bins: readonly BinRecord[];
  /** Number of samples whose label is k. */
  readonly positives: number;
}

/** Options of `classReliabilityGridSvg`. */
export interface ClassGridOptions {
  readonly title?: string;
  /** Cells per row (default 5). */
  readonly columns?: number;
  /** Side of one cell's plot in px (default 120). */
  readonly cellSize?: number;
}

/**
 * SVG grid of per-class reliability diagrams; each cell shows observed frequency (bars) vs mean
 * predicted probability (gap), the diagonal, and the class's positives. Cost: O(classes × bins).
 *
 * @example
 * const bins = [{ lo: 0, hi: 0.5, count: 10, meanConfidence: 0.2, accuracy: 0.3 }, { lo: 0.5, hi: 1, count: 10, meanConfidence: 0.8, accuracy: 0.9 }];
 * classReliabilityGridSvg([{ name: 'cat', bins, positives: 12 }]).startsWith('<svg') // => true
 */
export function classReliabilityGridSvg(cells: readonly ClassCell[], opts: ClassGridOptions = {}): string {
  const cols = Math.max(1, Math.min(opts.columns ?? 5, cells.length));
  const rows = Math.ceil(cells.length / cols);
  const size = opts.cellSize ?? 120;
  const padL = 34;
  const padT = 22;
  const cellW = size + padL + 10;
  const cellH = size + padT + 24;
  const width = Math.max(cols * cellW + 16, 380);
  const height = 66 + rows * cellH;
  const title = opts.title ?? 'Per-class reliability';
  const parts: string[] = [];
  parts.push(`<text x="16" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  parts.push(`<text x="16" y="34" font-size="11" fill="${PALETTE.grey}">x: predicted probability of the class</text>`);
  parts.push(`<text x="16" y="48" font-size="11" fill="${PALETTE.grey}">y: observed frequency (bars); red: gap to the mean prediction</text>`);
  const descCells: string[] = [];
  cells.forEach((cell, idx) => {
    const ox = 16 + (idx % cols) * cellW + padL;
    const oy = 56 + Math.floor(idx / cols) * cellH + padT;
    const sx = linear(0, 1, ox, ox + size);
    const sy = linear(0, 1, oy + size, oy);
    parts.push(`<text x="${fmt(ox)}" y="${fmt(oy - 6)}" font-size="12" font-weight="bold">${esc(cell.name)}</text>`);
    parts.push(`<rect x="${fmt(ox)}" y="${fmt(oy)}" width="${fmt(size)}" height="${fmt(size)}" fill="none" stroke="${PALETTE.grey}"/>`);
    for (const v of [0, 0.5, 1]) {
      parts.push(`<text x="${fmt(ox - 4)}" y="${fmt(sy(v) + 3)}" font-size="9" text-anchor="end">${v}</text>`);
      parts.push(`<text x="${fmt(sx(v))}" y="${fmt(oy + size + 11)}" font-size="9" text-anchor="middle">${v}</text>`);
    }
    const bars: string[] = [];
    const gaps: string[] = [];
    const inner: string[] = [];
    let ece = 0;
    let total = 0;
    for (const b of cell.bins) {
      if (b.count <= 0) continue;
      total += b.count;
      ece += b.count * Math.abs(b.accuracy - b.meanConfidence);
      const x0 = sx(b.lo) + 0.3;
      const w = Math.max(sx(b.hi) - sx(b.lo) - 0.6, 0.4);
      bars.push(`<rect x="${fmt(x0)}" y="${fmt(sy(b.accuracy))}" width="${fmt(w)}" height="${fmt(oy + size - sy(b.accuracy))}"/>`);
      (b.meanConfidence > b.accuracy ? gaps : inner).push(`<rect x="${fmt(x0)}" y="${fmt(sy(Math.max(b.accuracy, b.meanConfidence)))}" width="${fmt(w)}" height="${fmt(Math.abs(sy(b.accuracy) - sy(b.meanConfidence)))}"/>`);
    }
    parts.push(`<g data-role="data" fill="${PALETTE.blue}" fill-opacity="0.85">${bars.join('')}</g>`);
    parts.push(`<g data-role="data" fill="${PALETTE.vermillion}" fill-opacity="0.2" stroke="${PALETTE.vermillion}" stroke-width="0.8">${gaps.join('')}</g>`);
    parts.push(`<g data-role="data" fill="#ffffff" fill-opacity="0.45" stroke="${PALETTE.vermillion}" stroke-width="0.8">${inner.join('')}</g>`);
    parts.push(`<line x1="${fmt(sx(0))}" y1="${fmt(sy(0))}" x2="${fmt(sx(1))}" y2="${fmt(sy(1))}" stroke="${PALETTE.black}" stroke-dasharray="3 3"/>`);
    const classEce = total > 0 ? ece / total : 0;
    // the value sits in the cell's heading row, never over the bars
    parts.push(`<g data-role="annotation"><text x="${fmt(ox + size)}" y="${fmt(oy - 6)}" font-size="10" text-anchor="end" fill="${PALETTE.grey}">ECE ${fmt(classEce, 3)} · n+ = ${cell.positives}</text></g>`);
    descCells.push(`${cell.name}: ${cell.positives} positives, binned ECE ${fmt(classEce, 3)}`);
  });
  const desc = `Grid of ${cells.length} per-class reliability diagrams (one-vs-rest view). ${descCells.join('; ')}.`;
  return svgDocument(width, height, title, desc, parts.join(''));
}
