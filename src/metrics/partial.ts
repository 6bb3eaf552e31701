/**
 * The additive statistics of a {@link MetricAccumulator} (running sums, binned statistics, the CA paper's
 * SCE sums), as a plain structured-cloneable record, with exact-order addition. The accumulator sums rows
 * into a fresh record per block of {@link BLOCK_ROWS} rows (by absolute row index) and adds each block's
 * record into its total in row order; so the value never depends on how rows were split into chunks,
 * streamed, or spread over worker threads — every path performs the same floating-point additions.
 */
import { createBinnedStats, type BinnedStats, type EdgeRule } from './binning.js';

/**
 * Rows per block of the fixed reduction order. Blocks start at multiples of this absolute row index.
 * Changing it changes results in the last bits; 4096 keeps the per-block flush (O(K·B) per class-wise
 * bin count) under 1% of the row work for K·B ≤ 4096·K.
 */
export const BLOCK_ROWS = 4096;

/** Running sums for the `sums` ids. */
export interface Sums { n: number; correct: number; brier: number; brierTop: number; nll: number }

/** Every additive statistic the requested ids need (plain data: can be posted to a worker thread). */
export interface PartialStats {
  readonly sums: Sums;
  /** Top-label bins, keyed by bin count. */
  readonly top: Map<number, BinnedStats>;
  /** Top-label-conditional bins (group = predicted class), keyed by bin count. */
  readonly cond: Map<number, BinnedStats>;
  /** Class-wise bins (group = class), keyed by bin count. */
  readonly cls: Map<number, BinnedStats>;
  /** The CA paper's SCE sums (3·K·B), keyed by bin count. */
  readonly caSce: Map<number, Float64Array>;
}

/** Which bin counts each kind of statistic is kept for. */
export interface PartialLayout {
  readonly classes: number;
  readonly rule: EdgeRule;
  readonly top: readonly number[];
  readonly cond: readonly number[];
  readonly cls: readonly number[];
  readonly caSce: readonly number[];
}

/** Zeroed statistics for a layout. Cost O(K·Σ bins) memory. */
/** Bytes one {@link createPartial} of this layout allocates (K·B cells of 24 bytes per class-wise bin count). Cost O(1). */
export function partialBytes(l: PartialLayout): number {
  const binned = (bs: readonly number[], groups: number): number => bs.reduce((s, b) => s + 8 * (3 * groups * b + groups + b + 1), 0);
  return binned(l.top, 1) + binned(l.cond, l.classes) + binned(l.cls, l.classes) + l.caSce.reduce((s, b) => s + 24 * l.classes * b, 0);
}

export function createPartial(l: PartialLayout): PartialStats {
  const p: PartialStats = { sums: { n: 0, correct: 0, brier: 0, brierTop: 0, nll: 0 }, top: new Map(), cond: new Map(), cls: new Map(), caSce: new Map() };
  for (const b of l.top) p.top.set(b, createBinnedStats(b, 1, l.rule));
  for (const b of l.cond) p.cond.set(b, createBinnedStats(b, l.classes, l.rule));
  for (const b of l.cls) p.cls.set(b, createBinnedStats(b, l.classes, l.rule));
  for (const b of l.caSce) p.caSce.set(b, new Float64Array(3 * l.classes * b));
  return p;
}

function addArray(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) + (b[i] as number);
}

function addBins(a: ReadonlyMap<number, BinnedStats>, b: ReadonlyMap<number, BinnedStats>): void {
  for (const [bins, st] of a) {
    const o = b.get(bins) as BinnedStats;
    addArray(st.count, o.count); addArray(st.sumScore, o.sumScore); addArray(st.sumTarget, o.sumTarget); addArray(st.total, o.total);
  }
}

/** `target += source`, element by element, in a fixed order. Both must share a layout. Cost O(K·Σ bins). */
export function addPartial(target: PartialStats, source: PartialStats): void {
  const s = target.sums; const o = source.sums;
  s.n += o.n; s.correct += o.correct; s.brier += o.brier; s.brierTop += o.brierTop; s.nll += o.nll;
  addBins(target.top, source.top); addBins(target.cond, source.cond); addBins(target.cls, source.cls);
  for (const [b, st] of target.caSce) addArray(st, source.caSce.get(b) as Float64Array);
}

/** Sets every statistic back to zero, keeping the buffers. Cost O(K·Σ bins). */
export function zeroPartial(p: PartialStats): void {
  const s = p.sums;
  s.n = 0; s.correct = 0; s.brier = 0; s.brierTop = 0; s.nll = 0;
  for (const m of [p.top, p.cond, p.cls]) for (const st of m.values()) { st.count.fill(0); st.sumScore.fill(0); st.sumTarget.fill(0); st.total.fill(0); }
  for (const st of p.caSce.values()) st.fill(0);
}
