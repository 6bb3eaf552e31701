import { describe, expect, it } from 'vitest';
import { minimizeLbfgs } from '../../src/math/lbfgs.js';

describe('minimizeLbfgs', () => {
  it('finds the minimum of the 2-D Rosenbrock function (1, 1) from (-1.2, 1)', () => {
    const r = minimizeLbfgs((x, g) => {
      const a = x[0] as number, b = x[1] as number;
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    }, Float64Array.of(-1.2, 1));
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(1, 8);
    expect(r.x[1]).toBeCloseTo(1, 8);
    expect(r.f).toBeLessThan(1e-16);
  });

  it('solves an ill-conditioned 50-D quadratic within its stopping tolerance (max|g| <= 1e-7, so |x - c| <= 1e-7)', () => {
    const n = 50;
    const d = Float64Array.from({ length: n }, (_, i) => 10 ** (3 * i / (n - 1)));
    const c = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const r = minimizeLbfgs((x, g) => {
      let f = 0;
      for (let i = 0; i < n; i++) { const e = (x[i] as number) - (c[i] as number); f += 0.5 * (d[i] as number) * e * e; g[i] = (d[i] as number) * e; }
      return f;
    }, new Float64Array(n), { maxIterations: 2000 });
    expect(r.converged).toBe(true);
    expect(r.gradInfNorm).toBeLessThanOrEqual(1e-7);
    for (let i = 0; i < n; i++) expect(Math.abs((r.x[i] as number) - (c[i] as number))).toBeLessThan(1.0001e-7);
  });

  it('reports max-iterations as not converged', () => {
    const r = minimizeLbfgs((x, g) => { g[0] = 2 * (x[0] as number) - 2; g[1] = 200 * (x[1] as number); return ((x[0] as number) - 1) ** 2 + 100 * (x[1] as number) ** 2; },
      Float64Array.of(10, 10), { maxIterations: 1 });
    expect(r.converged).toBe(false);
    expect(r.reason).toBe('max-iterations');
  });
});
