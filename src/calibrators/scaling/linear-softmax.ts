/**
 * The multinomial-logistic core shared by vector scaling, matrix scaling (Guo et al. 2017) and Dirichlet
 * calibration (Kull et al. 2019): `q = softmax(W·x + b)` on features x (logits, or ln p for Dirichlet),
 * with W diagonal ('diag') or full ('full'), fitted by mean NLL plus a quadratic penalty with an analytic
 * gradient and L-BFGS (src/math/lbfgs.ts), started from the identity map.
 *
 * Gauge (calibrators.md §1.5): softmax is invariant to adding a constant to every score, so b (and, for
 * 'full' without a W penalty, a vector added to every row of W) is not identified. When the penalty does
 * not fix it, the fitted parameters are projected to the gauge "Σb = 0, each column of W sums to its
 * identity value", which changes no probability beyond rounding.
 */
import { CalibraError } from '../../errors.js';
import { resolveMaxBytes } from '../../data/limits.js';
import { linearSoftmaxKernel, type LinearSoftmaxKernel } from '../../math/dense-kernel.js';
import { minimizeLbfgs } from '../../math/lbfgs.js';
import type { Matrix } from '../../math/matrix.js';
import { checkLogits, outputBuffer } from '../core/checks.js';
import { checkEnvelope, envelope, type FitDiagnostics } from '../core/envelope.js';
import { readMatrix, readNumber, readNumberArray, toList, toRows } from '../core/model-fields.js';
import type { CalibrationInput, CalibratorJSON, FittedCalibrator, Reduction } from '../core/types.js';

/** Diagonal (vector) or full (matrix) weights. */
export type LinearForm = 'diag' | 'full';

/** Features the linear map reads: the logits themselves, or log-softmax of them (Dirichlet). */
export type FeatureMode = 'logits' | 'log-probs';

/** ln of the smallest positive float64 (dirichletcal's clip of p, calibrators.md §1.1): floor of ln p features. */
export const LOG_PROB_FLOOR = Math.log(2.2250738585072014e-308);

/** Quadratic penalty: diag·Σ_k (W_kk − diagTarget)² + off·Σ_{i≠j} W_ij² + bias·Σ b². */
export interface LinearPenalty {
  readonly diag: number;
  readonly off: number;
  readonly diagTarget: number;
  readonly bias: number;
}

/** Result of {@link fitLinearSoftmax}. */
export interface LinearFit {
  /** K (diag) or K×K row-major (full) weights. */
  readonly W: Float64Array;
  readonly b: Float64Array;
  /** Objective (mean NLL + penalty) at the returned parameters. */
  readonly loss: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly warnings: string[];
}

/** Features of row r into `out` (length K): the logits, or their log-softmax floored at LOG_PROB_FLOOR. */
export function featuresRow(data: ArrayLike<number>, K: number, r: number, mode: FeatureMode, out: Float64Array): void {
  const base = r * K;
  if (mode === 'logits') {
    for (let k = 0; k < K; k++) out[k] = data[base + k] as number;
    return;
  }
  let m = -Infinity;
  for (let k = 0; k < K; k++) { const z = data[base + k] as number; if (z > m) m = z; }
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.exp((data[base + k] as number) - m);
  const lse = m + Math.log(s);
  for (let k = 0; k < K; k++) out[k] = Math.max((data[base + k] as number) - lse, LOG_PROB_FLOOR);
}

/** Scores s = W x + b for one feature row; returns max score. */
function scores(form: LinearForm, K: number, W: ArrayLike<number>, b: ArrayLike<number>, x: Float64Array, xo: number, s: Float64Array): number {
  let m = -Infinity;
  for (let k = 0; k < K; k++) {
    let v = b[k] as number;
    if (form === 'diag') v += (W[k] as number) * (x[xo + k] as number);
    else { const base = k * K; for (let j = 0; j < K; j++) v += (W[base + j] as number) * (x[xo + j] as number); }
    s[k] = v;
    if (v > m) m = v;
  }
  return m;
}

/**
 * The objective of {@link fitLinearSoftmax} on precomputed features X (N×K row-major): writes the analytic
 * gradient into `g` and returns mean NLL + penalty. Parameters are [W (K or K×K), b (K)]. Cost O(N·K) or O(N·K²).
 * With a native `kernel` (full form only; src/math/dense-kernel.ts) the sums come from its GEMMs: the same
 * objective to rounding (about 1e-15 relative; test/math/dense-kernel.test.ts), not the same bits.
 */
export function linearSoftmaxObjective(
  X: Float64Array, labels: Int32Array, K: number, form: LinearForm, penalty: LinearPenalty,
  kernel: LinearSoftmaxKernel | null = null,
): (th: Float64Array, g: Float64Array) => number {
  const N = labels.length;
  const nW = form === 'diag' ? K : K * K;
  if (kernel !== null && form === 'full') {
    const gW = new Float64Array(nW);
    const gb = new Float64Array(K);
    return (th: Float64Array, g: Float64Array): number => {
      const nll = kernel.evaluate(th.subarray(0, nW), th.subarray(nW), gW, gb);
      for (let i = 0; i < nW; i++) g[i] = (gW[i] as number) / N;
      for (let k = 0; k < K; k++) g[nW + k] = (gb[k] as number) / N;
      return nll / N + addPenalty(form, K, th, g, penalty);
    };
  }
  const s = new Float64Array(K);
  const block = new Float64Array(4 * K);
  return (th: Float64Array, g: Float64Array): number => {
    g.fill(0);
    const W = th.subarray(0, nW), b = th.subarray(nW);
    let nll = 0;
    // Full W: four rows at a time share each load of W (the O(N·K²) part); every sum keeps the row order of
    // the one-row loop below, so the result is bit-identical to it.
    const blocked = form === 'full' ? N - (N % 4) : 0;
    for (let i = 0; i < blocked; i += 4) nll = fullBlock4(X, labels, K, N, W, b, i, block, g, nW, nll);
    for (let i = blocked; i < N; i++) {
      const xo = i * K;
      const m = scores(form, K, W, b, X, xo, s);
      let sum = 0;
      for (let k = 0; k < K; k++) { const e = Math.exp((s[k] as number) - m); s[k] = e; sum += e; }
      const y = labels[i] as number;
      nll += m + Math.log(sum) - (b[y] as number) - dotRow(form, K, W, X, xo, y);
      const inv = 1 / (sum * N);
      for (let k = 0; k < K; k++) {
        const gk = (s[k] as number) * inv - (k === y ? 1 / N : 0);
        g[nW + k] = (g[nW + k] as number) + gk;
        if (form === 'diag') g[k] = (g[k] as number) + gk * (X[xo + k] as number);
        else { const base = k * K; for (let j = 0; j < K; j++) g[base + j] = (g[base + j] as number) + gk * (X[xo + j] as number); }
      }
    }
    return nll / N + addPenalty(form, K, th, g, penalty);
  };
}

/**
 * L-BFGS history of the linear-softmax fits. The objective of matrix scaling / Dirichlet on confident logits is
 * badly conditioned: with the default history of 10, `ms` needed 2 696 iterations and `dirichlet` more than
 * 1 000 on test/fixtures/overconfident; with 100 they need 501 and 967 (odir 717). The two-loop cost
 * O(m·(K² + K)) per iteration stays below one objective evaluation O(N·K²).
 */
export const LINEAR_LBFGS_MEMORY = 100;
/** The history (2·m vectors of n doubles) is kept within this many doubles (128 MB): m ≥ 10 always. */
const LBFGS_HISTORY_DOUBLES = 16e6;

/** History length for n parameters: 100, fewer for large K×K fits (K = 1024 full: 15). */
export function lbfgsMemory(n: number): number {
  return Math.max(10, Math.min(LINEAR_LBFGS_MEMORY, Math.floor(LBFGS_HISTORY_DOUBLES / (2 * n))));
}

/**
 * Fits W and b by L-BFGS on mean NLL + penalty, from the identity map (a TS warm start was tried and saved
 * under 10% of the iterations on 20 000 × 100 logits, so it is not used). Cost per evaluation O(N·K) for
 * 'diag' and O(N·K²) for 'full'; features are computed once (N×K float64).
 */
export function fitLinearSoftmax(
  logits: Matrix, labels: Int32Array, form: LinearForm, mode: FeatureMode, penalty: LinearPenalty,
  opts: { readonly maxIterations: number; readonly gradientTolerance?: number },
): LinearFit {
  const { rows: N, cols: K } = logits;
  // float64 logits are their own features (read only): no N×K copy (400 MB at 50 000 × 1 000)
  const inPlace = mode === 'logits' && logits.data instanceof Float64Array;
  const X = inPlace ? (logits.data as Float64Array).subarray(0, N * K) : new Float64Array(N * K);
  if (!inPlace) {
    const row = new Float64Array(K);
    for (let r = 0; r < N; r++) { featuresRow(logits.data, K, r, mode, row); X.set(row, r * K); }
  }
  const nW = form === 'diag' ? K : K * K;
  const theta = new Float64Array(nW + K);
  for (let k = 0; k < K; k++) theta[form === 'diag' ? k : k * K + k] = 1;
  // full W: the GEMM kernel when one is registered and the problem pays for it (O(N·K²) per evaluation)
  const kernel = form === 'full' ? linearSoftmaxKernel(X, labels, N, K) : null;
  const objective = linearSoftmaxObjective(X, labels, K, form, penalty, kernel);
  let r: ReturnType<typeof minimizeLbfgs>;
  try {
    r = minimizeLbfgs(objective, theta, { maxIterations: opts.maxIterations, gradientTolerance: opts.gradientTolerance ?? 1e-9, memory: lbfgsMemory(theta.length) });
  } finally {
    kernel?.dispose();
  }
  const W = r.x.slice(0, nW), b = r.x.slice(nW);
  fixGauge(form, K, W, b, penalty);
  const warnings: string[] = [];
  if (!r.converged) warnings.push(`not-converged: L-BFGS stopped (${r.reason}) after ${r.iterations} iterations, max|grad| = ${r.gradInfNorm.toExponential(3)}`);
  let maxAbs = 0;
  for (let i = 0; i < r.x.length; i++) maxAbs = Math.max(maxAbs, Math.abs(r.x[i] as number));
  const unpenalised = penalty.diag === 0 && penalty.off === 0 && penalty.bias === 0;
  if (unpenalised && (maxAbs > 1e3 || r.f < 1e-6 || (!r.converged && r.f < 1e-3))) {
    warnings.push(`separable: the unregularised fit diverges (max |parameter| = ${maxAbs.toExponential(3)}, loss = ${r.f.toExponential(3)}); set a penalty (lambda) > 0`);
  }
  return { W, b, loss: r.f, iterations: r.iterations, converged: r.converged, warnings };
}

/**
 * The full-form objective terms of rows i..i+3: scores, softmax, NLL terms (added to `nllSoFar` in row order;
 * returns the new running sum) and gradient contributions (added in row order), sharing each load of W across
 * the four rows. `sc` holds 4×K scratch.
 */
function fullBlock4(X: Float64Array, labels: Int32Array, K: number, N: number, W: Float64Array, b: Float64Array, i: number, sc: Float64Array, g: Float64Array, nW: number, nllSoFar: number): number {
  const o0 = i * K, o1 = o0 + K, o2 = o1 + K, o3 = o2 + K;
  let m0 = -Infinity, m1 = -Infinity, m2 = -Infinity, m3 = -Infinity;
  for (let k = 0; k < K; k++) {
    const bk = b[k] as number;
    let v0 = bk, v1 = bk, v2 = bk, v3 = bk;
    const base = k * K;
    for (let j = 0; j < K; j++) {
      const w = W[base + j] as number;
      v0 += w * (X[o0 + j] as number);
      v1 += w * (X[o1 + j] as number);
      v2 += w * (X[o2 + j] as number);
      v3 += w * (X[o3 + j] as number);
    }
    sc[k] = v0; sc[K + k] = v1; sc[2 * K + k] = v2; sc[3 * K + k] = v3;
    if (v0 > m0) m0 = v0;
    if (v1 > m1) m1 = v1;
    if (v2 > m2) m2 = v2;
    if (v3 > m3) m3 = v3;
  }
  const ms = [m0, m1, m2, m3];
  const inv = [0, 0, 0, 0];
  let nll = nllSoFar;
  for (let r = 0; r < 4; r++) {
    const m = ms[r] as number, so = r * K;
    let sum = 0;
    for (let k = 0; k < K; k++) { const e = Math.exp((sc[so + k] as number) - m); sc[so + k] = e; sum += e; }
    const y = labels[i + r] as number;
    nll += m + Math.log(sum) - (b[y] as number) - dotRow('full', K, W, X, (i + r) * K, y);
    inv[r] = 1 / (sum * N);
  }
  const y0 = labels[i] as number, y1 = labels[i + 1] as number, y2 = labels[i + 2] as number, y3 = labels[i + 3] as number;
  const i0 = inv[0] as number, i1 = inv[1] as number, i2 = inv[2] as number, i3 = inv[3] as number;
  const oneOverN = 1 / N;
  for (let k = 0; k < K; k++) {
    const g0 = (sc[k] as number) * i0 - (k === y0 ? oneOverN : 0);
    const g1 = (sc[K + k] as number) * i1 - (k === y1 ? oneOverN : 0);
    const g2 = (sc[2 * K + k] as number) * i2 - (k === y2 ? oneOverN : 0);
    const g3 = (sc[3 * K + k] as number) * i3 - (k === y3 ? oneOverN : 0);
    g[nW + k] = (g[nW + k] as number) + g0 + g1 + g2 + g3;
    const base = k * K;
    for (let j = 0; j < K; j++) {
      g[base + j] = (g[base + j] as number) + g0 * (X[o0 + j] as number) + g1 * (X[o1 + j] as number) + g2 * (X[o2 + j] as number) + g3 * (X[o3 + j] as number);
    }
  }
  return nll;
}

function dotRow(form: LinearForm, K: number, W: Float64Array, x: Float64Array, xo: number, y: number): number {
  if (form === 'diag') return (W[y] as number) * (x[xo + y] as number);
  let v = 0;
  const base = y * K;
  for (let j = 0; j < K; j++) v += (W[base + j] as number) * (x[xo + j] as number);
  return v;
}

function addPenalty(form: LinearForm, K: number, th: Float64Array, g: Float64Array, p: LinearPenalty): number {
  let pen = 0;
  const nW = form === 'diag' ? K : K * K;
  for (let i = 0; i < nW; i++) {
    const isDiag = form === 'diag' || Math.floor(i / K) === i % K;
    const c = isDiag ? p.diag : p.off;
    if (c === 0) continue;
    const d = (th[i] as number) - (isDiag ? p.diagTarget : 0);
    pen += c * d * d;
    g[i] = (g[i] as number) + 2 * c * d;
  }
  if (p.bias !== 0) {
    for (let k = 0; k < K; k++) {
      const v = th[nW + k] as number;
      pen += p.bias * v * v;
      g[nW + k] = (g[nW + k] as number) + 2 * p.bias * v;
    }
  }
  return pen;
}

function fixGauge(form: LinearForm, K: number, W: Float64Array, b: Float64Array, p: LinearPenalty): void {
  if (p.bias === 0) {
    let mean = 0;
    for (let k = 0; k < K; k++) mean += b[k] as number;
    mean /= K;
    for (let k = 0; k < K; k++) b[k] = (b[k] as number) - mean;
  }
  if (form === 'full' && p.diag === 0 && p.off === 0) {
    for (let j = 0; j < K; j++) {
      let col = 0;
      for (let k = 0; k < K; k++) col += W[k * K + j] as number;
      const shift = (col - 1) / K;
      for (let k = 0; k < K; k++) W[k * K + j] = (W[k * K + j] as number) - shift;
    }
  }
}

/**
 * Bytes a full K×K fit holds: L-BFGS keeps 10 (s, y) pairs and 6 more vectors of the K² + K parameters.
 * Cost: O(1).
 */
export function fullFitBytes(K: number): number {
  return (2 * 10 + 6) * (K * K + K) * 8;
}

/** The longest Float64Array this engine allocates (2^32 - 1 items in Node 20's V8). */
const MAX_TYPED_LENGTH = 2 ** 32 - 1;

/**
 * Refuses a full K×K fit above `maxClasses` (E_TOO_LARGE; default 1024): its cost is O(N·K²) per L-BFGS
 * evaluation and K² parameters (K = 1000 at N = 50 000: minutes with the native GEMM kernel of the CLI and
 * calibra/node, hours in the browser's pure-JS loops). The fix names the option that lifts the limit, but
 * only when lifting it can work: a fit whose optimiser memory is over the memory limit (`CALIBRA_MAX_BYTES`,
 * default 2 GiB) or over the engine's array length is refused whatever `maxClasses` says, and the fix says so.
 */
export function checkFullSize(method: string, K: number, maxClasses: number): void {
  const bytes = fullFitBytes(K);
  const limit = resolveMaxBytes();
  if (bytes > limit || 10 * (K * K + K) > MAX_TYPED_LENGTH) {
    const engine = 10 * (K * K + K) > MAX_TYPED_LENGTH;
    throw new CalibraError('E_TOO_LARGE', `${method}: ${K} classes means ${K * K} weights; the optimiser would hold ${bytes} bytes, over ${engine ? 'what one array can hold in this engine' : `the memory limit of ${limit} bytes`}`, {
      where: "option 'maxClasses'",
      fix: engine ? 'use vs or dirichlet-diag (K weights, not K²)' : 'use vs or dirichlet-diag (K weights, not K²), or raise the limit with CALIBRA_MAX_BYTES=64G if the machine has the memory',
    });
  }
  if (K > maxClasses) {
    throw new CalibraError('E_TOO_LARGE', `${method}: ${K} classes means ${K * K} weights and O(N·K²) work per iteration`, {
      where: "option 'maxClasses'", fix: `use vs or dirichlet-diag, or pass --option maxClasses=${K} to fit anyway`,
    });
  }
}

/** Which envelope a linear model writes: method id, parameter names and whether ln p features are used. */
export interface LinearLayout {
  readonly method: string;
  readonly form: LinearForm;
  readonly mode: FeatureMode;
}

/** A fitted `softmax(W·x + b)` model (VS, MS, Dirichlet). Immutable; never preserves the argmax in general. */
export class LinearSoftmaxModel implements FittedCalibrator {
  readonly preservesArgmax = false;
  readonly method: string;
  constructor(
    private readonly layout: LinearLayout, readonly numClasses: number,
    private readonly W: Float64Array, private readonly b: Float64Array,
    private readonly options: Readonly<Record<string, string | number | boolean>>, private readonly diag: FitDiagnostics,
  ) { this.method = layout.method; }

  /** softmax(W·x + b) per row. Cost O(N·K) ('diag') or O(N·K²) ('full'). */
  predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
    const K = this.numClasses;
    checkLogits(input.logits, this.method, K);
    const dst = outputBuffer(input, out, this.method);
    const { rows, data } = input.logits;
    const x = new Float64Array(K), s = new Float64Array(K);
    for (let r = 0; r < rows; r++) {
      featuresRow(data, K, r, this.layout.mode, x);
      const m = scores(this.layout.form, K, this.W, this.b, x, 0, s);
      let sum = 0;
      for (let k = 0; k < K; k++) { const e = Math.exp((s[k] as number) - m); s[k] = e; sum += e; }
      const inv = 1 / sum;
      for (let k = 0; k < K; k++) dst[r * K + k] = (s[k] as number) * inv;
    }
    return { data: dst, rows, cols: K };
  }

  /** Learned weights: a copy of w (K) or W (K×K row-major). */
  weights(): Float64Array { return this.W.slice(); }
  /** Learned biases (a copy). */
  biases(): Float64Array { return this.b.slice(); }

  toJSON(): CalibratorJSON {
    const K = this.numClasses;
    const params: Record<string, unknown> = this.layout.form === 'diag'
      ? { w: toList(this.W), b: toList(this.b) }
      : { W: toRows(this.W, K, K), b: toList(this.b) };
    if (this.layout.mode === 'log-probs') params['logEps'] = LOG_PROB_FLOOR;
    const reduction: Reduction = 'none';
    return envelope({ method: this.method, input: 'logits', numClasses: K, reduction, options: { ...this.options }, params, fit: this.diag, seed: null });
  }
}

/** Loads a {@link LinearSoftmaxModel} envelope after checking every field; `options` are re-validated by the caller. */
export function loadLinearModel(
  layout: LinearLayout, json: CalibratorJSON, options: Readonly<Record<string, string | number | boolean>>,
): LinearSoftmaxModel {
  const K = checkEnvelope(json, layout.method).numClasses;
  const p = json.params;
  const W = layout.form === 'diag'
    ? readNumberArray(p['w'], 'params.w', { length: K })
    : readMatrix(p['W'], 'params.W', K, K);
  const b = readNumberArray(p['b'], 'params.b', { length: K });
  if (layout.mode === 'log-probs' && readNumber(p['logEps'], 'params.logEps') !== LOG_PROB_FLOOR) {
    throw new CalibraError('E_MODEL_INVALID', `${layout.method}: model field 'params.logEps' must be ${LOG_PROB_FLOOR}`, { where: "field 'params.logEps'" });
  }
  return new LinearSoftmaxModel(layout, K, W, b, options, json.fit);
}
