/**
 * Binary logistic regression to the exact maximum of the likelihood, by Newton's method — the one solver of
 * Platt scaling, beta calibration and scaling-binning's Platt step.
 *
 * Minimises L(w) = (1/n) Σ_i [softplus(z_i) − t_i z_i] + (penalty/2n)·Σ_{j<d} w_j², z_i = Σ_j w_j x_ij + w_d, with
 * targets t_i ∈ [0, 1] (Platt's smoothed targets are allowed). Damped Newton with an Armijo line search, and
 * a stopping rule that works at float64 precision: near the optimum the predicted decrease g·H⁻¹g falls below
 * the rounding of L, where a line search can no longer tell a better point from a worse one; there the full
 * Newton step is taken (quadratic convergence), and the iteration stops when the gradient is below 1e-13 or
 * stops shrinking (its float64 noise floor). `converged` is then true when max|g| ≤ 1e-9 (for scale: the
 * exact MLE moves by about |g|/λ_min(H)). Hitting `maxIterations`, or a loss within 1e-10 of the targets'
 * own entropy (every probability saturated), means the MLE runs off to infinity (separable data):
 * `separable: true`, `converged: false`.
 * Cost O(n·d²) per iteration; typically 5-15 iterations.
 */

/** Result of {@link logisticNewton}. */
export interface LogisticFit {
  /** Weights of the columns, then the intercept. */
  readonly w: number[];
  /** Mean loss (with the penalty term) at `w`. */
  readonly loss: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Largest |gradient| entry at `w`. */
  readonly gradient: number;
  /** The iteration cap was reached while the loss kept falling: the data look separable. */
  readonly separable: boolean;
}

/** Options of {@link logisticNewton}. */
export interface LogisticOptions {
  /** Starting weights (columns, then intercept); default all 0. */
  readonly start?: readonly number[];
  /** L2 penalty on the column weights, in units of the summed loss (sklearn's 1/C); default 0. */
  readonly penalty?: number;
  /** Default 200. */
  readonly maxIterations?: number;
}

/** Gradient below which the fit is exact to float64 noise. */
const G_EXACT = 1e-13;
/** Gradient at or below which a stalled fit still counts as converged. */
const G_CONVERGED = 1e-9;

/**
 * Fits the logistic model to feature columns `cols` (each of length n) and targets `t`.
 * @example
 * const fit = logisticNewton([Float64Array.of(5, -4, 1, 2)], [1, 0, 1, 0]);
 * fit.converged // => true
 * fit.gradient < 1e-8 // => true
 */
export function logisticNewton(cols: readonly Float64Array[], t: ArrayLike<number>, opts: LogisticOptions = {}): LogisticFit {
  const n = t.length, d = cols.length + 1;
  const lam = (opts.penalty ?? 0) / n;
  const maxIt = opts.maxIterations ?? 200;
  const w = opts.start !== undefined ? Array.from(opts.start) : new Array<number>(d).fill(0);
  const u = new Float64Array(n);
  const trial = new Array<number>(d);
  const lossAt = (ww: readonly number[], keep: boolean): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let z = ww[d - 1] as number;
      for (let j = 0; j < d - 1; j++) z += (ww[j] as number) * ((cols[j] as Float64Array)[i] as number);
      if (keep) u[i] = z;
      s += (z >= 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - (t[i] as number) * z;
    }
    let pen = 0;
    for (let j = 0; j < d - 1; j++) pen += (ww[j] as number) ** 2;
    return s / n + 0.5 * lam * pen;
  };
  let loss = lossAt(w, true);
  const g = new Array<number>(d), H = new Array<number>(d * d);
  let it = 0, gmax: number, lastFull = Infinity, converged: boolean, separable = false;
  for (; ; it++) {
    g.fill(0); H.fill(0);
    for (let i = 0; i < n; i++) {
      const z = u[i] as number;
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const r = (p - (t[i] as number)) / n, wgt = (p * (1 - p)) / n;
      for (let j = 0; j < d; j++) {
        const xj = j === d - 1 ? 1 : (cols[j] as Float64Array)[i] as number;
        g[j] = (g[j] as number) + r * xj;
        for (let l = 0; l <= j; l++) {
          const xl = l === d - 1 ? 1 : (cols[l] as Float64Array)[i] as number;
          H[j * d + l] = (H[j * d + l] as number) + wgt * xj * xl;
        }
      }
    }
    for (let j = 0; j < d - 1; j++) { g[j] = (g[j] as number) + lam * (w[j] as number); H[j * d + j] = (H[j * d + j] as number) + lam; }
    gmax = 0;
    for (let j = 0; j < d; j++) gmax = Math.max(gmax, Math.abs(g[j] as number));
    if (gmax <= G_EXACT) { converged = true; break; }
    // after a full step at float64 precision the gradient must keep shrinking; when it does not, stop there
    if (gmax >= 0.5 * lastFull) { converged = gmax <= G_CONVERGED; break; }
    if (it >= maxIt) { converged = false; separable = true; break; }
    for (let j = 0; j < d; j++) { H[j * d + j] = (H[j * d + j] as number) * (1 + 1e-14) + 1e-300; for (let l = 0; l < j; l++) H[l * d + j] = H[j * d + l] as number; }
    const step = cholSolve(H, g, d);
    let dec = 0;
    for (let j = 0; j < d; j++) dec += (g[j] as number) * (step[j] as number);
    if (!(dec > 0) || !Number.isFinite(dec)) { converged = gmax <= G_CONVERGED; break; }
    if (dec <= 8 * Number.EPSILON * Math.max(1, Math.abs(loss))) {
      // the predicted decrease dec/2 is below the rounding of the loss: take the whole Newton step
      for (let j = 0; j < d; j++) w[j] = (w[j] as number) - (step[j] as number);
      loss = lossAt(w, true);
      lastFull = gmax;
      continue;
    }
    lastFull = Infinity;
    let a = 1, ok = false;
    while (a >= 1e-12) {
      for (let j = 0; j < d; j++) trial[j] = (w[j] as number) - a * (step[j] as number);
      const nl = lossAt(trial, false);
      if (nl <= loss - 1e-4 * a * dec) { for (let j = 0; j < d; j++) w[j] = trial[j] as number; ok = true; break; }
      a /= 2;
    }
    if (!ok) { converged = gmax <= G_CONVERGED; break; }
    loss = lossAt(w, true);
  }
  // a fit of hard-ish targets whose loss is within 1e-10 of the targets' own entropy has every |z| ≳ 23:
  // the weights only stopped because the probabilities saturated (separable data, MLE at infinity)
  let entropy = 0;
  for (let i = 0; i < n; i++) { const ti = t[i] as number; if (ti > 0 && ti < 1) entropy -= ti * Math.log(ti) + (1 - ti) * Math.log1p(-ti); }
  if (loss - entropy / n < 1e-10) { separable = true; converged = false; }
  return { w, loss, iterations: it, converged, gradient: gmax, separable };
}

/** Solves H x = g for symmetric positive-definite H (d×d, row-major) by Cholesky. Cost O(d³). */
function cholSolve(H: readonly number[], g: readonly number[], d: number): number[] {
  const L = new Array<number>(d * d).fill(0);
  for (let j = 0; j < d; j++) {
    let s = H[j * d + j] as number;
    for (let k = 0; k < j; k++) s -= (L[j * d + k] as number) ** 2;
    const diag = Math.sqrt(Math.max(s, 1e-300));
    L[j * d + j] = diag;
    for (let i = j + 1; i < d; i++) {
      let v = H[i * d + j] as number;
      for (let k = 0; k < j; k++) v -= (L[i * d + k] as number) * (L[j * d + k] as number);
      L[i * d + j] = v / diag;
    }
  }
  const y = new Array<number>(d).fill(0), x = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) { let v = g[i] as number; for (let k = 0; k < i; k++) v -= (L[i * d + k] as number) * (y[k] as number); y[i] = v / (L[i * d + i] as number); }
  for (let i = d - 1; i >= 0; i--) { let v = y[i] as number; for (let k = i + 1; k < d; k++) v -= (L[k * d + i] as number) * (x[k] as number); x[i] = v / (L[i * d + i] as number); }
  return x;
}
