/**
 * Isotonic regression with scikit-learn 1.2 semantics (sklearn/isotonic.py, sklearn/_isotonic.pyx):
 * pool-adjacent-violators in place, merging of near-equal x (within `finfo(float64).resolution` = 1e-15
 * of the first x of a run), removal of redundant interior thresholds, and scipy-`interp1d` linear
 * prediction with `out_of_bounds='clip'` or `'nan'`. Pure typed-array code; no Node imports.
 *
 * Reference: Barlow et al. 1972 (PAV); Best & Chakravarti 1990 (the single-pass variant scikit-learn uses).
 */

/** float64 `np.finfo(np.float64).resolution`: x values closer than this to the first x of a run are merged. */
export const FLOAT64_TIE_RESOLUTION = 1e-15;

/**
 * Pool-adjacent-violators, in place, non-decreasing: after the call `y` is the weighted least-squares
 * non-decreasing fit to the input `y` with weights `w` (`w` is overwritten with block weights).
 * A line-for-line port of `_inplace_contiguous_isotonic_regression`, so blocks are averaged in the
 * same order and results match scikit-learn to the bit on the same input. Cost: O(n) time, O(n) memory.
 * @example
 * const y = Float64Array.of(1, 3, 2, 4, 3.5);
 * pavInPlace(y, new Float64Array(5).fill(1));
 * y // => [1, 2.5, 2.5, 3.75, 3.75]
 */
export function pavInPlace(y: Float64Array, w: Float64Array): void {
  const n = y.length;
  const target = new Int32Array(n);
  for (let i = 0; i < n; i++) target[i] = i;
  let i = 0;
  while (i < n) {
    let k = (target[i] as number) + 1;
    if (k === n) break;
    if ((y[i] as number) < (y[k] as number)) { i = k; continue; }
    let sumWy = (w[i] as number) * (y[i] as number);
    let sumW = w[i] as number;
    for (;;) {
      const prevY = y[k] as number;
      sumWy += (w[k] as number) * (y[k] as number);
      sumW += w[k] as number;
      k = (target[k] as number) + 1;
      if (k === n || prevY < (y[k] as number)) {
        y[i] = sumWy / sumW;
        w[i] = sumW;
        target[i] = k - 1;
        target[k - 1] = i;
        if (i > 0) i = target[i - 1] as number;
        break;
      }
    }
  }
  i = 0;
  while (i < n) {
    const k = (target[i] as number) + 1;
    const v = y[i] as number;
    for (let j = i + 1; j < k; j++) y[j] = v;
    i = k;
  }
}

/** Settings of an isotonic fit (scikit-learn's `IsotonicRegression` constructor arguments). */
export interface IsotonicOptions {
  /** Fit a non-decreasing (true, default) or non-increasing (false) function. */
  readonly increasing?: boolean;
  /** Lower clip of the fitted values (sklearn `y_min`); null for none. */
  readonly yMin?: number | null;
  /** Upper clip of the fitted values (sklearn `y_max`); null for none. */
  readonly yMax?: number | null;
  /** Merge tolerance for x; default {@link FLOAT64_TIE_RESOLUTION}. */
  readonly tieEps?: number;
}

/** A fitted isotonic map: thresholds `x` (strictly increasing) and values `y`; predict interpolates linearly. */
export interface IsotonicMap {
  readonly x: Float64Array;
  readonly y: Float64Array;
}

/**
 * Fits isotonic regression of `y` on `x` with optional weights, exactly as scikit-learn 1.2's
 * `IsotonicRegression.fit` (`_build_y`): drop zero weights, sort by (x, y), merge near-equal x,
 * PAV, clip to [yMin, yMax], drop interior points whose y equals both neighbours.
 * Cost: O(n log n) for the sort (index sort with a comparator), O(n) after.
 * @example fitIsotonic(Float64Array.of(1,2,3,4,5), Float64Array.of(1,3,2,4,3.5)) // => {x: [1,2,3,4,5], y: [1,2.5,2.5,3.75,3.75]}
 */
export function fitIsotonic(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>, opts: IsotonicOptions = {}): IsotonicMap {
  const n = x.length;
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (weights === undefined || (weights[i] as number) > 0) idx.push(i);
  idx.sort((a, b) => ((x[a] as number) - (x[b] as number)) || ((y[a] as number) - (y[b] as number)) || (a - b));
  const m = idx.length;
  const xs = new Float64Array(m);
  const ys = new Float64Array(m);
  const ws = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const i = idx[j] as number;
    xs[j] = x[i] as number;
    ys[j] = y[i] as number;
    ws[j] = weights === undefined ? 1 : (weights[i] as number);
  }
  return fitSortedIsotonic(xs, ys, ws, opts);
}

/**
 * The same fit for 0/1 targets with unit weights, without a comparator sort: positives and negatives are
 * sorted separately (native numeric sort) and merged, negatives first on equal x, which is the (x, y)
 * lexicographic order. Gives the same bits as {@link fitIsotonic} on the same data. `x` is not modified.
 * Cost: O(n log n) native sort, O(n) memory; suited to N·K = 5·10^7 pooled pairs (IRM).
 */
export function fitIsotonicBinary(x: ArrayLike<number>, targets: ArrayLike<number>, opts: IsotonicOptions = {}): IsotonicMap {
  const n = x.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if ((targets[i] as number) !== 0) nPos++;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(n - nPos);
  let a = 0;
  let b = 0;
  for (let i = 0; i < n; i++) {
    if ((targets[i] as number) !== 0) pos[a++] = x[i] as number;
    else neg[b++] = x[i] as number;
  }
  pos.sort();
  neg.sort();
  // Merge (negatives first on equal x: the (x, y) order) and make x unique on the fly (the arithmetic of
  // _make_unique on the sorted arrays); one pass counts the unique points, a second fills them.
  const eps = opts.tieEps ?? FLOAT64_TIE_RESOLUTION;
  const u = mergeUnique(pos, neg, eps, null, null, null);
  const ux = new Float64Array(u);
  const uy = new Float64Array(u);
  const uw = new Float64Array(u);
  mergeUnique(pos, neg, eps, ux, uy, uw);
  return poolAndTrim(ux, uy, uw, opts);
}

/** Walks the merge of sorted negatives and positives; writes unique points when arrays are given; returns their count. */
function mergeUnique(pos: Float64Array, neg: Float64Array, eps: number, ux: Float64Array | null, uy: Float64Array | null, uw: Float64Array | null): number {
  const n = pos.length + neg.length;
  let a = 0;
  let b = 0;
  let u = 0;
  let curX = 0;
  let curY = 0;
  let curW = 0;
  for (let j = 0; j < n; j++) {
    let xj: number;
    let yj: number;
    if (b < neg.length && (a >= pos.length || (neg[b] as number) <= (pos[a] as number))) { xj = neg[b++] as number; yj = 0; }
    else { xj = pos[a++] as number; yj = 1; }
    if (j > 0 && xj - curX >= eps) {
      if (ux !== null && uy !== null && uw !== null) { ux[u] = curX; uy[u] = curY / curW; uw[u] = curW; }
      u++;
      curX = xj; curW = 1; curY = yj;
    } else if (j === 0) {
      curX = xj; curW = 1; curY = yj;
    } else {
      curW += 1;
      curY += yj;
    }
  }
  if (n > 0) {
    if (ux !== null && uy !== null && uw !== null) { ux[u] = curX; uy[u] = curY / curW; uw[u] = curW; }
    u++;
  }
  return u;
}

/** Fit from data already sorted by (x, y); the arrays are reused as work space. */
function fitSortedIsotonic(xs: Float64Array, ys: Float64Array, ws: Float64Array, opts: IsotonicOptions): IsotonicMap {
  const m = xs.length;
  if (m === 0) return { x: new Float64Array(0), y: new Float64Array(0) };
  const eps = opts.tieEps ?? FLOAT64_TIE_RESOLUTION;
  // _make_unique: runs of x within eps of the run's first x become one point (first x, weighted mean y, summed weight).
  let u = 0;
  let curX = xs[0] as number;
  let curY = 0;
  let curW = 0;
  for (let j = 0; j < m; j++) {
    const xj = xs[j] as number;
    if (xj - curX >= eps) {
      xs[u] = curX; ys[u] = curY / curW; ws[u] = curW; u++;
      curX = xj; curW = ws[j] as number; curY = (ys[j] as number) * (ws[j] as number);
    } else {
      curW += ws[j] as number;
      curY += (ys[j] as number) * (ws[j] as number);
    }
  }
  xs[u] = curX; ys[u] = curY / curW; ws[u] = curW; u++;
  return poolAndTrim(xs.subarray(0, u), ys.subarray(0, u), ws.subarray(0, u), opts);
}

/** PAV on unique points (sorted by x), clipping to [yMin, yMax], and removal of redundant interior points. */
function poolAndTrim(ux: Float64Array, uy: Float64Array, uw: Float64Array, opts: IsotonicOptions): IsotonicMap {
  const u = ux.length;
  const increasing = opts.increasing ?? true;
  if (!increasing) { uy.reverse(); uw.reverse(); }
  pavInPlace(uy, uw);
  if (!increasing) uy.reverse();
  const lo = opts.yMin ?? -Infinity;
  const hi = opts.yMax ?? Infinity;
  if (lo > -Infinity || hi < Infinity) for (let j = 0; j < u; j++) uy[j] = Math.min(Math.max(uy[j] as number, lo), hi);
  // Keep the first and last point and every point whose y differs from a neighbour.
  let kept = 0;
  const outX = new Float64Array(u);
  const outY = new Float64Array(u);
  for (let j = 0; j < u; j++) {
    const v = uy[j] as number;
    if (j === 0 || j === u - 1 || v !== (uy[j - 1] as number) || v !== (uy[j + 1] as number)) { outX[kept] = ux[j] as number; outY[kept] = v; kept++; }
  }
  return { x: outX.slice(0, kept), y: outY.slice(0, kept) };
}

/**
 * Predicts one value from an isotonic map like scikit-learn `IsotonicRegression.predict`:
 * clip `q` to [x_0, x_last] (`outOfBounds='clip'`) or return NaN outside it (`'nan'`), then scipy
 * `interp1d` linear interpolation (`slope·(q − x_lo) + y_lo` with lo, hi from a left search).
 * A one-threshold map is constant. Cost: O(log m).
 */
export function predictIsotonic(map: IsotonicMap, q: number, outOfBounds: 'clip' | 'nan' = 'clip'): number {
  const { x, y } = map;
  const m = x.length;
  // one threshold: the constant, whatever q and the out-of-bounds rule (scikit-learn's `_build_f`: len(y) == 1)
  if (m === 1) return y[0] as number;
  const x0 = x[0] as number;
  const xl = x[m - 1] as number;
  if (q < x0 || q > xl) {
    if (outOfBounds === 'nan') return NaN;
    q = q < x0 ? x0 : xl;
  }
  // searchsorted(x, q, 'left') clipped to [1, m-1]
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((x[mid] as number) < q) lo = mid + 1; else hi = mid;
  }
  const h = lo < 1 ? 1 : lo > m - 1 ? m - 1 : lo;
  const xLo = x[h - 1] as number;
  const yLo = y[h - 1] as number;
  const slope = ((y[h] as number) - yLo) / ((x[h] as number) - xLo);
  return slope * (q - xLo) + yLo;
}
