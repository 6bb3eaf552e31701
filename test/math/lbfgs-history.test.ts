/**
 * Issue 13, latent numerics of L-BFGS (case N1 of docs/robustness.md): a step whose pair (s, y) fails the
 * curvature test s·y > 0 must leave the history untouched. Before the fix the pair was written into slot
 * `head` before the test, so with a full history a rejected pair replaced the oldest live pair's s and y
 * while its rho stayed, and every later direction was computed from a corrupted pair.
 *
 * Independent check, without hooks into the optimiser: running it with maxIterations = k gives the k-th
 * accepted iterate x_k (the run is deterministic), and the first evaluation of iteration k + 1 is the trial
 * point x_k + step0·d_k. The test rebuilds d_k with a textbook two-loop recursion (Nocedal & Wright,
 * Algorithm 7.4) over the accepted pairs that pass s·y > 0, and compares. Non-convex objectives with a
 * short line-search budget make the weak acceptance of a point with s·y <= 0 happen while the history is
 * full; the test asserts that it does, so it cannot pass vacuously.
 */
import { describe, expect, it } from 'vitest';
import { minimizeLbfgs, type Objective } from '../../src/math/lbfgs.js';

// non-convex in every coordinate: curvature changes sign, so accepted steps can have s·y <= 0
const wavy: Objective = (x, g) => {
  let f = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    f += 0.05 * v ** 4 + Math.sin(3 * v + i) - 0.5 * v * v;
    g[i] = 0.2 * v ** 3 + 3 * Math.cos(3 * v + i) - v;
  }
  return f;
};
const walls: Objective = (x, g) => {
  let f = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    f += Math.cosh(3 * v) + 0.3 * Math.sin(5 * v);
    g[i] = 3 * Math.sinh(3 * v) + 1.5 * Math.cos(5 * v);
  }
  return f;
};

interface Pair { readonly s: Float64Array; readonly y: Float64Array; readonly rho: number }

const dot = (a: Float64Array, b: Float64Array): number => a.reduce((t, v, i) => t + v * (b[i] as number), 0);

/** Textbook two-loop recursion: d = −H·g from the pairs, oldest first, with H0 = (s·y / y·y) I of the newest. */
function twoLoop(g: Float64Array, pairs: readonly Pair[]): Float64Array {
  const q = Float64Array.from(g, (v) => -v);
  const alpha: number[] = [];
  for (let k = pairs.length - 1; k >= 0; k--) {
    const p = pairs[k] as Pair;
    const a = p.rho * dot(p.s, q);
    alpha[k] = a;
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) - a * (p.y[i] as number);
  }
  if (pairs.length > 0) {
    const last = pairs[pairs.length - 1] as Pair;
    const gamma = 1 / (last.rho * dot(last.y, last.y));
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) * gamma;
  }
  for (let k = 0; k < pairs.length; k++) {
    const p = pairs[k] as Pair;
    const b = p.rho * dot(p.y, q);
    for (let i = 0; i < q.length; i++) q[i] = (q[i] as number) + ((alpha[k] as number) - b) * (p.s[i] as number);
  }
  return q;
}

/** Every point the optimiser evaluates, in order, for a run of at most `maxIterations` iterations. */
function trace(fn: Objective, x0: readonly number[], options: { memory: number; maxLineSearch: number; maxIterations: number }) {
  const points: Float64Array[] = [];
  const r = minimizeLbfgs((x, g) => { points.push(Float64Array.from(x)); return fn(x, g); }, Float64Array.from(x0), options);
  return { r, points };
}

describe('L-BFGS history: a pair that fails s·y > 0 leaves it untouched', () => {
  let rejectedWhileFull = 0;
  let directions = 0;
  const cases = [
    // starting points where a short line search accepts a step with s·y <= 0 (found by a seeded scan)
    ['wavy', wavy, [-1.61, 3.13]], ['wavy', wavy, [-0.29, 2.33, -2.7]], ['wavy', wavy, [0.57, -2.91]],
    ['wavy', wavy, [2.8, -3, 3.91]], ['wavy', wavy, [-1.08, 3.81, -0.14]], ['walls', walls, [2.5, -1.7, 0.3]],
  ] as const;
  for (const [name, fn, x0] of cases) {
    for (const memory of [1, 2, 3]) {
      for (const maxLineSearch of [1, 2, 3]) {
        it(`${name} from [${x0.join(', ')}], memory ${memory}, maxLineSearch ${maxLineSearch}: every direction equals the textbook two-loop's`, () => {
          const n = x0.length;
          const opts = { memory, maxLineSearch };
          let pairs: Pair[] = [];
          let x = Float64Array.from(x0);
          let g = new Float64Array(n);
          fn(x, g);
          let checked = 0;
          for (let k = 0; k < 40; k++) {
            const now = trace(fn, x0, { ...opts, maxIterations: k });
            const next = trace(fn, x0, { ...opts, maxIterations: k + 1 });
            expect(Array.from(now.r.x)).toEqual(Array.from(x)); // the rebuilt iterate is the optimiser's
            if (next.r.iterations === now.r.iterations) break; // it stopped: no direction to check
            // the direction the optimiser took from x_k: its first trial point after the k-run's evaluations
            const trial = next.points[now.r.evaluations] as Float64Array;
            let d = twoLoop(g, pairs);
            if (!(dot(d, g) < 0)) { pairs = []; d = Float64Array.from(g, (v) => -v); }
            const gn = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
            const step0 = pairs.length === 0 ? Math.min(1, 1 / Math.max(gn, 1e-300)) : 1;
            for (let i = 0; i < n; i++) {
              const taken = (trial[i] as number) - (x[i] as number);
              const want = step0 * (d[i] as number);
              expect(Math.abs(taken - want), `iteration ${k + 1}, coordinate ${i}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want), Math.abs(x[i] as number)));
            }
            checked++;
            // the accepted step and its curvature pair
            const xn = Float64Array.from(next.r.x);
            const gnext = new Float64Array(n);
            fn(xn, gnext);
            const s = xn.map((v, i) => v - (x[i] as number));
            const y = gnext.map((v, i) => v - (g[i] as number));
            const sy = dot(s, y);
            if (sy > 1e-300) {
              pairs.push({ s, y, rho: 1 / sy });
              if (pairs.length > memory) pairs.shift();
            } else if (pairs.length === memory) {
              rejectedWhileFull++;
            }
            x = xn; g = gnext;
          }
          directions += checked;
        });
      }
    }
  }
  it('the cases above do reject a pair while the history is full (so they test the slot)', () => {
    expect(rejectedWhileFull).toBeGreaterThan(0);
    expect(directions).toBeGreaterThan(100);
  });
});
