/**
 * Issue 13, latent numerics of L-BFGS: a line search never evaluates the objective more than its budget
 * (`maxLineSearch`), the zoom phase and the acceptance of its best point included; accepting that point
 * gives the same result as evaluating it again. Case N1 of docs/robustness.md.
 */
import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from '../../src/math/lbfgs.js';

type Objective = (x: Float64Array, g: Float64Array) => number;

const rosenbrock: Objective = (x, g) => {
  const a = x[0] as number, b = x[1] as number;
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};
// steep walls: trial steps overshoot, so the zoom phase runs out of budget often
const walls: Objective = (x, g) => {
  let f = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    f += Math.cosh(3 * v) + 0.3 * Math.sin(5 * v);
    g[i] = 3 * Math.sinh(3 * v) + 1.5 * Math.cos(5 * v);
  }
  return f;
};
const abs: Objective = (x, g) => {
  let f = 0;
  for (let i = 0; i < x.length; i++) { const v = x[i] as number; f += Math.sqrt(1e-4 + v * v); g[i] = v / Math.sqrt(1e-4 + v * v); }
  return f;
};

describe('L-BFGS line-search budget', () => {
  for (const [name, fn, x0] of [['rosenbrock', rosenbrock, [-1.2, 1]], ['walls', walls, [2.5, -1.7, 0.3]], ['smooth |x|', abs, [3, -2, 1, 0.5]]] as const) {
    for (const maxLineSearch of [1, 2, 3, 5]) {
      it(`${name}, maxLineSearch ${maxLineSearch}: at most 1 + maxLineSearch evaluations per iteration (and one failed search)`, () => {
        let calls = 0;
        const counted: Objective = (x, g) => { calls++; return fn(x, g); };
        const r = minimizeLbfgs(counted, Float64Array.from(x0), { maxLineSearch, maxIterations: 200 });
        expect(r.evaluations).toBe(calls);
        expect(calls).toBeLessThanOrEqual(1 + (r.iterations + 1) * maxLineSearch);
        expect(Number.isFinite(r.f)).toBe(true);
        // the reported point is the point whose value is reported
        const g = new Float64Array(x0.length);
        expect(fn(r.x, g)).toBe(r.f);
      });
    }
  }
});
