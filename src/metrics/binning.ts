/**
 * The binned core: per-bin sufficient statistics (count, sum of scores, sum of targets) that every binned
 * calibration error (ECE, MCE, RMSCE, ACE, class-wise ECE, top-label ECE) is a view of. Statistics from two
 * parts of a data set `merge` exactly (plain addition), so a file larger than memory is evaluated in chunks.
 *
 * Edges are computed by division, `e_b = b / B` (not `b * (1/B)` as numpy's linspace does), and an
 * {@link EdgeRule} says which side of each interval is closed (metrics.md §1).
 */
import { CalibraError } from '../errors.js';

/**
 * Which side of an equal-width interval is closed.
 * - `'right'` (default): first bin `[0, 1/B]`, then `(lo, hi]`. Every value in [0, 1] lands in a bin.
 * - `'guo'`: `(lo, hi]` for every bin, so a score of exactly 0 is in no bin but still counts in N
 *   (the `_ECELoss` loop of Guo et al. 2017, used by the CA paper's code).
 * - `'left'`: `[lo, hi)`, last bin `[lo, 1]` (torchmetrics-style bucketize; equals Nixon et al.'s GCE on
 *   inputs without a score of exactly 1).
 */
export type EdgeRule = 'right' | 'guo' | 'left';

/** The edge rules, for option validation. */
export const EDGE_RULES: readonly EdgeRule[] = ['right', 'guo', 'left'];

function nanScore(): CalibraError {
  return new CalibraError('E_NON_FINITE', 'a NaN score reached the binned metrics (it would count in N but in no bin)', { fix: 'probabilities must be numbers in [0, 1]; check the calibrator or the input that produced the NaN' });
}

/**
 * Bin of score `s` among `bins` equal-width bins on [0, 1] under `rule`; -1 when the score is in no bin
 * (`'guo'` and s = 0). Exact against edges `b / bins` (no `ceil(B s - 1)` rounding slips). Cost O(1).
 * @example equalWidthBin(0.2, 10, 'right') // => 1
 */
export function equalWidthBin(s: number, bins: number, rule: EdgeRule): number {
  let b = Math.floor(s * bins);
  if (b < 0) b = 0;
  if (b > bins - 1) b = bins - 1;
  if (rule === 'left') {
    while (b > 0 && s < b / bins) b--;
    while (b < bins - 1 && s >= (b + 1) / bins) b++;
    return b;
  }
  // right-closed: bin b holds (b/B, (b+1)/B]
  while (b > 0 && s <= b / bins) b--;
  while (b < bins - 1 && s > (b + 1) / bins) b++;
  if (b === 0 && rule === 'guo' && s <= 0) return -1;
  return b;
}

/**
 * Per-bin sufficient statistics for `groups` independent binary problems (1 for top-label, K for class-wise
 * or top-label-conditional), each with `bins` bins. Layout: index `g * bins + b`. `total` counts every sample
 * offered, including those that fell in no bin (edge rule `'guo'`).
 */
export interface BinnedStats {
  readonly bins: number;
  readonly groups: number;
  readonly rule: EdgeRule;
  readonly count: Float64Array;
  readonly sumScore: Float64Array;
  readonly sumTarget: Float64Array;
  /** Samples offered per group (the N in the weights n_b / N). */
  readonly total: Float64Array;
  /** The edges b / bins, b = 0..bins (division, not multiplication by 1/bins). */
  readonly edges: Float64Array;
}

/** Empty statistics. Cost O(groups * bins) memory. */
export function createBinnedStats(bins: number, groups = 1, rule: EdgeRule = 'right'): BinnedStats {
  const m = bins * groups;
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = b / bins;
  return { bins, groups, rule, count: new Float64Array(m), sumScore: new Float64Array(m), sumTarget: new Float64Array(m), total: new Float64Array(groups), edges };
}

/**
 * Adds one (score, target) pair to group `g`. A NaN score (which would count in the total but in no bin,
 * biasing every weight n_b / N) is refused with E_NON_FINITE, as scikit-learn's calibration_curve refuses it.
 * Cost O(1), no allocation.
 */
export function addToBins(stats: BinnedStats, g: number, score: number, target: number, weight = 1): void {
  if (score !== score) throw nanScore();
  stats.total[g] = (stats.total[g] as number) + weight;
  const b = equalWidthBin(score, stats.bins, stats.rule);
  if (b < 0) return;
  const k = g * stats.bins + b;
  stats.count[k] = (stats.count[k] as number) + weight;
  stats.sumScore[k] = (stats.sumScore[k] as number) + weight * score;
  stats.sumTarget[k] = (stats.sumTarget[k] as number) + weight * target;
}

/**
 * Adds one probability row to class-wise statistics (group k gets score p_k and target 1[k = y]): the
 * hot loop of class-wise ECE, specialised so the target is added once instead of K times, the per-group
 * totals in a separate pass, and the default `'right'` rule without per-element rule tests. Cost O(K).
 */
export function addClasswiseRow(stats: BinnedStats, p: ArrayLike<number>, base: number, y: number): void {
  const { bins, rule, count, sumScore, sumTarget, total, edges, groups } = stats;
  const last = bins - 1;
  if (rule === 'right') {
    for (let k = 0, o = 0; k < groups; k++, o += bins) {
      const s = p[base + k] as number;
      if (s !== s) throw nanScore();
      let b = Math.floor(s * bins);
      if (b < 0) b = 0;
      if (b > last) b = last;
      while (b > 0 && s <= (edges[b] as number)) b--;
      while (b < last && s > (edges[b + 1] as number)) b++;
      const i = o + b;
      count[i] = (count[i] as number) + 1;
      sumScore[i] = (sumScore[i] as number) + s;
    }
  } else {
    for (let k = 0, o = 0; k < groups; k++, o += bins) {
      const s = p[base + k] as number;
      if (s !== s) throw nanScore();
      const b = equalWidthBin(s, bins, rule);
      if (b < 0) continue;
      const i = o + b;
      count[i] = (count[i] as number) + 1;
      sumScore[i] = (sumScore[i] as number) + s;
    }
  }
  for (let k = 0; k < groups; k++) total[k] = (total[k] as number) + 1;
  if (y >= 0 && y < groups) {
    const b = equalWidthBin(p[base + y] as number, bins, rule);
    if (b >= 0) sumTarget[y * bins + b] = (sumTarget[y * bins + b] as number) + 1;
  }
}

/**
 * Adds `b` into `a` in place (exact: sums of sums). Both must have the same shape and rule.
 * @example
 * const a = createBinnedStats(2), b = createBinnedStats(2);
 * addToBins(a, 0, 0.3, 1); addToBins(b, 0, 0.8, 0); addToBins(b, 0, 0.9, 1);
 * mergeBinnedStats(a, b).count // => [1, 2]
 */
export function mergeBinnedStats(a: BinnedStats, b: BinnedStats): BinnedStats {
  if (a.bins !== b.bins || a.groups !== b.groups || a.rule !== b.rule) {
    throw new RangeError(`mergeBinnedStats: shapes differ (${a.groups}x${a.bins} ${a.rule} vs ${b.groups}x${b.bins} ${b.rule})`);
  }
  for (let i = 0; i < a.count.length; i++) {
    a.count[i] = (a.count[i] as number) + (b.count[i] as number);
    a.sumScore[i] = (a.sumScore[i] as number) + (b.sumScore[i] as number);
    a.sumTarget[i] = (a.sumTarget[i] as number) + (b.sumTarget[i] as number);
  }
  for (let g = 0; g < a.groups; g++) a.total[g] = (a.total[g] as number) + (b.total[g] as number);
  return a;
}

/** How bin gaps |mean target - mean score| are combined. */
export type BinNorm = 'l1' | 'l2' | 'max' | 'mass-max' | 'mean';

/**
 * Calibration error of group `g`: `'l1'` Σ (n_b/N)|gap| (ECE, Naeini et al. 2015; Guo et al. 2017),
 * `'l2'` sqrt Σ (n_b/N) gap² (RMSCE), `'max'` max over non-empty bins of |gap| (MCE), `'mass-max'`
 * max (n_b/N)|gap| (the CA paper's MCE), `'mean'` mean |gap| over non-empty bins (Neumann et al.'s ACE).
 * Empty bins weigh 0. NaN when the group has no samples. Cost O(bins).
 */
export function groupError(stats: BinnedStats, g: number, norm: BinNorm): number {
  const n = stats.total[g] as number;
  if (!(n > 0)) return Number.NaN;
  let acc = 0;
  let nonEmpty = 0;
  const base = g * stats.bins;
  for (let b = 0; b < stats.bins; b++) {
    const c = stats.count[base + b] as number;
    if (c <= 0) continue;
    nonEmpty++;
    const gap = Math.abs((stats.sumTarget[base + b] as number) / c - (stats.sumScore[base + b] as number) / c);
    if (norm === 'l1') acc += (c / n) * gap;
    else if (norm === 'l2') acc += (c / n) * gap * gap;
    else if (norm === 'max') acc = Math.max(acc, gap);
    else if (norm === 'mass-max') acc = Math.max(acc, (c / n) * gap);
    else acc += gap;
  }
  if (norm === 'l2') return Math.sqrt(acc);
  if (norm === 'mean') return nonEmpty > 0 ? acc / nonEmpty : 0;
  return acc;
}

/** Mean of {@link groupError} over all groups (class-wise ECE / SCE: classes with no positives included). */
export function meanGroupError(stats: BinnedStats, norm: BinNorm): number {
  let s = 0;
  for (let g = 0; g < stats.groups; g++) s += groupError(stats, g, norm);
  return s / stats.groups;
}

/**
 * Top-label-conditional ECE (Gupta & Ramdas 2022): Σ_l (N_l/N)·ECE_l where group l holds the samples
 * predicted as l. Groups with no samples weigh 0. Cost O(groups * bins).
 */
export function conditionalError(stats: BinnedStats): number {
  let n = 0;
  let s = 0;
  for (let g = 0; g < stats.groups; g++) {
    const ng = stats.total[g] as number;
    if (ng > 0) { n += ng; s += ng * groupError(stats, g, 'l1'); }
  }
  return n > 0 ? s / n : Number.NaN;
}

/** One bin of a reliability diagram. */
export interface BinRecord {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  /** Mean confidence in the bin (NaN when empty). */
  readonly meanConfidence: number;
  /** Fraction correct in the bin (NaN when empty). */
  readonly accuracy: number;
}

/**
 * The equal-width bins of group `g` of `stats` as diagram records (lo = b/B, hi = (b+1)/B; mean confidence
 * and accuracy NaN when empty). Cost O(bins).
 */
export function binRecords(stats: BinnedStats, g = 0): BinRecord[] {
  const out: BinRecord[] = [];
  const B = stats.bins;
  for (let b = 0; b < B; b++) {
    const k = g * B + b;
    const c = stats.count[k] as number;
    out.push({ lo: b / B, hi: (b + 1) / B, count: c, meanConfidence: c > 0 ? (stats.sumScore[k] as number) / c : Number.NaN, accuracy: c > 0 ? (stats.sumTarget[k] as number) / c : Number.NaN });
  }
  return out;
}

/**
 * Bins for a reliability diagram: equal-width (edges b/B, rule `'right'` unless given) or equal-mass (rank
 * split of the stably sorted confidences into groups of ⌈N/B⌉ or ⌊N/B⌋, first groups larger; lo/hi are the
 * smallest and largest confidence in the group). Cost O(N) equal-width, O(N log N) equal-mass.
 * @example
 * reliabilityBins(Float64Array.of(0.55, 0.95), Uint8Array.of(1, 1), { bins: 2, scheme: 'equal-width' }) // => [{lo: 0, hi: 0.5, count: 0}, {lo: 0.5, hi: 1, count: 2, meanConfidence: 0.75, accuracy: 1}]
 */
export function reliabilityBins(
  confidences: Float64Array, correct: Uint8Array,
  opts: { bins: number; scheme: 'equal-width' | 'equal-mass'; rule?: EdgeRule },
): BinRecord[] {
  const { bins } = opts;
  const out: BinRecord[] = [];
  if (opts.scheme === 'equal-width') {
    const stats = createBinnedStats(bins, 1, opts.rule ?? 'right');
    for (let i = 0; i < confidences.length; i++) addToBins(stats, 0, confidences[i] as number, correct[i] as number);
    return binRecords(stats);
  }
  const order = stableOrder(confidences);
  const n = confidences.length;
  let start = 0;
  for (let b = 0; b < bins; b++) {
    const size = Math.floor(n / bins) + (b < n % bins ? 1 : 0);
    let sc = 0;
    let sa = 0;
    for (let r = start; r < start + size; r++) { const i = order[r] as number; sc += confidences[i] as number; sa += correct[i] as number; }
    const lo = size > 0 ? (confidences[order[start] as number] as number) : Number.NaN;
    const hi = size > 0 ? (confidences[order[start + size - 1] as number] as number) : Number.NaN;
    out.push({ lo, hi, count: size, meanConfidence: size > 0 ? sc / size : Number.NaN, accuracy: size > 0 ? sa / size : Number.NaN });
    start += size;
  }
  return out;
}

/**
 * Indices that sort `scores` ascending, ties kept in index order (stable). Below 2 048 scores a comparator
 * sort, O(N log N); from 2 048 on an LSD radix sort on the bits of the doubles, O(N) (75–110 ms instead of
 * 520 ms for 10⁶ confidences).
 * @example stableOrder(Float64Array.of(0.3, 0.1, 0.3)) // => Int32Array.of(1, 0, 2)
 */
export function stableOrder(scores: Float64Array, n = scores.length): Int32Array {
  if (n >= RADIX_MIN) return radixOrder(scores, n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (scores[a] as number) - (scores[b] as number) || a - b);
  return order;
}

/** From this many scores on, {@link stableOrder} uses the radix sort (the comparator sort is faster below). */
const RADIX_MIN = 2048;

/**
 * The same order as the comparator sort, by an LSD radix sort (4 passes of 16 bits; passes whose digit is
 * the same for every key are skipped) on the 64-bit key that orders doubles like their values (sign bit
 * flipped for non-negative values, all bits flipped for negative ones; −0 counted as +0). Radix sorting
 * is stable, so ties stay in index order. Scores must not be NaN. Cost O(N) time, 4 Int32Arrays of N.
 */
function radixOrder(scores: Float64Array, n: number): Int32Array {
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const pair = new Float64Array(1);
  const bits = new Uint32Array(pair.buffer);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const H = little ? 1 : 0;
  const L = 1 - H;
  for (let i = 0; i < n; i++) {
    const v = scores[i] as number;
    pair[0] = v === 0 ? 0 : v;
    let h = bits[H] as number;
    let l = bits[L] as number;
    if (h >>> 31 === 1) { h = ~h >>> 0; l = ~l >>> 0; } else h = (h | 0x80000000) >>> 0;
    hi[i] = h;
    lo[i] = l;
  }
  let order = new Int32Array(n);
  let next = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const count = new Int32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const words = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) { const d = ((words[i] as number) >>> shift) & 0xffff; count[d + 1] = (count[d + 1] as number) + 1; }
    if (count[(((words[0] as number) >>> shift) & 0xffff) + 1] === n) continue; // one digit for every key
    for (let d = 0; d < 65536; d++) count[d + 1] = (count[d + 1] as number) + (count[d] as number);
    for (let j = 0; j < n; j++) {
      const i = order[j] as number;
      const d = ((words[i] as number) >>> shift) & 0xffff;
      const at = count[d] as number;
      next[at] = i;
      count[d] = at + 1;
    }
    const t = order; order = next; next = t;
  }
  return order;
}

/**
 * Equal-mass binned error of (score, target) pairs: rank split of the stable ascending order into `bins`
 * groups (sizes ⌈N/B⌉ for the first N mod B groups, then ⌊N/B⌋; numpy `array_split`), then
 * {@link groupError}-style combination. `'l2-debiased'` is Kumar, Liang & Ma (2019)'s debiased L2 error:
 * each term gap² − acc(1 − acc)/(n_b − 1) (bins with n_b < 2 add 0), the sum clipped at 0, then sqrt.
 * Cost O(N) given `order`.
 */
export function equalMassError(
  scores: Float64Array, targets: Uint8Array, order: Int32Array, bins: number, norm: BinNorm | 'l2-debiased',
): number {
  const n = order.length;
  if (n === 0) return Number.NaN;
  let acc = 0;
  let nonEmpty = 0;
  let start = 0;
  for (let b = 0; b < bins; b++) {
    const size = Math.floor(n / bins) + (b < n % bins ? 1 : 0);
    if (size === 0) continue;
    let sc = 0;
    let st = 0;
    for (let r = start; r < start + size; r++) { const i = order[r] as number; sc += scores[i] as number; st += targets[i] as number; }
    start += size;
    nonEmpty++;
    const conf = sc / size;
    const ac = st / size;
    const gap = Math.abs(ac - conf);
    const w = size / n;
    if (norm === 'l1') acc += w * gap;
    else if (norm === 'l2') acc += w * gap * gap;
    else if (norm === 'l2-debiased') acc += size < 2 ? 0 : w * (gap * gap - (ac * (1 - ac)) / (size - 1));
    else if (norm === 'max') acc = Math.max(acc, gap);
    else if (norm === 'mass-max') acc = Math.max(acc, w * gap);
    else acc += gap;
  }
  if (norm === 'l2') return Math.sqrt(acc);
  if (norm === 'l2-debiased') return Math.sqrt(Math.max(acc, 0));
  if (norm === 'mean') return acc / nonEmpty;
  return acc;
}

/**
 * Top-label ECE with equal-mass bins inside each predicted-label group (Gupta & Ramdas's own choice, 15
 * uniform-mass bins in their `toplabel_ece`): Σ_l (N_l/N)·ECE_em(group l), each group rank-split like
 * {@link equalMassError} along `order` (the stable ascending order of all scores, filtered to the group).
 * Cost O(N) given `order`.
 * @example
 * // fixture D1 of docs/metrics.md §0: top-label confidence, correctness and predicted class; 0.27 by hand
 * const conf = Float64Array.of(0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67);
 * const correct = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1), predicted = Int32Array.of(0, 0, 1, 2, 2, 1, 0, 2);
 * conditionalEqualMassError(conf, correct, predicted, stableOrder(conf), 2) // ~> 0.27
 */
export function conditionalEqualMassError(scores: Float64Array, targets: Uint8Array, groups: Int32Array, order: Int32Array, bins: number): number {
  const n = order.length;
  if (n === 0) return Number.NaN;
  const byGroup = new Map<number, number[]>();
  for (let r = 0; r < n; r++) {
    const i = order[r] as number;
    const g = groups[i] as number;
    let list = byGroup.get(g);
    if (list === undefined) { list = []; byGroup.set(g, list); }
    list.push(i);
  }
  let total = 0;
  for (const list of byGroup.values()) total += (list.length / n) * equalMassError(scores, targets, Int32Array.from(list), bins, 'l1');
  return total;
}
