/**
 * Fixtures L, G, GS and B of calibrators.md §0, rebuilt in code (no data files).
 */
import type { Matrix } from '../../src/math/matrix.js';

/** Fixture L: 8×3 logits with labels (calibrators.md §0). */
export function fixtureL(): { logits: Matrix<Float64Array>; labels: Int32Array } {
  const z = [
    2.0, 0.5, -1.0, 1.2, 1.0, 0.3, -0.4, 2.2, 0.1, 0.3, -0.2, 1.5,
    3.0, 0.1, 0.0, 0.2, 0.9, 0.8, -1.0, 0.4, 2.6, 1.5, 1.4, -0.3,
  ];
  return { logits: { data: Float64Array.from(z), rows: 8, cols: 3 }, labels: Int32Array.from([0, 1, 1, 2, 0, 2, 2, 1]) };
}

/** Fixture G: 60×3 generated logits; `shift` adds a per-column constant (fixture GS uses (1, 0, -1)). */
export function fixtureG(shift: readonly number[] = [0, 0, 0]): { logits: Matrix<Float64Array>; labels: Int32Array } {
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
  for (let i = 0; i < N; i++) for (let k = 0; k < K; k++) z[i * K + k] = (z[i * K + k] as number) + (shift[k] ?? 0);
  return { logits: { data: z, rows: N, cols: K }, labels: y };
}

/** Fixture B: binary scores with ties, targets, and query points. */
export const fixtureB = {
  s: [0.05, 0.12, 0.12, 0.25, 0.33, 0.40, 0.40, 0.58, 0.66, 0.72, 0.85, 0.93],
  t: [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1],
  q: [0.0, 0.05, 0.1, 0.12, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.9, 1.0],
} as const;

/** Two-column logits (ln(1-s), ln s) whose softmax is (1-s, s); s is clipped to [eps, 1-eps] first. */
export function binaryLogits(s: readonly number[], eps = 1e-12): Matrix<Float64Array> {
  const out = new Float64Array(s.length * 2);
  s.forEach((v, i) => {
    const c = Math.min(Math.max(v, eps), 1 - eps);
    out[2 * i] = Math.log1p(-c);
    out[2 * i + 1] = Math.log(c);
  });
  return { data: out, rows: s.length, cols: 2 };
}

/** Max |a - b| over two arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
