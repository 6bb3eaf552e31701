/**
 * Small, deterministic SVG string helpers shared by the charts: fixed-precision numbers, XML escaping,
 * linear/log scales, axes, and the document wrapper with `<title>`/`<desc>`. No DOM, no Node imports.
 */

/** Okabe & Ito (2008) colour-blind-safe palette, plus greys. */
export const PALETTE = {
  blue: '#0072B2',
  orange: '#E69F00',
  vermillion: '#D55E00',
  sky: '#56B4E9',
  green: '#009E73',
  yellow: '#F0E442',
  purple: '#CC79A7',
  black: '#000000',
  grey: '#6b6b6b',
  lightGrey: '#d9d9d9',
  grid: '#ececec',
} as const;

/** Series colours in order (Okabe–Ito without yellow, which is hard to read on white). */
export const SERIES_COLOURS: readonly string[] = [PALETTE.blue, PALETTE.vermillion, PALETTE.green, PALETTE.orange, PALETTE.purple, PALETTE.sky, PALETTE.black, PALETTE.grey];

/** Attributes of a white halo behind text drawn over data (readable over bars and areas). */
export const HALO = 'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke"';

/** Font stack of every chart (DejaVu Sans is what resvg and the Debian browsers find). */
export const FONT = "'DejaVu Sans', Verdana, Arial, sans-serif";

/**
 * A number with fixed precision for SVG attributes: `fmt(0.1 + 0.2)` → `"0.30"`, `fmt(-0.0001)` → `"0.00"`.
 * Non-finite values become "0" so a chart never holds `NaN`.
 */
export function fmt(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return '0';
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** Escapes text for XML content and attribute values. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** A linear map from [d0, d1] to [r0, r1]. */
export function linear(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (x) => r0 + (x - d0) * k;
}

/** A log10 map from [d0, d1] (both > 0) to [r0, r1]. */
export function log10Scale(d0: number, d1: number, r0: number, r1: number): (x: number) => number {
  const f = linear(Math.log10(d0), Math.log10(d1), r0, r1);
  return (x) => f(Math.log10(x));
}

/** Rectangle of the plotting area inside a chart. */
export interface Frame {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Options of `axes`. */
export interface AxesOptions {
  readonly xTicks: readonly number[];
  readonly yTicks: readonly number[];
  readonly xScale: (x: number) => number;
  readonly yScale: (y: number) => number;
  readonly xLabel?: string;
  readonly yLabel?: string;
  /** Formats tick labels (default: up to 2 decimals, trailing zeros dropped). */
  readonly xFormat?: (v: number) => string;
  readonly yFormat?: (v: number) => string;
  /** Draw horizontal grid lines (default true). */
  readonly grid?: boolean;
  /** Hide x tick labels (for a panel stacked above another). */
  readonly hideXLabels?: boolean;
}

/** Tick label: `tick(0.5)` → "0.5", `tick(1)` → "1", `tick(0.25)` → "0.25". */
export function tick(v: number): string {
  return String(Number(v.toFixed(2)));
}

/** Axis lines, ticks, tick labels, grid and axis titles around `frame`. */
export function axes(frame: Frame, o: AxesOptions): string {
  const xf = o.xFormat ?? tick;
  const yf = o.yFormat ?? tick;
  const bottom = frame.y + frame.h;
  const parts: string[] = [];
  if (o.grid !== false) {
    for (const v of o.yTicks) parts.push(`<line x1="${fmt(frame.x)}" x2="${fmt(frame.x + frame.w)}" y1="${fmt(o.yScale(v))}" y2="${fmt(o.yScale(v))}" stroke="${PALETTE.grid}"/>`);
  }
  parts.push(`<rect x="${fmt(frame.x)}" y="${fmt(frame.y)}" width="${fmt(frame.w)}" height="${fmt(frame.h)}" fill="none" stroke="${PALETTE.grey}"/>`);
  for (const v of o.xTicks) {
    const x = o.xScale(v);
    parts.push(`<line x1="${fmt(x)}" x2="${fmt(x)}" y1="${fmt(bottom)}" y2="${fmt(bottom + 4)}" stroke="${PALETTE.grey}"/>`);
    if (o.hideXLabels !== true) parts.push(`<text x="${fmt(x)}" y="${fmt(bottom + 16)}" text-anchor="middle">${esc(xf(v))}</text>`);
  }
  for (const v of o.yTicks) {
    const y = o.yScale(v);
    parts.push(`<line x1="${fmt(frame.x - 4)}" x2="${fmt(frame.x)}" y1="${fmt(y)}" y2="${fmt(y)}" stroke="${PALETTE.grey}"/>`);
    parts.push(`<text x="${fmt(frame.x - 7)}" y="${fmt(y + 4)}" text-anchor="end">${esc(yf(v))}</text>`);
  }
  if (o.xLabel !== undefined) parts.push(`<text x="${fmt(frame.x + frame.w / 2)}" y="${fmt(bottom + 34)}" text-anchor="middle" font-size="13">${esc(o.xLabel)}</text>`);
  if (o.yLabel !== undefined) {
    const cx = frame.x - 40;
    const cy = frame.y + frame.h / 2;
    parts.push(`<text x="${fmt(cx)}" y="${fmt(cy)}" text-anchor="middle" font-size="13" transform="rotate(-90 ${fmt(cx)} ${fmt(cy)})">${esc(o.yLabel)}</text>`);
  }
  return parts.join('');
}

/** Evenly spaced "nice" ticks from 0 to about `max` (1, 2, 2.5 or 5 × 10^k steps), at most `count + 1` of them. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p);
  const out: number[] = [];
  for (let i = 0; i * step < max + step * 1e-9; i++) out.push(Number((i * step).toPrecision(12)));
  if ((out[out.length - 1] as number) < max) out.push(Number((out.length * step).toPrecision(12)));
  return out;
}

/** One legend entry: a filled box (default), a line or a dashed line. */
export interface LegendItem {
  readonly label: string;
  readonly colour: string;
  readonly kind?: 'box' | 'line' | 'dash';
}

/**
 * A legend row: coloured swatches with labels, starting at (x, y); `background` puts a white box behind it.
 * Wrapped in `<g data-role="legend">` (the layout test checks that no legend box meets a `data-role="data"` mark).
 */
export function legend(x: number, y: number, items: readonly LegendItem[], background = false): string {
  let cx = x;
  const parts: string[] = ['<g data-role="legend">'];
  if (background) {
    const w = items.reduce((s, it) => s + 28 + approxTextWidth(it.label, 12), 0) - 8;
    parts.push(`<rect x="${fmt(x - 5)}" y="${fmt(y - 14)}" width="${fmt(w + 10)}" height="20" fill="#ffffff" fill-opacity="0.85" stroke="${PALETTE.lightGrey}"/>`);
  }
  for (const it of items) {
    if (it.kind === 'line' || it.kind === 'dash') {
      parts.push(`<line x1="${fmt(cx)}" x2="${fmt(cx + 16)}" y1="${fmt(y - 4)}" y2="${fmt(y - 4)}" stroke="${it.colour}" stroke-width="2.5"${it.kind === 'dash' ? ' stroke-dasharray="4 3"' : ''}/>`);
    } else {
      parts.push(`<rect x="${fmt(cx)}" y="${fmt(y - 10)}" width="12" height="12" fill="${it.colour}" fill-opacity="0.8" stroke="${it.colour}"/>`);
    }
    parts.push(`<text x="${fmt(cx + 20)}" y="${fmt(y)}">${esc(it.label)}</text>`);
    cx += 28 + approxTextWidth(it.label, 12);
  }
  parts.push('</g>');
  return parts.join('');
}

/** Width of a {@link legend} row of `items` in px (same estimate as its layout). */
export function legendWidth(items: readonly LegendItem[]): number {
  return items.reduce((s, it) => s + 28 + approxTextWidth(it.label, 12), 0) - 8;
}

/**
 * A value box ("ECE 0.041") as plain text at (x, y), outside the plot area, wrapped in
 * `<g data-role="annotation">`.
 */
export function annotationText(x: number, y: number, text: string): string {
  return `<g data-role="annotation"><text x="${fmt(x)}" y="${fmt(y)}" font-size="12.5">${esc(text)}</text></g>`;
}

/** Rough width of `text` in DejaVu Sans at `size` px (0.6 em per character), for layout only. */
export function approxTextWidth(text: string, size: number): number {
  return text.length * size * 0.6;
}

/** Wraps a chart body in an `<svg>` with `<title>` and `<desc>` (its accessible name and description). */
export function svgDocument(width: number, height: number, title: string, desc: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="${esc(FONT)}" font-size="12" fill="#222">`
    + `<title>${esc(title)}</title><desc>${esc(desc)}</desc>`
    + `<rect width="${width}" height="${height}" fill="#ffffff"/>`
    + body
    + '</svg>\n';
}

/** A polyline path `M x y L x y ...` through the points, with fixed precision. */
export function pathThrough(xs: ArrayLike<number>, ys: ArrayLike<number>, sx: (x: number) => number, sy: (y: number) => number): string {
  const parts: string[] = [];
  for (let i = 0; i < xs.length; i++) parts.push(`${i === 0 ? 'M' : 'L'}${fmt(sx(xs[i] as number))} ${fmt(sy(ys[i] as number))}`);
  return parts.join(' ');
}
