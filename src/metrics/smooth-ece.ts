/**
 * Smooth ECE (Błasiok & Nakkiran, ICLR 2024, "Smooth ECE: principled reliability diagrams via kernel
 * smoothing"), computed exactly: no grid, no truncated kernel.
 *
 * Definition. With residuals r_i = c_i − a_i and the Gaussian kernel reflected at 0 and 1 with all its images
 * (the heat kernel of [0, 1] with reflecting ends), K̃_σ(t, x) = Σ_k [φ_σ(t − x − 2k) + φ_σ(t + x − 2k)],
 * smECE_σ = ∫_0^1 |h_σ(t)| dt with h_σ(t) = (1/N) Σ_i r_i K̃_σ(t, x_i), and smECE = σ* where σ* = smECE_σ*.
 * Every K̃_σ(·, x) integrates to 1 on [0, 1], so smECE_σ ≥ |mean r| at every σ, and smECE_σ does not increase
 * with σ (the reflected heat flow is an L1 contraction), so σ* is unique.
 *
 * Method. The reflected kernel has the closed form K̃_σ(t, x) = 1 + 2 Σ_{n≥1} e^{−π²n²σ²/2} cos(nπt) cos(nπx)
 * (Poisson summation of the images), so h_σ(t) = Σ_n a_n cos(nπt) with a_0 = C_0, a_n = 2 e^{−π²n²σ²/2} C_n and
 * the cosine moments C_n = (1/N) Σ_i r_i cos(nπ x_i), computed once for all σ. The series is cut where
 * e^{−π²n²σ²/2} < 1e-18 (n ≤ 2.9/σ). Its antiderivative H(t) = a_0 t + Σ a_n sin(nπt)/(nπ) is exact, so
 * ∫|h| = Σ_j |H(z_{j+1}) − H(z_j)| over the sign changes z_j of h (found on a mesh of ≥ 4·n_max cells, by FFT, with
 * interior extrema checked for a hidden pair of roots, then refined by safeguarded Newton to 1e-15).
 * Accuracy: about 1e-13 absolute in smECE_σ (rounding in the moments and the series), measured against an
 * independent reference in scripts/golden/smece_reference.py (direct image sums, erf antiderivative, brentq
 * roots); see docs/metrics.md.
 *
 * Cost: O(N·n_max) for the moments (n_max = 2.9/σ at the smallest σ visited; lazily extended) plus
 * O(n_max²) per σ; the fixed point takes about 15-30 evaluations. At σ* = 0.01 and N = 10⁵: 3·10⁷ for the
 * moments. The root finder does not go below σ = 1e-3: when smECE_{1e-3} < 1e-3 (σ* < 1e-3, which needs
 * roughly 10⁹ samples of a calibrated model) the value returned is smECE_{1e-3}, a lower bound of σ* within
 * 1e-3 of it, and `smoothEceDetails` says so.
 */

import { fft } from '../math/fft.js';

/** Kernel images are summed until their weight e^{−π²n²σ²/2} falls below this. */
const SERIES_EPS = 1e-18;
/** Smallest bandwidth the fixed-point search visits. */
export const SMECE_SIGMA_MIN = 1e-3;
/** Rotation steps between exact re-evaluations of cos/sin in evalSeries, so recurrence rounding stays at a few ulps. */
const RESYNC = 32;

/** Taylor terms of e^{inπδ} kept by CosineMoments; |nπδ| ≤ π/8, so the remainder is below 1e-19. */
const TAYLOR_TERMS = 16;

/**
 * Cosine moments C_n = (1/N) Σ r_i cos(nπ x_i) for n ≤ cap, exactly up to rounding. Each x_i is split into its
 * nearest node j/G of a grid with G = 4·cap and an offset δ_i (|δ_i| ≤ 1/(2G)); then
 * cos(nπx_i) = Re(e^{inπ j/G} Σ_p (inπδ_i)^p / p!) with |nπδ_i| ≤ π/8, so 16 Taylor terms leave < 1e-19, and
 * C_n = (1/N) Σ_p (n/cap)^p Re(i^p Σ_j W_jp e^{inπ j/G}) with W_jp = Σ_{i at j} r_i (cap·π·δ_i)^p / p!: one FFT of
 * length 2G per term p. Cost O(16·N + 16·G log G) instead of O(N·cap); rebuilt (cap doubled) when a smaller
 * σ needs more moments.
 */
class CosineMoments {
  private c = new Float64Array(0);
  private cap = 0;
  constructor(private readonly xs: Float64Array, private readonly rs: Float64Array) {}

  /** Moments 0..n (at least), as an array whose entries 0..n are valid. */
  upTo(n: number): Float64Array {
    if (n <= this.cap) return this.c;
    let cap = 16;
    while (cap < Math.max(n, 2 * this.cap)) cap *= 2;
    const grid = 4 * cap;
    const len = 2 * grid;
    const w = new Float64Array(TAYLOR_TERMS * len);
    const xs = this.xs;
    const rs = this.rs;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      const j = Math.round(x * grid);
      const v = cap * Math.PI * (x - j / grid);
      let term = (rs[i] as number) / xs.length;
      for (let p = 0; p < TAYLOR_TERMS; p++) {
        if (p > 0) term *= v / p;
        w[p * len + j] = (w[p * len + j] as number) + term;
      }
    }
    const out = new Float64Array(cap + 1);
    const re = new Float64Array(len);
    const im = new Float64Array(len);
    for (let p = 0; p < TAYLOR_TERMS; p += 2) {
      // two real transforms in one: W_p in the real part, W_{p+1} in the imaginary part
      re.set(w.subarray(p * len, (p + 1) * len));
      im.set(w.subarray((p + 1) * len, (p + 2) * len));
      fft(re, im);
      for (let k = 0; k <= cap; k++) {
        const q = (len - k) % len;
        // X = FFT(W_p) = (Z_k + conj Z_{L−k})/2, Y = FFT(W_{p+1}) = (Z_k − conj Z_{L−k})/(2i): Re X and Im Y
        const xr = 0.5 * ((re[k] as number) + (re[q] as number));
        const yi = -0.5 * ((re[k] as number) - (re[q] as number));
        // Re(i^p conj X) for p ≡ 0 (mod 4) is Re X, p ≡ 2 is −Re X; Re(i^{p+1} conj Y) is Im Y or −Im Y
        const sgn = p % 4 === 0 ? 1 : -1;
        const ratio = k / cap;
        out[k] = (out[k] as number) + sgn * Math.pow(ratio, p) * (xr + ratio * yi);
      }
    }
    this.c = out;
    this.cap = cap;
    return out;
  }
}

/** Truncation index of the series at bandwidth σ. */
function seriesLength(sigma: number): number {
  return Math.max(1, Math.ceil(Math.sqrt(2 * Math.log(1 / SERIES_EPS)) / (Math.PI * sigma)));
}

/** h, h′, H and h″ of the cosine series `a` (length n+1) at t; results in out[0..3]. */
function evalSeries(a: Float64Array, n: number, t: number, out: Float64Array): void {
  const theta = Math.PI * t;
  const cs = Math.cos(theta);
  const sn = Math.sin(theta);
  let h = a[0] as number;
  let dh = 0;
  let big = (a[0] as number) * t;
  let d2h = 0;
  let cc = 1;
  let ss = 0;
  for (let k = 1; k <= n; k++) {
    if (k % RESYNC === 0) { cc = Math.cos(k * theta); ss = Math.sin(k * theta); } else {
      const u = cc * cs - ss * sn;
      ss = ss * cs + cc * sn;
      cc = u;
    }
    const ak = a[k] as number;
    h += ak * cc;
    dh -= ak * k * Math.PI * ss;
    big += (ak * ss) / (k * Math.PI);
    d2h -= ak * k * k * Math.PI * Math.PI * cc;
  }
  out[0] = h;
  out[1] = dh;
  out[2] = big;
  out[3] = d2h;
}

/**
 * A zero of f on [lo, hi] where f(lo), f(hi) have opposite signs (or one is 0), by Newton steps kept inside
 * the bracket (bisection when a step leaves it), until the bracket is 1e-15 wide or |f| ≤ tol (the rounding
 * level of f). `f` writes value and derivative into out[0], out[1].
 */
function bracketedRoot(f: (t: number, out: Float64Array) => void, lo: number, hi: number, flo: number, tol: number, out: Float64Array): number {
  if (flo === 0) return lo;
  let x = 0.5 * (lo + hi);
  for (let it = 0; it < 200 && hi - lo > 1e-15; it++) {
    f(x, out);
    const v = out[0] as number;
    const d = out[1] as number;
    if (Math.abs(v) <= tol) return x;
    if ((v > 0) === (flo > 0)) lo = x; else hi = x;
    let next = x - v / d;
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - x) < 1e-16) return next;
    x = next;
  }
  return 0.5 * (lo + hi);
}

/** ∫_0^1 |Σ_{k≤n} a_k cos(kπt)| dt, exactly up to rounding (see the file comment). */
function integrateAbsSeries(a: Float64Array, n: number): number {
  // mesh values of h and h′ on m/cells, cells ≥ 4n a power of two: one complex FFT of length 2·cells of
  // z_k = a_k + i·k·a_k gives Σ a_k cos(πkm/cells) and Σ k a_k sin(πkm/cells) (O(n log n), not O(n²))
  let cells = 16;
  while (cells < 4 * n) cells *= 2;
  const len = 2 * cells;
  const zr = new Float64Array(len);
  const zi = new Float64Array(len);
  for (let k = 0; k <= n; k++) { zr[k] = a[k] as number; zi[k] = k * (a[k] as number); }
  fft(zr, zi);
  const hv = new Float64Array(cells + 1);
  const dv = new Float64Array(cells + 1);
  for (let m = 0; m <= cells; m++) {
    const j = (len - m) % len;
    // A = FFT(a) = (Z_m + conj Z_{L−m})/2, B = FFT(k·a) = (Z_m − conj Z_{L−m})/(2i); h = Re A, h′ = π·Im B
    hv[m] = 0.5 * ((zr[m] as number) + (zr[j] as number));
    dv[m] = Math.PI * -0.5 * ((zr[m] as number) - (zr[j] as number));
  }
  const out = new Float64Array(4);
  const valueAndSlope = (t: number, o: Float64Array): void => evalSeries(a, n, t, o);
  const slopeAndCurvature = (t: number, o: Float64Array): void => { evalSeries(a, n, t, o); o[0] = o[1] as number; o[1] = o[3] as number; };
  // |h| ≤ Σ|a_k|; sign changes of h below the rounding level of its evaluation are noise and are not refined
  // (skipping them moves the integral by at most 2·floor).
  let scale = 0;
  let slopeScale = 0;
  for (let k = 0; k <= n; k++) { scale += Math.abs(a[k] as number); slopeScale += k * Math.PI * Math.abs(a[k] as number); }
  const floor = 64 * Number.EPSILON * scale;
  const slopeFloor = 64 * Number.EPSILON * slopeScale;
  const roots: number[] = [];
  for (let m = 0; m < cells; m++) {
    const lo = m / cells;
    const hi = (m + 1) / cells;
    const h0 = hv[m] as number;
    const h1 = hv[m + 1] as number;
    if (Math.abs(h0) < floor && Math.abs(h1) < floor) continue;
    if (h0 === 0 && m > 0) { roots.push(lo); continue; }
    if ((h0 < 0 && h1 > 0) || (h0 > 0 && h1 < 0)) { roots.push(bracketedRoot(valueAndSlope, lo, hi, h0, floor, out)); continue; }
    const d0 = dv[m] as number;
    const d1 = dv[m + 1] as number;
    if ((d0 < 0 && d1 > 0) || (d0 > 0 && d1 < 0)) {
      // an extremum inside the cell: a pair of roots hides there when h changes sign at it
      const tx = bracketedRoot(slopeAndCurvature, lo, hi, d0, slopeFloor, out);
      evalSeries(a, n, tx, out);
      const hx = out[0] as number;
      if (Math.abs(hx) > floor && ((hx < 0 && h0 > 0) || (hx > 0 && h0 < 0))) {
        roots.push(bracketedRoot(valueAndSlope, lo, tx, h0, floor, out));
        roots.push(bracketedRoot(valueAndSlope, tx, hi, hx, floor, out));
      }
    }
  }
  let total = 0;
  let prev = 0; // H(0) = 0
  for (const z of roots) {
    evalSeries(a, n, z, out);
    const cur = out[2] as number;
    total += Math.abs(cur - prev);
    prev = cur;
  }
  total += Math.abs((a[0] as number) - prev); // H(1) = a_0
  return total;
}

/** smECE_σ from the cosine moments of the residuals. */
function smeceAtMoments(moments: CosineMoments, sigma: number): number {
  const n = seriesLength(sigma);
  const c = moments.upTo(n);
  const a = new Float64Array(n + 1);
  a[0] = c[0] as number;
  const q = -0.5 * Math.PI * Math.PI * sigma * sigma;
  for (let k = 1; k <= n; k++) a[k] = 2 * Math.exp(q * k * k) * (c[k] as number);
  return integrateAbsSeries(a, n);
}

function residuals(conf: Float64Array, correct: Uint8Array): Float64Array {
  const rs = new Float64Array(conf.length);
  for (let i = 0; i < conf.length; i++) rs[i] = (conf[i] as number) - (correct[i] as number);
  return rs;
}

/**
 * smECE_σ at a given bandwidth σ > 0 (no fixed point), exact as described in the file comment.
 * Cost O(N·2.9/σ + (2.9/σ)²).
 * @example
 * // fixture D1 of docs/metrics.md §0 (top-label confidence and correctness)
 * const conf = Float64Array.of(0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67);
 * const correct = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1);
 * smoothEceAt(conf, correct, 0.1) // ~> 0.142748846
 */
export function smoothEceAt(conf: Float64Array, correct: Uint8Array, sigma: number): number {
  if (conf.length === 0 || !(sigma > 0)) return Number.NaN;
  return smeceAtMoments(new CosineMoments(conf, residuals(conf, correct)), sigma);
}

/** Result of `smoothEceDetails`. */
export interface SmoothEceDetails {
  /** smECE, i.e. σ* = smECE_σ* (or smECE at SMECE_SIGMA_MIN when `belowFloor`). */
  readonly value: number;
  /** The bandwidth where the search stopped (σ* up to ~1e-14). */
  readonly sigma: number;
  /** |mean(c − a)|, a lower bound of smECE_σ at every σ. */
  readonly lowerBound: number;
  /** True when σ* < SMECE_SIGMA_MIN and `value` is the lower bound smECE_{SMECE_SIGMA_MIN}. */
  readonly belowFloor: boolean;
  /** Evaluations of smECE_σ the search used. */
  readonly evaluations: number;
}

/**
 * smECE with its bandwidth and diagnostics. The fixed point σ = smECE_σ lies in [|mean r|, mean |r|]
 * (smECE_σ lies between the two at every σ); the bracket is narrowed from above (geometric steps, and
 * smECE_σ itself as the lower end) to a ratio of 2, then Illinois regula falsi on g(σ) = smECE_σ − σ,
 * which is strictly decreasing, runs to a bracket of 1e-14 or |g| < 1e-15.
 */
export function smoothEceDetails(conf: Float64Array, correct: Uint8Array): SmoothEceDetails {
  const n = conf.length;
  if (n === 0) return { value: Number.NaN, sigma: Number.NaN, lowerBound: Number.NaN, belowFloor: false, evaluations: 0 };
  const rs = residuals(conf, correct);
  let mean = 0;
  let meanAbs = 0;
  for (let i = 0; i < n; i++) { mean += rs[i] as number; meanAbs += Math.abs(rs[i] as number); }
  mean = Math.abs(mean / n);
  meanAbs /= n;
  if (meanAbs - mean <= 1e-15 * meanAbs) {
    // all residuals of one sign: h never changes sign and smECE_σ = |mean r| at every σ
    return { value: mean, sigma: mean, lowerBound: mean, belowFloor: false, evaluations: 0 };
  }
  const moments = new CosineMoments(conf, rs);
  let evaluations = 0;
  const g = (s: number): number => { evaluations++; return smeceAtMoments(moments, s) - s; };
  const lowest = Math.max(mean, SMECE_SIGMA_MIN);
  // S = smECE_σ is non-increasing, so S(σ) ≤ σ* for every σ ≥ σ* and S(σ) ≥ σ* for every σ ≤ σ*:
  // each evaluation above σ* gives a lower end. Small σ cost O(1/σ²), so the search comes down from above.
  let hi = meanAbs;
  let ghi = g(hi);
  if (ghi >= 0) return { value: ghi + hi, sigma: hi, lowerBound: mean, belowFloor: false, evaluations };
  let lo = Math.max(hi + ghi, lowest);
  let glo = Number.NaN;
  while (hi / lo > 2) {
    const mid = Math.sqrt(lo * hi);
    const gm = g(mid);
    if (gm > 0) { lo = mid; glo = gm; } else { hi = mid; ghi = gm; if (mid + gm > lo) { lo = mid + gm; glo = Number.NaN; } }
  }
  if (Number.isNaN(glo)) glo = g(lo);
  if (glo <= 0) {
    // σ* ≤ lo, and lo = S(σ) ≥ σ* for some σ ≥ σ*, or lo is the floor: σ* = lo = |mean r|, or σ* is below the floor
    return { value: glo + lo, sigma: lo, lowerBound: mean, belowFloor: lo === SMECE_SIGMA_MIN && lo > mean && glo < 0, evaluations };
  }
  let best = Math.abs(glo) < Math.abs(ghi) ? lo : hi;
  let bestG = Math.abs(glo) < Math.abs(ghi) ? glo : ghi;
  let side = 0;
  for (let it = 0; it < 200 && hi - lo > 1e-14 && Math.abs(bestG) >= 1e-15; it++) {
    let x = (lo * ghi - hi * glo) / (ghi - glo);
    if (!(x > lo && x < hi)) x = 0.5 * (lo + hi);
    const gx = g(x);
    if (Math.abs(gx) < Math.abs(bestG)) { best = x; bestG = gx; }
    if (gx > 0) { lo = x; glo = gx; if (side === -1) ghi /= 2; side = -1; } else { hi = x; ghi = gx; if (side === 1) glo /= 2; side = 1; }
  }
  return { value: best + bestG, sigma: best, lowerBound: mean, belowFloor: false, evaluations };
}

/**
 * Smooth ECE of top-label (confidence, correctness) pairs: the fixed point σ* = smECE_σ* of the reflected
 * Gaussian kernel with all its images, computed exactly (about 1e-13; see the file comment and docs/metrics.md).
 * @example
 * // fixture D1 of docs/metrics.md §0 (top-label confidence and correctness)
 * const conf = Float64Array.of(0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67);
 * const correct = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1);
 * smece(conf, correct) // ~> 0.128523238
 */
export function smece(conf: Float64Array, correct: Uint8Array): number {
  return smoothEceDetails(conf, correct).value;
}
