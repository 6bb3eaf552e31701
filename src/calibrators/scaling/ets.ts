/**
 * Ensemble temperature scaling (Zhang, Kailkhura, Han, "Mix-n-Match: Ensemble and Compositional Methods for
 * Uncertainty Calibration in Deep Learning", ICML 2020): `q = w1·softmax(z/T) + w2·softmax(z) + w3/K` with w
 * on the simplex. Fitted as in the paper's code (calibrators.md §5.1): T by temperature scaling with the
 * MSE (Brier) loss, then w by minimising the mean squared error over the simplex. With T fixed that is a
 * convex quadratic in w, solved exactly here by the KKT system on each of the 7 supports (the feasible
 * solution with the lowest MSE wins), so a vertex such as (1, 0, 0) is returned exactly.
 * Preserves the argmax when w1 + w2 > 0. Cost: TS fit plus one O(N·K) pass.
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { softmaxRowInto } from '../../math/softmax.js';
import { checkLabelled, checkLogits, outputBuffer } from '../core/checks.js';
import { checkEnvelope, envelope, type FitDiagnostics } from '../core/envelope.js';
import { readNumberArray, readTemperature, toList } from '../core/model-fields.js';
import { OptionReader, storedOptions } from '../core/options.js';
import { fitTemperature } from './temperature.js';
import type { CalibrationInput, CalibratorJSON, CalibratorSpec, FitResult, FittedCalibrator, LabelledInput, RawOptions } from '../core/types.js';

/** The 3×3 Gram matrix H_jl = Σ_i <P_j,i, P_l,i> and g_j = Σ_i <P_j,i, Y_i> of the three member predictions. */
function gram(logits: Matrix, labels: Int32Array, T: number): { H: Float64Array; g: Float64Array; c: number } {
  const { rows: N, cols: K, data } = logits;
  const a = new Float64Array(K), b = new Float64Array(K);
  const H = new Float64Array(9), g = new Float64Array(3);
  const u = 1 / K;
  for (let i = 0; i < N; i++) {
    softmaxRowInto(data, K, i, 1 / T, a, 0);
    softmaxRowInto(data, K, i, 1, b, 0);
    let aa = 0, ab = 0, bb = 0, sa = 0, sb = 0;
    for (let k = 0; k < K; k++) {
      const x = a[k] as number, y = b[k] as number;
      aa += x * x; ab += x * y; bb += y * y; sa += x; sb += y;
    }
    const lab = labels[i] as number;
    H[0] = (H[0] as number) + aa; H[1] = (H[1] as number) + ab; H[2] = (H[2] as number) + u * sa;
    H[4] = (H[4] as number) + bb; H[5] = (H[5] as number) + u * sb; H[8] = (H[8] as number) + u;
    g[0] = (g[0] as number) + (a[lab] as number); g[1] = (g[1] as number) + (b[lab] as number); g[2] = (g[2] as number) + u;
  }
  H[3] = H[1] as number; H[6] = H[2] as number; H[7] = H[5] as number;
  return { H, g, c: N };
}

/** Mean over N·K of (q − Y)² for weights w, from the Gram quantities. */
function mseOf(w: ArrayLike<number>, H: Float64Array, g: Float64Array, N: number, K: number): number {
  let quad = 0, lin = 0;
  for (let j = 0; j < 3; j++) {
    lin += (w[j] as number) * (g[j] as number);
    for (let l = 0; l < 3; l++) quad += (w[j] as number) * (w[l] as number) * (H[j * 3 + l] as number);
  }
  return (quad - 2 * lin + N) / (N * K);
}

/** Solves a small dense system in place by Gaussian elimination with partial pivoting; null if singular. */
function solve(A: number[][], rhs: number[]): number[] | null {
  const n = rhs.length;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs((A[r] as number[])[c] as number) > Math.abs((A[p] as number[])[c] as number)) p = r;
    const pivot = (A[p] as number[])[c] as number;
    if (Math.abs(pivot) < 1e-14) return null;
    [A[c], A[p]] = [A[p] as number[], A[c] as number[]];
    [rhs[c], rhs[p]] = [rhs[p] as number, rhs[c] as number];
    for (let r = c + 1; r < n; r++) {
      const f = ((A[r] as number[])[c] as number) / ((A[c] as number[])[c] as number);
      for (let k = c; k < n; k++) (A[r] as number[])[k] = ((A[r] as number[])[k] as number) - f * ((A[c] as number[])[k] as number);
      rhs[r] = (rhs[r] as number) - f * (rhs[c] as number);
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = rhs[r] as number;
    for (let k = r + 1; k < n; k++) s -= ((A[r] as number[])[k] as number) * (x[k] as number);
    x[r] = s / ((A[r] as number[])[r] as number);
  }
  return x;
}

/**
 * Exact simplex-constrained least squares for the ETS weights (the paper's SLSQP problem, solved by KKT
 * over the 7 supports). Returns weights (scaled, original, uniform) and the MSE. Cost O(N·K).
 */
export function fitEnsembleWeights(logits: Matrix, labels: Int32Array, T: number): { weights: Float64Array; mse: number } {
  const N = logits.rows, K = logits.cols;
  const { H, g } = gram(logits, labels, T);
  let best: Float64Array | null = null, bestMse = Infinity;
  for (let mask = 1; mask < 8; mask++) {
    const S = [0, 1, 2].filter((j) => (mask >> j) & 1);
    const m = S.length;
    // [H_SS 1; 1ᵀ 0][w; ν] = [g_S; 1]
    const A: number[][] = [];
    const rhs: number[] = [];
    for (let r = 0; r < m; r++) {
      const jr = S[r] as number;
      A.push([...S.map((jc) => H[jr * 3 + jc] as number), 1]);
      rhs.push(g[jr] as number);
    }
    A.push([...S.map(() => 1), 0]);
    rhs.push(1);
    const x = solve(A, rhs);
    if (x === null) continue;
    const w = new Float64Array(3);
    let ok = true;
    S.forEach((j, r) => { const v = x[r] as number; if (v < -1e-12) ok = false; w[j] = Math.max(v, 0); });
    if (!ok) continue;
    const sum = w[0]! + w[1]! + w[2]!;
    for (let j = 0; j < 3; j++) w[j] = (w[j] as number) / sum;
    const mse = mseOf(w, H, g, N, K);
    if (mse < bestMse - 1e-15 || (best === null)) { best = w; bestMse = mse; }
  }
  if (best === null) throw new CalibraError('E_NUMERIC', 'ets: no feasible weight vector (degenerate members)');
  return { weights: best, mse: bestMse };
}

/** A fitted ETS model. Immutable. */
export class EnsembleTemperatureModel implements FittedCalibrator {
  readonly method = 'ets';
  readonly preservesArgmax: boolean;
  constructor(
    readonly numClasses: number, readonly temperature: number, private readonly w: Float64Array,
    private readonly options: Readonly<Record<string, string | number | boolean>>, private readonly diag: FitDiagnostics,
  ) { this.preservesArgmax = (w[0] as number) + (w[1] as number) > 0; }

  /** Learned weights (scaled, original, uniform), a copy. */
  weights(): Float64Array { return this.w.slice(); }

  /** w1·softmax(z/T) + w2·softmax(z) + w3/K per row. Cost O(N·K). */
  predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
    const K = this.numClasses;
    checkLogits(input.logits, 'ets', K);
    const dst = outputBuffer(input, out, 'ets');
    const { rows, data } = input.logits;
    const a = new Float64Array(K), b = new Float64Array(K);
    const w1 = this.w[0] as number, w2 = this.w[1] as number, w3 = (this.w[2] as number) / K;
    for (let r = 0; r < rows; r++) {
      softmaxRowInto(data, K, r, 1 / this.temperature, a, 0);
      softmaxRowInto(data, K, r, 1, b, 0);
      for (let k = 0; k < K; k++) dst[r * K + k] = w1 * (a[k] as number) + w2 * (b[k] as number) + w3;
    }
    return { data: dst, rows, cols: K };
  }

  toJSON(): CalibratorJSON {
    return envelope({ method: 'ets', input: 'logits', numClasses: this.numClasses, reduction: 'none', options: { ...this.options }, params: { T: this.temperature, weights: toList(this.w) }, fit: this.diag, seed: null });
  }
}

const ETS_DEFAULTS = { tsObjective: 'brier', maxIterations: 100 } as const;

function readEtsOptions(raw: RawOptions): { tsObjective: 'brier' | 'nll'; maxIterations: number } {
  const r = new OptionReader('ets', raw, ETS_DEFAULTS);
  const o = { tsObjective: r.choice('tsObjective', ['brier', 'nll'] as const), maxIterations: r.number('maxIterations', { min: 1, integer: true }) };
  r.finish();
  return o;
}

/** Ensemble temperature scaling spec (id `ets`). */
export const ensembleTemperatureScaling: CalibratorSpec = {
  id: 'ets',
  title: 'Ensemble temperature scaling (Zhang et al. 2020)',
  input: 'logits',
  preservesArgmax: true,
  defaults: ETS_DEFAULTS,
  fit(data: LabelledInput, options: RawOptions): FitResult {
    const o = readEtsOptions(options);
    checkLabelled(data, 'ets');
    const ts = fitTemperature(data.logits, data.labels, { objective: o.tsObjective, maxIterations: o.maxIterations });
    const { weights, mse } = fitEnsembleWeights(data.logits, data.labels, ts.temperature);
    const warnings = [...ts.warnings];
    if (!((weights[0] as number) + (weights[1] as number) > 0)) warnings.push('ets-uniform: all weight on the uniform member; every row is uniform and the argmax is a tie');
    const diag = { converged: ts.converged, iterations: ts.iterations, loss: mse, warnings };
    return { model: new EnsembleTemperatureModel(data.logits.cols, ts.temperature, weights, o, diag), ...diag };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    const K = checkEnvelope(json, 'ets').numClasses;
    const T = readTemperature(json.params['T'], 'params.T');
    const w = readNumberArray(json.params['weights'], 'params.weights', { length: 3 });
    const sum = w[0]! + w[1]! + w[2]!;
    if (w.some((v) => v < 0) || Math.abs(sum - 1) > 1e-9) {
      throw new CalibraError('E_MODEL_INVALID', `ets: model field 'params.weights' must be non-negative and sum to 1 (sum ${sum})`, { where: "field 'params.weights'" });
    }
    return new EnsembleTemperatureModel(K, T, w, readEtsOptions(storedOptions(json)), json.fit);
  },
};
