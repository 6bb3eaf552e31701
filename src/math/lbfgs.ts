/**
 * Limited-memory BFGS (Liu & Nocedal 1989) with a strong-Wolfe line search (Nocedal & Wright,
 * *Numerical Optimization*, 2nd ed., Algorithms 3.5 and 3.6 with cubic interpolation in `zoom`).
 *
 * float64 throughout; every work buffer is allocated once per call, none inside the iteration loop.
 * Cost per iteration: one or a few objective evaluations plus O(m·n) for the two-loop recursion.
 *
 * @example
 * // minimise (x0 - 3)^2 + 10 (x1 + 1)^2
 * const r = minimizeLbfgs((x, g) => {
 *   g[0] = 2 * (x[0]! - 3); g[1] = 20 * (x[1]! + 1);
 *   return (x[0]! - 3) ** 2 + 10 * (x[1]! + 1) ** 2;
 * }, new Float64Array([0, 0]));
 * r.x // ~> [3.00000, -1.00000]
 * r.converged // => true
 */

/** Writes the gradient at `x` into `grad` and returns the objective value. Must not keep `x` or `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Settings of {@link minimizeLbfgs}; every field has a default. */
export interface LbfgsOptions {
  /** Maximum number of iterations (default 1000). */
  readonly maxIterations?: number;
  /** History length m (default 10). */
  readonly memory?: number;
  /** Stop when max|g| ≤ gradientTolerance·max(1, |f|) (default 1e-10). */
  readonly gradientTolerance?: number;
  /** Stop when the relative decrease of f over one iteration is below this (default 1e-15) and max|g| ≤ 1e3·gradientTolerance·max(1, |f|). */
  readonly functionTolerance?: number;
  /** Maximum objective evaluations within one line search (default 40). */
  readonly maxLineSearch?: number;
  /** Sufficient-decrease constant (default 1e-4). */
  readonly c1?: number;
  /** Curvature constant of the strong Wolfe condition (default 0.9). */
  readonly c2?: number;
}

/** Outcome of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  /** The final point (a new array). */
  readonly x: Float64Array;
  readonly f: number;
  /** max |g| at the final point. */
  readonly gradInfNorm: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
  /** Why it stopped: 'gradient', 'function', 'max-iterations', 'line-search', 'non-finite'. */
  readonly reason: 'gradient' | 'function' | 'max-iterations' | 'line-search' | 'non-finite';
}

function dot(n: number, a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

function infNorm(n: number, a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < n; i++) { const v = Math.abs(a[i] as number); if (v > m) m = v; }
  return m;
}

/** Minimiser of the cubic through (a, fa, ga), (b, fb, gb), clamped to [lo, hi]; bisection when undefined. */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number, lo: number, hi: number): number {
  const d1 = ga + gb - 3 * (fa - fb) / (a - b);
  const disc = d1 * d1 - ga * gb;
  let t: number;
  if (disc >= 0 && a !== b) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    t = b - (b - a) * (gb + d2 - d1) / (gb - ga + 2 * d2);
  } else {
    t = (a + b) / 2;
  }
  if (!Number.isFinite(t)) t = (a + b) / 2;
  return Math.min(Math.max(t, lo), hi);
}

/**
 * Minimises a smooth function of n variables from `x0`. Returns the best point found with diagnostics;
 * `converged` is false when it stopped for another reason than a gradient/function tolerance.
 * Cost: O(iterations · (evaluation + m·n)).
 */
export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const maxIter = options.maxIterations ?? 1000;
  const m = options.memory ?? 10;
  const gtol = options.gradientTolerance ?? 1e-10;
  const ftol = options.functionTolerance ?? 1e-15;
  const maxLs = options.maxLineSearch ?? 40;
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  const d = new Float64Array(n);
  const xt = new Float64Array(n);
  const gt = new Float64Array(n);
  // the best trial point of a line search, kept so that accepting it needs no extra evaluation
  const keep: Keep = { x: new Float64Array(n), g: new Float64Array(n), xt, gt };
  const S = new Float64Array(m * n);
  const Y = new Float64Array(m * n);
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let head = 0; // next slot
  let count = 0;
  let evaluations = 0;

  const evalAt = (step: number): number => {
    for (let i = 0; i < n; i++) xt[i] = (x[i] as number) + step * (d[i] as number);
    evaluations++;
    return objective(xt, gt);
  };

  let f = objective(x, g);
  evaluations++;
  if (!Number.isFinite(f)) return { x, f, gradInfNorm: infNorm(n, g), iterations: 0, evaluations, converged: false, reason: 'non-finite' };
  let iterations = 0;
  let reason: LbfgsResult['reason'] = 'max-iterations';
  // best accepted trial kept in xt/gt via copy; we copy on acceptance.
  while (iterations < maxIter) {
    const gn = infNorm(n, g);
    if (gn <= gtol * Math.max(1, Math.abs(f))) { reason = 'gradient'; break; }
    // two-loop recursion: d = -H g
    for (let i = 0; i < n; i++) d[i] = -(g[i] as number);
    let idx = head;
    for (let k = 0; k < count; k++) {
      idx = (idx - 1 + m) % m;
      const s = S.subarray(idx * n, idx * n + n);
      const a = (rho[idx] as number) * dot(n, s, d);
      alpha[idx] = a;
      const y = Y.subarray(idx * n, idx * n + n);
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) - a * (y[i] as number);
    }
    if (count > 0) {
      const last = (head - 1 + m) % m;
      const y = Y.subarray(last * n, last * n + n);
      const gamma = 1 / ((rho[last] as number) * dot(n, y, y));
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) * gamma;
    }
    for (let k = 0; k < count; k++) {
      const s = S.subarray(idx * n, idx * n + n);
      const y = Y.subarray(idx * n, idx * n + n);
      const b = (rho[idx] as number) * dot(n, y, d);
      const a = alpha[idx] as number;
      for (let i = 0; i < n; i++) d[i] = (d[i] as number) + (a - b) * (s[i] as number);
      idx = (idx + 1) % m;
    }
    let dg = dot(n, d, g);
    if (!(dg < 0)) {
      // not a descent direction: restart with steepest descent
      for (let i = 0; i < n; i++) d[i] = -(g[i] as number);
      count = 0;
      dg = dot(n, d, g);
    }
    const step0 = count === 0 ? Math.min(1, 1 / Math.max(gn, 1e-300)) : 1;
    const ls = strongWolfe(evalAt, f, dg, step0, c1, c2, maxLs, n, gt, d, keep);
    if (ls === null) { reason = 'line-search'; break; }
    // accept: xt/gt hold the accepted point. The pair (s, y) is tested (s·y > 0) BEFORE it is written:
    // when the history is full, slot `head` holds the oldest pair still in use, and a rejected pair
    // written there would corrupt it (its rho belongs to the old pair).
    let sy = 0;
    for (let i = 0; i < n; i++) sy += ((xt[i] as number) - (x[i] as number)) * ((gt[i] as number) - (g[i] as number));
    if (sy > 1e-300) {
      const slot = head;
      const s = S.subarray(slot * n, slot * n + n);
      const y = Y.subarray(slot * n, slot * n + n);
      for (let i = 0; i < n; i++) {
        s[i] = (xt[i] as number) - (x[i] as number);
        y[i] = (gt[i] as number) - (g[i] as number);
      }
      rho[slot] = 1 / sy;
      head = (head + 1) % m;
      if (count < m) count++;
    }
    const fPrev = f;
    x.set(xt);
    g.set(gt);
    f = ls;
    iterations++;
    if (!Number.isFinite(f)) { reason = 'non-finite'; break; }
    if (fPrev - f <= ftol * Math.max(1, Math.abs(f))) {
      if (infNorm(n, g) <= 1e3 * gtol * Math.max(1, Math.abs(f))) { reason = 'function'; break; }
    }
  }
  const gradInfNorm = infNorm(n, g);
  const converged = reason === 'gradient' || reason === 'function'
    || (reason === 'line-search' && gradInfNorm <= Math.sqrt(gtol) * Math.max(1, Math.abs(f)));
  return { x, f, gradInfNorm, iterations, evaluations, converged, reason };
}

/** Trial buffers of the line search and a copy of its best point. */
interface Keep { readonly x: Float64Array; readonly g: Float64Array; readonly xt: Float64Array; readonly gt: Float64Array }

function save(k: Keep): void { k.x.set(k.xt); k.g.set(k.gt); }
function restore(k: Keep): void { k.xt.set(k.x); k.gt.set(k.g); }

/**
 * Strong-Wolfe line search (N&W Alg. 3.5/3.6). On success the accepted point and gradient are left in
 * the caller's trial buffers and the value is returned; null on failure. At most `maxLs` evaluations in
 * all, the zoom phase included (its best point is kept, not evaluated again).
 */
function strongWolfe(
  evalAt: (step: number) => number, f0: number, dg0: number, step0: number,
  c1: number, c2: number, maxLs: number, n: number, gt: Float64Array, d: Float64Array, keep: Keep,
): number | null {
  let aPrev = 0, fPrev = f0, gPrev = dg0;
  let a = step0;
  let evals = 0;
  const aMax = 1e10;
  for (;;) {
    const fa = evalAt(a); evals++;
    const ga = dot(n, gt, d);
    if (!Number.isFinite(fa) || fa > f0 + c1 * a * dg0 || (evals > 1 && fa >= fPrev)) {
      return zoom(evalAt, f0, dg0, aPrev, fPrev, gPrev, a, Number.isFinite(fa) ? fa : Infinity, Number.isFinite(ga) ? ga : NaN, c1, c2, maxLs - evals, n, gt, d, keep);
    }
    if (Math.abs(ga) <= -c2 * dg0) return fa;
    if (ga >= 0) { save(keep); return zoom(evalAt, f0, dg0, a, fa, ga, aPrev, fPrev, gPrev, c1, c2, maxLs - evals, n, gt, d, keep); }
    if (evals >= maxLs || a >= aMax) return null;
    save(keep); // aPrev's point, in case the zoom that follows accepts it
    aPrev = a; fPrev = fa; gPrev = ga;
    a = Math.min(a * 2.5, aMax);
  }
}

function zoom(
  evalAt: (step: number) => number, f0: number, dg0: number,
  aLo: number, fLo: number, gLo: number, aHi: number, fHi: number, gHi: number,
  c1: number, c2: number, budget: number, n: number, gt: Float64Array, d: Float64Array, keep: Keep,
): number | null {
  for (let it = 0; it < budget; it++) {
    const lo = Math.min(aLo, aHi), hi = Math.max(aLo, aHi);
    const width = hi - lo;
    let a = Number.isFinite(fHi) && Number.isFinite(gHi)
      ? cubicMin(aLo, fLo, gLo, aHi, fHi, gHi, lo + 0.1 * width, hi - 0.1 * width)
      : lo + 0.5 * width;
    if (!Number.isFinite(a)) a = lo + 0.5 * width;
    const fa = evalAt(a);
    const ga = dot(n, gt, d);
    if (!Number.isFinite(fa) || fa > f0 + c1 * a * dg0 || fa >= fLo) {
      aHi = a; fHi = Number.isFinite(fa) ? fa : Infinity; gHi = ga;
    } else {
      if (Math.abs(ga) <= -c2 * dg0) return fa;
      if (ga * (aHi - aLo) >= 0) { aHi = aLo; fHi = fLo; gHi = gLo; }
      aLo = a; fLo = fa; gLo = ga;
      save(keep);
    }
    if (width <= 1e-16 * Math.max(1, hi)) break;
  }
  // Accept the best sufficient-decrease point if it lowers f (weak acceptance), else fail. Its point and
  // gradient were kept when it was evaluated: no evaluation past the budget.
  if (aLo > 0 && fLo < f0) {
    restore(keep);
    return fLo;
  }
  return null;
}
