/**
 * Kernel-smoothed reliability curve with a bootstrap band, for the smooth diagram (Błasiok & Nakkiran,
 * ICLR 2024, "Smooth ECE: principled reliability diagrams via kernel smoothing"; metrics.md §3.9).
 *
 * The bandwidth is the smECE fixed point σ* = smECE_σ*, so σ* is the value of the smECE metric itself
 * (`smece` in src/metrics/kernel.ts, which this file calls unless the caller passes it). The curve is drawn
 * from samples deposited linearly on G = 1001 grid points, smoothed with the reflected Gaussian kernel
 * `K̃σ(t, f) = φσ(t − f) + φσ(t + f) + φσ(t − (2 − f))` evaluated between the grid and an M-point mesh.
 * Cost: O(N + G·M), plus `smece`'s cost when σ is not given; the bootstrap adds O(B·(N + G·M)).
 */
import { Rng } from '../math/rng.js';
import { smece as smoothEce } from '../metrics/kernel.js';

/** Result of `smoothReliabilityCurve`. */
export interface SmoothCurve {
  /** Mesh of confidences in [0, 1]. */
  readonly t: Float64Array;
  /** Smoothed accuracy E[correct | confidence = t]. */
  readonly mu: Float64Array;
  /** Bootstrap percentile band of `mu` (empty arrays when no bootstrap). */
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  /** Kernel density of the confidences on the mesh (integrates to about 1). */
  readonly density: Float64Array;
  /** Bandwidth the curve is drawn at ({@link curveBandwidth}; σ* itself with bandwidth 'smece'). */
  readonly sigma: number;
  /** smECE, i.e. the fixed point σ* itself (from src/metrics/kernel.ts unless given). */
  readonly smece: number;
  /** Band level, e.g. 0.95. */
  readonly level: number;
  readonly samples: number;
}

/** Options of `smoothReliabilityCurve`. */
export interface SmoothCurveOptions {
  /** smECE of these samples when already known (skips recomputing it); it is also the bandwidth. */
  readonly smece?: number;
  /** Mesh points of the curve (default 101; 1 + a divisor of 1000). */
  readonly mesh?: number;
  /** Bootstrap resamples of the band (default 100; 0 for none). */
  readonly bootstrap?: number;
  /** Two-sided band level (default 0.95). */
  readonly level?: number;
  /** Seed of the bootstrap (default 0). */
  readonly seed?: number;
  /**
   * Bandwidth of the drawn curve: 'adaptive' (default) = min(σ*, Silverman's rule 0.9·min(sd, IQR/1.34)·N^(−1/5)
   * of the confidences), 'smece' = σ* as relplot draws it, or a number. See {@link curveBandwidth}.
   */
  readonly bandwidth?: 'adaptive' | 'smece' | number;
}

/**
 * The bandwidth the curve is drawn at. The smECE fixed point σ* (= smECE) is the right bandwidth for the
 * metric, but it grows with the miscalibration: at σ* = 0.15 the kernel carries the accuracy of a large, well
 * calibrated cluster at confidence 0.95–1 into confidence 0.7–0.8, and the curve there reads 0.53 where the
 * samples' accuracy is 0.25 (docs/report.md, "Smooth curve vs binned diagram"). The bootstrap band holds the
 * bandwidth fixed, so it shows the variance of that smoothing, not its bias, and stays narrow. 'adaptive'
 * caps σ at Silverman's density bandwidth of the confidences, which shrinks with N, so the curve follows the
 * data where it is dense; the smECE value reported is unchanged. Cost O(N log N).
 */
export function curveBandwidth(confidences: Float64Array, smece: number, mode: 'adaptive' | 'smece' | number): number {
  const sigmaStar = Math.min(Math.max(smece, 1e-3), 1);
  if (typeof mode === 'number') return Math.min(Math.max(mode, 1e-3), 1);
  if (mode === 'smece') return sigmaStar;
  const n = confidences.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += confidences[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) { const d = (confidences[i] as number) - mean; ss += d * d; }
  const sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
  const sorted = Float64Array.from(confidences).sort();
  const iqr = percentileSorted(sorted, 0.75) - percentileSorted(sorted, 0.25);
  const spread = iqr > 0 ? Math.min(sd, iqr / 1.34) : sd;
  const silverman = 0.9 * spread * n ** (-1 / 5);
  return silverman > 0 ? Math.min(sigmaStar, Math.max(silverman, 1e-3)) : sigmaStar;
}

const GRID = 1001;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/**
 * Reflected Gaussian kernel matrix (mesh × grid), row-major. The mesh must be a subset of the grid
 * (GRID − 1 divisible by mesh − 1), so every distance is a multiple of 1/(GRID − 1) and φσ is tabulated
 * once: O(GRID) exps plus O(mesh · GRID) additions.
 */
function kernelMatrix(m: number, sigma: number, out: Float64Array, phi: Float64Array): Float64Array {
  const h = 1 / (GRID - 1);
  const norm = 1 / (sigma * SQRT_2PI);
  for (let d = 0; d < phi.length; d++) { const u = (d * h) / sigma; phi[d] = norm * Math.exp(-0.5 * u * u); }
  const step = (GRID - 1) / (m - 1);
  const two = 2 * (GRID - 1);
  for (let j = 0; j < m; j++) {
    const tj = j * step;
    const base = j * GRID;
    for (let k = 0; k < GRID; k++) {
      out[base + k] = (phi[Math.abs(tj - k)] as number) + (phi[tj + k] as number) + (phi[two - k - tj] as number);
    }
  }
  return out;
}

/** Adds weight `w` at position f in [0, 1] to the grid, split linearly between the two nearest points. */
function deposit(grid: Float64Array, f: number, w: number): void {
  const u = Math.min(Math.max(f, 0), 1) * (GRID - 1);
  const k = Math.min(Math.floor(u), GRID - 2);
  const frac = u - k;
  grid[k] = (grid[k] as number) + w * (1 - frac);
  grid[k + 1] = (grid[k + 1] as number) + w * frac;
}

/** outA[j] = Σ_k K[j, k] · a[k] and outB[j] = Σ_k K[j, k] · b[k], in one pass over the kernel. */
function smoothPairInto(kernel: Float64Array, a: Float64Array, b: Float64Array, m: number, outA: Float64Array, outB: Float64Array): void {
  for (let j = 0; j < m; j++) {
    let sa = 0;
    let sb = 0;
    const base = j * GRID;
    for (let k = 0; k < GRID; k++) {
      const w = kernel[base + k] as number;
      sa += w * (a[k] as number);
      sb += w * (b[k] as number);
    }
    outA[j] = sa;
    outB[j] = sb;
  }
}

/** Linear-interpolated percentile (numpy's default) of a sorted array. */
function percentileSorted(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return (sorted[lo] as number) + (pos - lo) * ((sorted[hi] as number) - (sorted[lo] as number));
}

/**
 * Smoothed reliability curve of top-label confidences against correctness, at the smECE bandwidth, with a
 * bootstrap percentile band (resampling samples with replacement, σ held at σ*).
 *
 * @example
 * // fixture D1 of docs/metrics.md §0 (top-label confidence and correctness)
 * const conf = Float64Array.of(0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67);
 * const correct = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1);
 * smoothReliabilityCurve(conf, correct).smece // ~> 0.128523
 */
export function smoothReliabilityCurve(confidences: Float64Array, correct: Uint8Array, opts: SmoothCurveOptions = {}): SmoothCurve {
  const n = confidences.length;
  if (n === 0) throw new RangeError('smoothReliabilityCurve: no samples');
  if (correct.length !== n) throw new RangeError(`smoothReliabilityCurve: ${n} confidences but ${correct.length} correctness flags`);
  const m = opts.mesh ?? 101;
  if (!Number.isInteger(m) || m < 2 || (GRID - 1) % (m - 1) !== 0) throw new RangeError(`smoothReliabilityCurve: mesh ${m} must be 1 + a divisor of ${GRID - 1}`);
  const boot = opts.bootstrap ?? 100;
  const level = opts.level ?? 0.95;
  const t = new Float64Array(m);
  for (let j = 0; j < m; j++) t[j] = j / (m - 1);

  const dens = new Float64Array(GRID);
  const hits = new Float64Array(GRID);
  for (let i = 0; i < n; i++) {
    const f = confidences[i] as number;
    deposit(dens, f, 1 / n);
    deposit(hits, f, (correct[i] as number) / n);
  }
  const smece = opts.smece ?? smoothEce(confidences, correct);
  const sigma = curveBandwidth(confidences, smece, opts.bandwidth ?? 'adaptive');
  const kernel = kernelMatrix(m, sigma, new Float64Array(m * GRID), new Float64Array(2 * GRID - 1));
  const density = new Float64Array(m);
  const num = new Float64Array(m);
  smoothPairInto(kernel, dens, hits, m, density, num);
  const mu = new Float64Array(m);
  for (let j = 0; j < m; j++) mu[j] = (density[j] as number) > 0 ? (num[j] as number) / (density[j] as number) : t[j] as number;

  if (boot <= 0) return { t, mu, lower: new Float64Array(0), upper: new Float64Array(0), density, sigma, smece, level, samples: n };
  const rng = new Rng(opts.seed ?? 0);
  const reps = new Float64Array(boot * m);
  const bd = new Float64Array(m);
  const bn = new Float64Array(m);
  for (let b = 0; b < boot; b++) {
    dens.fill(0);
    hits.fill(0);
    for (let i = 0; i < n; i++) {
      const r = rng.int(n);
      const f = confidences[r] as number;
      deposit(dens, f, 1 / n);
      deposit(hits, f, (correct[r] as number) / n);
    }
    smoothPairInto(kernel, dens, hits, m, bd, bn);
    for (let j = 0; j < m; j++) reps[b * m + j] = (bd[j] as number) > 0 ? (bn[j] as number) / (bd[j] as number) : (mu[j] as number);
  }
  const lower = new Float64Array(m);
  const upper = new Float64Array(m);
  const col = new Float64Array(boot);
  const alpha = (1 - level) / 2;
  for (let j = 0; j < m; j++) {
    for (let b = 0; b < boot; b++) col[b] = reps[b * m + j] as number;
    col.sort();
    lower[j] = percentileSorted(col, alpha);
    upper[j] = percentileSorted(col, 1 - alpha);
  }
  return { t, mu, lower, upper, density, sigma, smece, level, samples: n };
}
