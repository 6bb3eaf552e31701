/**
 * Kernel calibration errors on top-label (confidence, correctness) pairs: MMCE (Kumar, Sarawagi & Jain 2018),
 * KDE-ECE (Zhang, Kailkhura & Han 2020) and smooth ECE (Błasiok & Nakkiran 2024, in smooth-ece.ts). No bins.
 */

/**
 * MMCE = sqrt((1/N²) Σ_ij (a_i − c_i)(a_j − c_j) exp(−|c_i − c_j| / width)), Laplacian kernel of width 0.4
 * (Kumar, Sarawagi & Jain, ICML 2018). Computed exactly in O(N) from the ascending order with the running
 * sum L_i = e^{−(c_i − c_{i−1})/w} (L_{i−1} + r_{i−1}), instead of the O(N²) double sum.
 * @example
 * import { stableOrder } from './binning.js';
 * // fixture D1 of docs/metrics.md §0 (top-label confidence and correctness)
 * const conf = Float64Array.of(0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67);
 * const correct = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1);
 * mmce(conf, correct, stableOrder(conf)) // ~> 0.090823006781
 */
export function mmce(conf: Float64Array, correct: Uint8Array, order: Int32Array, width = 0.4): number {
  const n = order.length;
  if (n === 0) return Number.NaN;
  let total = 0;
  let run = 0;
  let prevC = 0;
  let prevR = 0;
  for (let j = 0; j < n; j++) {
    const i = order[j] as number;
    const c = conf[i] as number;
    const r = (correct[i] as number) - c;
    if (j > 0) run = Math.exp(-(c - prevC) / width) * (run + prevR);
    total += r * r + 2 * r * run;
    prevC = c;
    prevR = r;
  }
  return Math.sqrt(Math.max(total, 0)) / n;
}

const KDE_GRID = 16384;
const KDE_LO = -0.6;
const KDE_HI = 1.6;

/**
 * Unnormalised mirrored triweight sums Σ_i (1 − u²)³, u = (t_g − x_i)/(3·bw), on the grid nodes first..last,
 * kept apart for correct (`s1`) and wrong (`s0`) points, each point also mirrored once about 0 or 1.
 * Each kernel is evaluated once: the density of all points is (s0 + s1) scaled, that of the correct ones
 * s1 scaled. Cost O((N)·(3·bw/step)).
 */
function mirroredTriweightSums(conf: Float64Array, correct: Uint8Array, bw: number, first: number, last: number, step: number, s1: Float64Array, s0: Float64Array): void {
  s1.fill(0);
  s0.fill(0);
  const radius = 3 * bw; // KDEpy: bw is the standard deviation; triweight variance 1/9
  const inv = 1 / radius;
  const nodes = new Float64Array(last + 1);
  for (let g = first; g <= last; g++) nodes[g] = g * step + KDE_LO;
  const add = (x: number, out: Float64Array): void => {
    const g0 = Math.max(first, Math.ceil((x - radius - KDE_LO) / step));
    const g1 = Math.min(last, Math.floor((x + radius - KDE_LO) / step));
    for (let g = g0; g <= g1; g++) {
      const u = ((nodes[g] as number) - x) * inv;
      if (u <= -1 || u >= 1) continue;
      const t = 1 - u * u;
      out[g - first] = (out[g - first] as number) + t * t * t;
    }
  };
  for (let i = 0; i < conf.length; i++) {
    const x = conf[i] as number;
    const out = correct[i] === 1 ? s1 : s0;
    add(x, out);
    add(x < 0.5 ? -x : 2 - x, out);
  }
}

/**
 * KDE-based top-label ECE of Zhang, Kailkhura & Han (ICML 2020, Mix-n-Match `ece_kde_binary`), with direct
 * kernel sums instead of FFTKDE's binned ones: triweight kernels with standard deviation
 * h = std(c | correct) (2N)^(−1/5), each point mirrored once at 0 or 1, densities on
 * linspace(−0.6, 1.6, 2^14) zeroed outside (0, 1) and doubled; π̃ = min(1, acc·p̃₁/p̃);
 * ECE = trapz(|z − π̃| p̃) / trapz(p̃) over the nodes in [0, 1] (nodes where both densities ≤ 1e-6 copy the
 * previous integrand value). NaN when fewer than two distinct correct confidences (h = 0). Each kernel is
 * evaluated once (the all-sample density reuses the correct samples' sums). Cost O(N·h·2^14).
 */
export function kdeEce(conf: Float64Array, correct: Uint8Array): number {
  const n = conf.length;
  let n1 = 0;
  let mean1 = 0;
  for (let i = 0; i < n; i++) if (correct[i] === 1) { n1++; mean1 += conf[i] as number; }
  if (n1 === 0) return Number.NaN;
  mean1 /= n1;
  let var1 = 0;
  for (let i = 0; i < n; i++) if (correct[i] === 1) { const d = (conf[i] as number) - mean1; var1 += d * d; }
  const bw = Math.sqrt(var1 / n1) * Math.pow(2 * n, -0.2);
  if (!(bw > 0)) return Number.NaN;
  const step = (KDE_HI - KDE_LO) / (KDE_GRID - 1);
  let first = 0;
  while (first * step + KDE_LO < 0) first++;
  let last = KDE_GRID - 1;
  while (last * step + KDE_LO > 1) last--;
  const m = last - first + 1;
  const p1 = new Float64Array(m);
  const p = new Float64Array(m);
  const s0 = new Float64Array(m);
  mirroredTriweightSums(conf, correct, bw, first, last, step, p1, s0);
  // densities: (35/32)·sum / (count·radius), doubled for the mirror images (KDEpy's normalisation)
  const scale1 = (35 / 32) * (2 / (2 * n1 * 3 * bw));
  const scale = (35 / 32) * (2 / (2 * n * 3 * bw));
  for (let g = 0; g < m; g++) { const a = p1[g] as number; p[g] = scale * (a + (s0[g] as number)); p1[g] = scale1 * a; }
  const acc = n1 / n;
  let prev = 0;
  let num = 0;
  let den = 0;
  let prevIntegrand = 0;
  let prevDensity = 0;
  for (let g = 0; g < m; g++) {
    const z = (g + first) * step + KDE_LO;
    let d1 = p1[g] as number;
    let d = p[g] as number;
    if (z <= 0 || z >= 1) { d1 = 0; d = 0; }
    let integrand = prev;
    if (Math.max(d1, d) > 1e-6) {
      const pi = Math.min((acc * d1) / d, 1);
      integrand = Number.isNaN(pi) ? 0 : Math.abs(z - pi) * d;
    }
    if (g > 0) { num += 0.5 * (integrand + prevIntegrand) * step; den += 0.5 * (d + prevDensity) * step; }
    prevIntegrand = integrand;
    prevDensity = d;
    prev = integrand;
  }
  return num / den;
}

export { smece, smoothEceAt, smoothEceDetails, SMECE_SIGMA_MIN } from './smooth-ece.js';
export type { SmoothEceDetails } from './smooth-ece.js';
