/**
 * The one driver of the multiclass reductions of binary maps (calibrators.md §1.2), shared by the parametric
 * maps (binary/: Platt, beta, on log-probability pairs) and the score maps (binning/: histogram, isotonic,
 * BBQ, scaling-binning, on probabilities):
 * - **one-vs-rest** (`ovr`): map k is fitted on column k against 1[y = k]; with K = 2 only class 1 is fitted
 *   (p0 = 1 − p1);
 * - **top-label**: one map on the entries of each row's predicted class (argmax of the first source, first
 *   index on ties) against the correctness of that prediction.
 * How the fitted maps are applied (row normalisation, sharing 1 − c′) is the family's business.
 */
import { argmaxRow } from '../../math/softmax.js';

/** The two reductions a binary map is used through. */
export type BinaryReduction = 'ovr' | 'top-label';

/** How many maps a reduction stores for K classes: K for OvR (1 when K = 2), 1 for top-label. */
export function mapCount(reduction: BinaryReduction, numClasses: number): number {
  return reduction === 'top-label' || numClasses === 2 ? 1 : numClasses;
}

/** Fits one map on the extracted columns (one N-vector per source) and 0/1 targets; `index` is the class (OvR), -1 for top-label. */
export type ReducedMapFitter<M> = (columns: readonly Float64Array[], targets: Uint8Array, index: number) => { readonly map: M; readonly warnings?: readonly string[] };

/**
 * Fits the maps of a reduction. `sources` are row-major N×K arrays (e.g. [probabilities], or [ln p, ln(1 − p)]);
 * for each fitted class their column is copied into one N-vector per source and handed to `fitMap`.
 * Warnings of map k are prefixed `class k: ` (OvR). `onMap(done, total)` reports progress after each map.
 * Cost: O(N·K) per source for the extraction plus the maps' own fits; allocates one N-vector per source.
 * @example
 * const probs = Float64Array.of(0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.2, 0.2, 0.6);
 * const meanTarget = (c: Float64Array[], t: Uint8Array) => ({ map: t.reduce((a, b) => a + b, 0) / t.length });
 * fitReduction([probs], 3, Int32Array.of(0, 1, 1), 'ovr', meanTarget).maps // ~> [0.333333, 0.666667, 0]
 */
export function fitReduction<M>(
  sources: readonly Float64Array[], K: number, labels: Int32Array, reduction: BinaryReduction,
  fitMap: ReducedMapFitter<M>, onMap?: (done: number, total: number) => void,
): { maps: M[]; warnings: string[] } {
  const N = labels.length;
  const columns = sources.map(() => new Float64Array(N));
  const targets = new Uint8Array(N);
  const maps: M[] = [];
  const warnings: string[] = [];
  const first = sources[0] as Float64Array;
  if (reduction === 'top-label') {
    for (let i = 0; i < N; i++) {
      const best = argmaxRow(first, K, i);
      for (let s = 0; s < sources.length; s++) (columns[s] as Float64Array)[i] = (sources[s] as Float64Array)[i * K + best] as number;
      targets[i] = labels[i] === best ? 1 : 0;
    }
    const r = fitMap(columns, targets, -1);
    maps.push(r.map);
    if (r.warnings !== undefined) warnings.push(...r.warnings);
    onMap?.(1, 1);
    return { maps, warnings };
  }
  const count = mapCount(reduction, K);
  for (let m = 0; m < count; m++) {
    const col = K === 2 ? 1 : m;
    for (let i = 0; i < N; i++) {
      for (let s = 0; s < sources.length; s++) (columns[s] as Float64Array)[i] = (sources[s] as Float64Array)[i * K + col] as number;
      targets[i] = labels[i] === col ? 1 : 0;
    }
    const r = fitMap(columns, targets, col);
    maps.push(r.map);
    if (r.warnings !== undefined) warnings.push(...r.warnings.map((w) => `class ${col}: ${w}`));
    onMap?.(m + 1, count);
  }
  return { maps, warnings };
}
