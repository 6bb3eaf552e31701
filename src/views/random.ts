/**
 * Random sources for views and corruptions. Every transform takes a `RandomSource`: calibra's seeded
 * `Rng` (the default) or `NumpyRandom`, a port of NumPy's legacy `np.random.seed` stream (MT19937,
 * 53-bit doubles, polar-method normals) used to cross-check against Python runs of the reference
 * corruption code (views-and-corruptions spec §2.5). Also: an exact Poisson sampler.
 */

/** What a transform needs from a generator. `Rng` (src/math/rng.ts) satisfies it. */
export interface RandomSource {
  /** Uniform in [0, 1). */
  random(): number;
  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Standard normal. */
  normal(): number;
}

/**
 * NumPy's legacy global generator (`np.random.seed(s)`; MT19937 with Knuth initialisation), giving the
 * same uniform and normal streams as NumPy's `np.random.uniform` / `np.random.normal`. Cost O(1) per draw.
 * @example new NumpyRandom(0).random() // => 0.5488135039273248
 */
export class NumpyRandom implements RandomSource {
  private readonly mt = new Uint32Array(624);
  private mti = 624;
  private gauss: number | null = null;

  constructor(seed: number) {
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] as number;
      const x = (prev ^ (prev >>> 30)) >>> 0;
      mt[i] = (Math.imul(1812433253, x) + i) >>> 0;
    }
  }

  /** The next raw 32-bit output. */
  nextUint32(): number {
    const mt = this.mt;
    if (this.mti >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = ((mt[k] as number) & 0x80000000) | ((mt[(k + 1) % 624] as number) & 0x7fffffff);
        mt[k] = ((mt[(k + 397) % 624] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
      }
      this.mti = 0;
    }
    let y = mt[this.mti++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** NumPy's `random_sample()`: a 53-bit double from two 32-bit outputs. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** NumPy's `uniform(lo, hi)`: lo + (hi − lo)·random(). */
  uniform(lo: number, hi: number): number { return lo + (hi - lo) * this.random(); }

  /** NumPy's legacy `normal()`: Marsaglia polar method, returning f·x2 and caching f·x1. */
  normal(): number {
    if (this.gauss !== null) { const g = this.gauss; this.gauss = null; return g; }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    return f * x2;
  }
}

const LOGGAM_A = [
  8.333333333333333e-2, -2.777777777777778e-3, 7.936507936507937e-4, -5.952380952380952e-4, 8.417508417508418e-4,
  -1.917526917526918e-3, 6.41025641025641e-3, -2.955065359477124e-2, 1.796443723688307e-1, -1.3924322169059,
];

/** ln Γ(x) for x > 0: NumPy's `random_loggam` (Stirling series after shifting x above 7). O(1). */
export function logGamma(x: number): number {
  if (x === 1 || x === 2) return 0;
  let x0 = x;
  let n = 0;
  if (x <= 7) { n = Math.floor(7 - x); x0 = x + n; }
  const x2 = 1 / (x0 * x0);
  let gl0 = LOGGAM_A[9] as number;
  for (let k = 8; k >= 0; k--) gl0 = gl0 * x2 + (LOGGAM_A[k] as number);
  let gl = gl0 / x0 + 0.5 * Math.log(2 * Math.PI) + (x0 - 0.5) * Math.log(x0) - x0;
  if (x <= 7) for (let k = 1; k <= n; k++) { gl -= Math.log(x0 - 1); x0 -= 1; }
  return gl;
}

/**
 * An exact Poisson(λ) draw: multiplication method for λ < 10, Hörmann's PTRS transformed rejection
 * (W. Hörmann 1993, "The transformed rejection method for generating Poisson random variables") above,
 * the same two algorithms NumPy uses. Expected O(1) draws per sample for λ ≥ 10, O(λ) below.
 * @example
 * import { Rng } from '../math/rng.js';
 * poisson(new Rng(1), 0) // => 0
 */
export function poisson(rng: RandomSource, lam: number): number {
  if (lam <= 0) return 0;
  if (lam < 10) {
    const enlam = Math.exp(-lam);
    let k = 0;
    let prod = 1;
    for (;;) {
      prod *= rng.random();
      if (prod > enlam) k++; else return k;
    }
  }
  const slam = Math.sqrt(lam);
  const loglam = Math.log(lam);
  const b = 0.931 + 2.53 * slam;
  const a = -0.059 + 0.02483 * b;
  const invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.random() - 0.5;
    const v = rng.random();
    const us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + lam + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lam + k * loglam - logGamma(k + 1)) return k;
  }
}
