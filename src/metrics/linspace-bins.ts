/**
 * Equal-width bins on numpy `linspace(0, 1, B + 1)` edges (`i * (1/B)`, which is not always `i / B`), as
 * Python reference code bins: the CA paper's code (ca-paper.ts) and netcal (netcal.ts). Cost O(1) per score.
 */

/** numpy linspace(0, 1, bins + 1)[i]: i * (1/bins), last edge exactly 1. */
export function linspaceEdge(i: number, bins: number): number {
  return i === bins ? 1 : i * (1 / bins);
}

/** `_ECELoss` bin: e_b < s ≤ e_{b+1}; -1 for s ≤ 0 (in no bin, still counted in N). */
export function guoBin(s: number, bins: number): number {
  let b = Math.min(Math.max(Math.floor(s * bins), 0), bins - 1);
  while (b > 0 && s <= linspaceEdge(b, bins)) b--;
  while (b < bins - 1 && s > linspaceEdge(b + 1, bins)) b++;
  if (!(s > linspaceEdge(b, bins)) || s > 1) return -1;
  return b;
}

/** `np.digitize(s, linspace(0,1,bins+1)[1:-1])`: number of inner edges ≤ s (left-closed bins). */
export function digitizeBin(s: number, bins: number): number {
  let b = Math.min(Math.max(Math.floor(s * bins), 0), bins - 1);
  while (b > 0 && s < linspaceEdge(b, bins)) b--;
  while (b < bins - 1 && s >= linspaceEdge(b + 1, bins)) b++;
  return b;
}

/**
 * Over non-empty groups: 'sum' Σ (n_b/N)|gap|, 'max' max (n_b/N)|gap|, 'mean' the unweighted mean of |gap|
 * (netcal's ACE).
 */
export function combine(count: Float64Array, sumConf: Float64Array, sumCorrect: Float64Array, n: number, how: 'sum' | 'max' | 'mean'): number {
  let acc = 0;
  let nonEmpty = 0;
  for (let b = 0; b < count.length; b++) {
    const c = count[b] as number;
    if (c <= 0) continue;
    nonEmpty++;
    const gap = Math.abs((sumCorrect[b] as number) / c - (sumConf[b] as number) / c);
    if (how === 'mean') { acc += gap; continue; }
    const v = (gap * c) / n;
    acc = how === 'sum' ? acc + v : Math.max(acc, v);
  }
  return how === 'mean' ? (nonEmpty > 0 ? acc / nonEmpty : Number.NaN) : acc;
}

