/**
 * Fixtures for the binning-family tests: G and B of calibrators.md §0 (shared with the scaling tests), and a
 * seeded structured multiclass problem.
 */
import type { Matrix } from '../../src/math/matrix.js';

export { binaryLogits, fixtureB, fixtureG } from './scaling-fixtures.js';

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
