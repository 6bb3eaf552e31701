/**
 * Fixtures G and B of calibrators.md §0 for the binning-family tests, rebuilt in code (no data files).
 */
import type { Matrix } from '../../src/math/matrix.js';

/** Fixture G: 60×3 generated logits with labels (calibrators.md §0). */
export function fixtureG(): { logits: Matrix<Float64Array>; labels: Int32Array } {
  const N = 60, K = 3;
  const z = new Float64Array(N * K);
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    let best = -Infinity;
    for (let k = 0; k < K; k++) {
      const v = Math.round(3 * Math.sin(0.37 * (i + 1) * (k + 1) + k) * 1000) / 1000;
      z[i * K + k] = v;
      const noisy = v + 2 * Math.sin(2.1 * i + 1.1 * k + 0.5);
      if (noisy > best) { best = noisy; y[i] = k; }
    }
  }
  return { logits: { data: z, rows: N, cols: K }, labels: y };
}

/** Fixture B: binary scores with ties, targets, and query points (calibrators.md §0). */
export const fixtureB = {
  s: [0.05, 0.12, 0.12, 0.25, 0.33, 0.40, 0.40, 0.58, 0.66, 0.72, 0.85, 0.93],
  t: [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
  q: [0.0, 0.05, 0.1, 0.12, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 1.0],
} as const;

/** Two-column logits (ln(1-s), ln s) whose softmax is (1-s, s) up to rounding; s is clipped to [eps, 1-eps]. */
export function binaryLogits(s: readonly number[], eps = 1e-12): Matrix<Float64Array> {
  const out = new Float64Array(s.length * 2);
  s.forEach((v, i) => {
    const c = Math.min(Math.max(v, eps), 1 - eps);
    out[2 * i] = Math.log1p(-c);
    out[2 * i + 1] = Math.log(c);
  });
  return { data: out, rows: s.length, cols: 2 };
}

/** A seeded structured multiclass problem: N×K logits whose scale is `overconfidence` times too large. */
export function syntheticLogits(n: number, k: number, seed: number, overconfidence = 2.5): { logits: Matrix<Float64Array>; labels: Int32Array } {
  let st = seed >>> 0;
  const rand = (): number => { st = (st + 0x6d2b79f5) >>> 0; let x = st; x = Math.imul(x ^ (x >>> 15), x | 1); x ^= x + Math.imul(x ^ (x >>> 7), x | 61); return ((x ^ (x >>> 14)) >>> 0) / 4294967296; };
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const z = new Float64Array(n * k);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = Math.floor(rand() * k);
    y[i] = label;
    for (let j = 0; j < k; j++) z[i * k + j] = overconfidence * ((j === label ? 1.2 : 0) + gauss());
  }
  return { logits: { data: z, rows: n, cols: k }, labels: y };
}
