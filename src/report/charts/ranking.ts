/**
 * Ranking chart of the report: one row per method, the primary metric on one test set as a dot with its
 * bootstrap interval as a bar, the recommended method highlighted and temperature scaling as a dashed
 * reference line. Method names sit in a column left of the plot and values in a column right of it, so no
 * text is drawn over the marks. Values far outside the others (e.g. NLL 27 of a binning method that puts
 * probability 0 on a label) are drawn as an arrow at the edge with their value.
 */
import { PALETTE, axes, esc, fmt, linear, niceTicks, svgDocument } from '../svg.js';

/** One row of the chart. */
export interface RankingRow {
  readonly label: string;
  readonly value: number;
  readonly low: number;
  readonly high: number;
  /** Drawn bold and green: the recommended method. */
  readonly recommended?: boolean;
  /** Drawn as the dashed reference line (temperature scaling). */
  readonly reference?: boolean;
  /** Drawn grey with the reason in the value column (e.g. excluded for lowering accuracy). */
  readonly excluded?: boolean;
}

/** Options of {@link rankingChartSvg}. */
export interface RankingChartOptions {
  readonly title?: string;
  /** Axis title, e.g. "nll (lower is better)". */
  readonly metricLabel?: string;
  readonly width?: number;
}

/** Row height in px. */
const ROW = 22;

/**
 * The plotted domain: every interval, except values further from the median than both 6 robust spreads
 * (1.4826 × MAD) and 1.5 × |median|, which are drawn off-scale (an NLL of 27 among values near 0.6).
 */
function domain(rows: readonly RankingRow[]): { lo: number; hi: number; inScale: (v: number) => boolean } {
  const vals = rows.map((r) => r.value).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (vals.length === 0) return { lo: 0, hi: 1, inScale: () => false };
  const med = vals[Math.floor((vals.length - 1) / 2)] as number;
  const dev = vals.map((v) => Math.abs(v - med)).sort((a, b) => a - b);
  const mad = 1.4826 * (dev[Math.floor((dev.length - 1) / 2)] as number);
  const reach = Math.max(6 * mad, 1.5 * Math.abs(med), 1e-12);
  const spread = Math.max(mad, 0.05 * Math.abs(med), 1e-12);
  const inScale = (v: number): boolean => Number.isFinite(v) && Math.abs(v - med) <= reach;
  let lo = Infinity;
  let hi = -Infinity;
  for (const r of rows) {
    if (!inScale(r.value)) continue;
    for (const v of [r.value, r.low, r.high]) if (Number.isFinite(v) && inScale(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (!(hi > lo)) { lo = med - spread; hi = med + spread; }
  const pad = 0.04 * (hi - lo);
  return { lo: lo - pad, hi: hi + pad, inScale };
}

/** Ticks across [lo, hi]: nice steps of the range, offset to start at or after lo. */
function rangeTicks(lo: number, hi: number): number[] {
  const base = niceTicks(hi - lo, 4);
  const step = (base[1] as number) - (base[0] as number);
  const first = Math.ceil(lo / step) * step;
  const out: number[] = [];
  for (let v = first; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(10)));
  return out;
}

/**
 * SVG of one ranking panel. Rows are drawn in the given order. Cost O(rows).
 * @example rankingChartSvg([{ label: 'ts', value: 0.53, low: 0.49, high: 0.58, recommended: true }], { title: 'test' }).startsWith('<svg') // => true
 */
export function rankingChartSvg(rows: readonly RankingRow[], opts: RankingChartOptions = {}): string {
  const width = opts.width ?? 420;
  const title = opts.title ?? 'Ranking';
  const labelW = Math.min(150, Math.max(60, ...rows.map((r) => r.label.length * 7 + 10)));
  const valueW = 64;
  const frame = { x: labelW, y: 30, w: width - labelW - valueW - 8, h: Math.max(1, rows.length) * ROW };
  const height = frame.y + frame.h + 44;
  const { lo, hi, inScale } = domain(rows);
  const sx = linear(lo, hi, frame.x, frame.x + frame.w);
  const ticks = rangeTicks(lo, hi);
  const rowY = (i: number): number => frame.y + (i + 0.5) * ROW;
  const parts: string[] = [];
  parts.push(`<text x="8" y="18" font-size="14" font-weight="bold">${esc(title)}</text>`);
  parts.push(axes(frame, { xTicks: ticks, yTicks: [], xScale: sx, yScale: () => 0, grid: false, xFormat: (v) => String(Number(v.toPrecision(3))), ...(opts.metricLabel !== undefined ? { xLabel: opts.metricLabel } : {}) }));
  const ref = rows.find((r) => r.reference === true && inScale(r.value));
  const marks: string[] = [];
  if (ref !== undefined) marks.push(`<line x1="${fmt(sx(ref.value))}" x2="${fmt(sx(ref.value))}" y1="${fmt(frame.y)}" y2="${fmt(frame.y + frame.h)}" stroke="${PALETTE.grey}" stroke-dasharray="4 3"/>`);
  rows.forEach((r, i) => {
    const y = rowY(i);
    const colour = r.recommended === true ? PALETTE.green : r.excluded === true ? PALETTE.lightGrey : PALETTE.blue;
    const weight = r.recommended === true ? ' font-weight="bold"' : '';
    parts.push(`<text x="${fmt(frame.x - 8)}" y="${fmt(y + 4)}" text-anchor="end"${weight}${r.excluded === true ? ` fill="${PALETTE.grey}"` : ''}>${esc(r.label)}</text>`);
    parts.push(`<text x="${fmt(frame.x + frame.w + 6)}" y="${fmt(y + 4)}"${weight}${r.excluded === true ? ` fill="${PALETTE.grey}"` : ''}>${esc(Number.isFinite(r.value) ? (Math.abs(r.value) >= 100 ? r.value.toFixed(1) : r.value.toFixed(4)) : '—')}</text>`);
    if (!Number.isFinite(r.value)) return;
    if (!inScale(r.value)) {
      const right = r.value > hi;
      const x = right ? frame.x + frame.w - 4 : frame.x + 4;
      const d = right ? -7 : 7;
      marks.push(`<path d="M${fmt(x)} ${fmt(y)} L${fmt(x + d)} ${fmt(y - 5)} L${fmt(x + d)} ${fmt(y + 5)} Z" fill="${colour}"><title>${esc(`${r.label}: ${r.value} (off scale)`)}</title></path>`);
      return;
    }
    const clamp = (v: number): number => Math.min(Math.max(v, lo), hi);
    if (Number.isFinite(r.low) && Number.isFinite(r.high)) {
      marks.push(`<line x1="${fmt(sx(clamp(r.low)))}" x2="${fmt(sx(clamp(r.high)))}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="${colour}" stroke-width="3" stroke-linecap="round"/>`);
    }
    marks.push(`<circle cx="${fmt(sx(r.value))}" cy="${fmt(y)}" r="${r.recommended === true ? 5.5 : 4.5}" fill="${colour}" stroke="#ffffff" stroke-width="1"/>`);
  });
  parts.push(`<g data-role="data">${marks.join('')}</g>`);
  const desc = `Ranking of ${rows.length} methods by ${opts.metricLabel ?? 'the primary metric'}: `
    + rows.map((r) => `${r.label} ${Number.isFinite(r.value) ? fmt(r.value, 4) : 'n/a'} [${fmt(r.low, 4)}, ${fmt(r.high, 4)}]${r.recommended === true ? ' (recommended)' : ''}${r.excluded === true ? ' (not considered)' : ''}`).join('; ') + '.';
  return svgDocument(width, height, title, desc, parts.join(''));
}
