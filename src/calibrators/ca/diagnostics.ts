/**
 * Diagnostics of a fitted CA calibrator: how far the per-sample temperatures spread, whether their spread
 * flags wrong predictions, and how training went. Reported in the fit result, the model JSON, `calibra fit`'s
 * stderr and the report. Cost: O(N log N) (one sort for the percentiles, one for the AUROC).
 */
import { percentileOfSorted } from '../../metrics/bootstrap.js';
import { auroc } from '../../metrics/ranking.js';
import { stableOrder } from '../../metrics/binning.js';

/** Spread of T and its link to correctness. */
export interface CaDiagnostics {
  /** Temperature-scaling solution the robust fit started from (null in faithful mode). */
  readonly tTs: number | null;
  /** Robust rescale=nll: the global factor refitted on T(x) after training (null in faithful mode). */
  readonly rescale: number | null;
  readonly tMean: number;
  /** Population standard deviation of T. */
  readonly tSd: number;
  readonly tP5: number;
  readonly tP50: number;
  readonly tP95: number;
  /**
   * AUROC of T as a detector of wrong predictions (Mann-Whitney, average ranks for ties): 0.5 = T carries no
   * information about correctness, > 0.5 = wrong predictions get higher temperatures (what CA is for).
   * NaN when every prediction is right or every one wrong.
   */
  readonly tAurocWrong: number;
  /** Which rows the T statistics are computed on. */
  readonly on: 'held-out' | 'calibration';
  readonly rows: number;
  readonly steps: number;
  readonly selectedStep: number;
  /** True when (p95 − p5) / p50 < {@link COLLAPSE_SPREAD}: the per-sample temperatures are one value. */
  readonly collapsed: boolean;
}

/** Relative p5–p95 spread below which the per-sample temperatures count as collapsed to one value. */
export const COLLAPSE_SPREAD = 0.01;

/**
 * Diagnostics from the temperatures `T` and correctness of the rows they were computed on.
 * @example caDiagnostics(Float64Array.of(1, 2), Uint8Array.of(1, 0), { tTs: null, rescale: null, on: 'held-out', steps: 10, selectedStep: 10 }).tAurocWrong // => 1
 */
export function caDiagnostics(T: Float64Array, correct: Uint8Array, info: { tTs: number | null; rescale: number | null; on: CaDiagnostics['on']; steps: number; selectedStep: number }): CaDiagnostics {
  const n = T.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += T[i] as number;
  const mean = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) { const d = (T[i] as number) - mean; ss += d * d; }
  const sorted = Float64Array.from(T).sort();
  const p5 = percentileOfSorted(sorted, 5), p50 = percentileOfSorted(sorted, 50), p95 = percentileOfSorted(sorted, 95);
  const wrong = new Uint8Array(n);
  for (let i = 0; i < n; i++) wrong[i] = correct[i] === 1 ? 0 : 1;
  const a = auroc(T, wrong, stableOrder(T));
  return {
    tTs: info.tTs, rescale: info.rescale, tMean: mean, tSd: Math.sqrt(ss / n), tP5: p5, tP50: p50, tP95: p95, tAurocWrong: a, on: info.on, rows: n,
    steps: info.steps, selectedStep: info.selectedStep, collapsed: (p95 - p5) / p50 < COLLAPSE_SPREAD,
  };
}

/** The warning for collapsed temperatures, or null. */
export function collapseWarning(d: CaDiagnostics): string | null {
  if (!d.collapsed) return null;
  return `ca: the per-sample temperatures collapsed to one value (p5 ${d.tP5.toPrecision(4)}, p95 ${d.tP95.toPrecision(4)} on ${d.rows} ${d.on} rows): the views carry no usable correctness signal here, so CA acts as temperature scaling (T ≈ ${d.tP50.toPrecision(4)})`;
}

/** One line for `calibra fit`'s stderr. */
export function formatCaDiagnostics(d: CaDiagnostics): string {
  const f = (v: number): string => v.toFixed(3);
  return `ca: T mean ${f(d.tMean)} sd ${f(d.tSd)} p5 ${f(d.tP5)} p95 ${f(d.tP95)}${d.tTs !== null ? ` (TS start ${f(d.tTs)}${d.rescale !== null && d.rescale !== 1 ? `, NLL rescale ×${f(d.rescale)}` : ''})` : ''}; AUROC of T for wrong-vs-right ${Number.isNaN(d.tAurocWrong) ? 'n/a' : f(d.tAurocWrong)} on ${d.rows} ${d.on} rows; steps ${d.steps}, selected step ${d.selectedStep}`;
}
