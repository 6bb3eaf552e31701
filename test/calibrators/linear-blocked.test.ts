/**
 * The full-W linear-softmax objective handles rows four at a time plus a remainder loop (N mod 4 rows).
 * Property: for every N (all four residues mod 4) its value and gradient equal a plain per-row computation
 * written here from the definition (mean NLL of softmax(W x + b), gradient (p − e_y) xᵀ / N and (p − e_y) / N).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { linearSoftmaxObjective } from '../../src/calibrators/scaling/linear-softmax.js';

const NO_PENALTY = { diag: 0, off: 0, diagTarget: 1, bias: 0 };

function reference(X: Float64Array, labels: Int32Array, K: number, th: Float64Array): { f: number; g: Float64Array } {
  const N = labels.length, g = new Float64Array(K * K + K);
  let f = 0;
  for (let i = 0; i < N; i++) {
    const z: number[] = [];
    for (let k = 0; k < K; k++) { let s = th[K * K + k] as number; for (let j = 0; j < K; j++) s += (th[k * K + j] as number) * (X[i * K + j] as number); z.push(s); }
    const m = Math.max(...z), lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
    f += lse - (z[labels[i] as number] as number);
    for (let k = 0; k < K; k++) {
      const d = Math.exp((z[k] as number) - lse) - (k === labels[i] ? 1 : 0);
      for (let j = 0; j < K; j++) g[k * K + j] = (g[k * K + j] as number) + d * (X[i * K + j] as number) / N;
      g[K * K + k] = (g[K * K + k] as number) + d / N;
    }
  }
  return { f: f / N, g };
}

describe('full-W linear-softmax objective: the 4-row blocking is exact for every N mod 4', () => {
  it('value and gradient equal the per-row definition (N = 1..13, K = 2..5, random W, b, X)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 13 }), fc.integer({ min: 2, max: 5 }), fc.integer({ min: 1, max: 2 ** 30 }), (N, K, seed) => {
      let s = seed;
      const rnd = (): number => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 * 6 - 3; };
      const X = Float64Array.from({ length: N * K }, rnd);
      const labels = Int32Array.from({ length: N }, () => Math.floor((rnd() + 3) / 6 * K) % K);
      const th = Float64Array.from({ length: K * K + K }, rnd);
      const g = new Float64Array(K * K + K);
      const f = linearSoftmaxObjective(X, labels, K, 'full', NO_PENALTY)(th, g);
      const r = reference(X, labels, K, th);
      expect(Math.abs(f - r.f)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(r.f)));
      for (let i = 0; i < g.length; i++) expect(Math.abs((g[i] as number) - (r.g[i] as number))).toBeLessThanOrEqual(1e-13);
    }), { numRuns: 200, seed: 14 });
  });
});
