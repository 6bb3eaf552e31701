/**
 * Spline calibration (`spline`): Gupta, Rahimi, Ajanthan, Mensink, Sminchisescu & Hartley, "Calibration of
 * Neural Networks using Splines", ICLR 2021 (calibrators.md §9; reference kartikgupta-at-anu/spline-calibration).
 * Top-label: sort the confidences, integrate accuracy and confidence (A_j − S_j, divided by n) over
 * u_j = j/(n−1), fit a natural cubic spline with equally spaced knots (default 6) by least squares over the
 * knot values, and recalibrate each calibration point to r_j = g′(u_j) + c_(j). Prediction interpolates
 * linearly in the table (c_(j), r_j) (flat outside it) and clips to [0, 1]; `compatSwappedInterp` reproduces
 * the reference's swapped interpolation weights. The map is not monotone, and the full vector is built by the
 * top-label rule, so the argmax is not guaranteed. Cost: fit O(n log n + n·M²); predict O(N·(K + log n)).
 */
import type { Matrix } from '../../math/matrix.js';
import { applyTopLabelConfidences, rowMax, topLabelView } from './reduced-maps.js';
import { checkLabelled, checkPredictInput } from '../core/checks.js';
import { checkEnvelope, envelope, fitBlock } from '../core/envelope.js';
import { booleanOption, checkOptionKeys, choiceOption, numberOption } from '../core/options.js';
import { invalidModel, readBoolean, readNumber, readNumberArray, readObject } from '../core/model-fields.js';
import { inputProbabilities } from '../core/probabilities.js';
import type { CalibrationInput, CalibratorJSON, CalibratorSpec, FitContext, FittedCalibrator, FitResult, LabelledInput, RawOptions } from '../core/types.js';

const ID = 'spline';

/** Second derivatives at the knots of a natural cubic spline with equally spaced knots (step h). Cost O(M). */
export function naturalSecondDerivatives(values: Float64Array, h: number): Float64Array {
  const m = values.length;
  const d = new Float64Array(m);
  const n = m - 2;
  if (n <= 0) return d;
  // Thomas algorithm on D_{i-1} + 4 D_i + D_{i+1} = 6 (v_{i+1} − 2 v_i + v_{i−1}) / h², D_0 = D_{M−1} = 0.
  const cp = new Float64Array(n);
  const dp = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rhs = (6 * ((values[i + 2] as number) - 2 * (values[i + 1] as number) + (values[i] as number))) / (h * h);
    const denom = 4 - (i > 0 ? (cp[i - 1] as number) : 0);
    cp[i] = 1 / denom;
    dp[i] = (rhs - (i > 0 ? (dp[i - 1] as number) : 0)) / denom;
  }
  for (let i = n - 1; i >= 0; i--) d[i + 1] = (dp[i] as number) - (cp[i] as number) * (i < n - 1 ? (d[i + 2] as number) : 0);
  return d;
}

/** Value and derivative at u ∈ [0, 1] of the natural spline with knot values `v` and second derivatives `d`. */
export function splineAt(v: Float64Array, d: Float64Array, u: number): { value: number; slope: number } {
  const m = v.length;
  const h = 1 / (m - 1);
  const i = Math.min(m - 2, Math.max(0, Math.floor(u * (m - 1))));
  const t = (u - i * h) / h;
  const s = 1 - t;
  const vi = v[i] as number, vj = v[i + 1] as number, di = d[i] as number, dj = d[i + 1] as number;
  return {
    value: s * vi + t * vj + ((h * h) / 6) * ((s * s * s - s) * di + (t * t * t - t) * dj),
    slope: (vj - vi) / h + (h / 6) * (-(3 * s * s - 1) * di + (3 * t * t - 1) * dj),
  };
}

/** Symmetric eigen-decomposition by cyclic Jacobi (small matrices only). Returns eigenvalues and column eigenvectors. */
function jacobiEigen(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += (A[p * m + q] as number) ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q] as number;
        if (apq === 0) continue;
        const theta = ((A[q * m + q] as number) - (A[p * m + p] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = A[k * m + p] as number, akq = A[k * m + q] as number;
          A[k * m + p] = c * akp - s * akq; A[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = A[p * m + k] as number, aqk = A[q * m + k] as number;
          A[p * m + k] = c * apk - s * aqk; A[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k * m + p] as number, vkq = V[k * m + q] as number;
          V[k * m + p] = c * vkp - s * vkq; V[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(m);
  for (let i = 0; i < m; i++) values[i] = A[i * m + i] as number;
  return { values, vectors: V };
}

/** Result of {@link fitSplineTable}. */
export interface SplineTable {
  /** Sorted calibration confidences. */
  readonly x: Float64Array;
  /** Recalibrated value r_j at each x_j. */
  readonly y: Float64Array;
  /** Fitted knot values. */
  readonly knotValues: Float64Array;
  readonly warnings: readonly string[];
}

/**
 * Fits the recalibration table of Gupta et al. on confidences and 0/1 correctness: minimum-norm least squares
 * over the knot values (pseudo-inverse of the M×M normal matrix), so n < M is handled (with a warning).
 * Cost: O(n log n) stable sort + O(n·M²).
 */
export function fitSplineTable(conf: Float64Array, correct: ArrayLike<number>, knots: number): SplineTable {
  const n = conf.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ((conf[a] as number) - (conf[b] as number)) || (a - b));
  const x = new Float64Array(n);
  const target = new Float64Array(n);
  const u = new Float64Array(n);
  let accA = 0, accS = 0;
  const step = n > 1 ? 1 / (n - 1) : 0;
  for (let j = 0; j < n; j++) {
    const i = order[j] as number;
    x[j] = conf[i] as number;
    accA += correct[i] as number;
    accS += conf[i] as number;
    target[j] = accA / n - accS / n;
    u[j] = j === n - 1 && n > 1 ? 1 : j * step;
  }
  const m = knots;
  const h = 1 / (m - 1);
  // Basis columns: value and slope of the spline whose knot values are the unit vector e_k.
  const basis = new Float64Array(n * m);
  const slopes = new Float64Array(n * m);
  const unit = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    unit.fill(0); unit[k] = 1;
    const d = naturalSecondDerivatives(unit, h);
    for (let j = 0; j < n; j++) {
      const r = splineAt(unit, d, u[j] as number);
      basis[j * m + k] = r.value;
      slopes[j * m + k] = r.slope;
    }
  }
  const gram = new Float64Array(m * m);
  const rhs = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    const tj = target[j] as number;
    for (let a = 0; a < m; a++) {
      const ba = basis[j * m + a] as number;
      rhs[a] = (rhs[a] as number) + ba * tj;
      for (let b = 0; b < m; b++) gram[a * m + b] = (gram[a * m + b] as number) + ba * (basis[j * m + b] as number);
    }
  }
  const { values: lam, vectors: vec } = jacobiEigen(gram, m);
  let lmax = 0;
  for (const l of lam) lmax = Math.max(lmax, Math.abs(l));
  const tol = lmax * m * 1e-13;
  const knotValues = new Float64Array(m);
  let rank = 0;
  for (let e = 0; e < m; e++) {
    const l = lam[e] as number;
    if (Math.abs(l) <= tol) continue;
    rank++;
    let proj = 0;
    for (let a = 0; a < m; a++) proj += (vec[a * m + e] as number) * (rhs[a] as number);
    for (let a = 0; a < m; a++) knotValues[a] = (knotValues[a] as number) + ((vec[a * m + e] as number) * proj) / l;
  }
  const warnings: string[] = [];
  if (rank < m) warnings.push(`only ${n} calibration points for ${m} knots: the least-squares fit is underdetermined; the minimum-norm solution was used`);
  const y = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let g = 0;
    for (let a = 0; a < m; a++) g += (slopes[j * m + a] as number) * (knotValues[a] as number);
    y[j] = g + (x[j] as number);
  }
  return { x, y, knotValues, warnings };
}

/**
 * Interpolates the table at q: r_0 at or below x_0, r_last at or above x_last, else linear between the
 * neighbours (x_{j−1} < q ≤ x_j); `swapped` applies the reference's swapped weights. Clipped to [0, 1]. Cost: O(log n).
 */
export function interpolateTable(x: Float64Array, y: Float64Array, q: number, swapped: boolean): number {
  const n = x.length;
  let v: number;
  if (q <= (x[0] as number)) v = y[0] as number;
  else if (q >= (x[n - 1] as number)) v = y[n - 1] as number;
  else {
    let lo = 1, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((x[mid] as number) >= q) hi = mid; else lo = mid + 1;
    }
    const alpha = q - (x[lo - 1] as number);
    const beta = (x[lo] as number) - q;
    v = swapped
      ? (beta * (y[lo] as number) + alpha * (y[lo - 1] as number)) / (alpha + beta)
      : (alpha * (y[lo] as number) + beta * (y[lo - 1] as number)) / (alpha + beta);
  }
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

interface SplineOptions { readonly knots: number; readonly runout: 'natural'; readonly compatSwappedInterp: boolean }

function makeModel(o: SplineOptions, x: Float64Array, y: Float64Array, numClasses: number, fit: CalibratorJSON['fit']): FittedCalibrator {
  return {
    method: ID,
    numClasses,
    preservesArgmax: false,
    predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
      checkPredictInput(input.logits, numClasses, ID);
      const probs = inputProbabilities(input, out);
      const { conf, arg } = rowMax(probs);
      const cal = new Float64Array(probs.rows);
      for (let i = 0; i < probs.rows; i++) cal[i] = interpolateTable(x, y, conf[i] as number, o.compatSwappedInterp);
      applyTopLabelConfidences(probs, arg, cal);
      return probs;
    },
    toJSON(): CalibratorJSON {
      return envelope({ method: ID, input: 'probs', numClasses, reduction: 'top-label', options: { ...o }, params: { x: Array.from(x), y: Array.from(y) }, fit, seed: null });
    },
  };
}

/** `spline`: spline calibration of the top-label confidence (Gupta et al. 2021). Not argmax-preserving (see module doc). */
export const splineCalibration: CalibratorSpec = {
  id: ID,
  title: 'Spline calibration (Gupta et al. 2021)',
  input: 'probs',
  preservesArgmax: false,
  defaults: { knots: 6, runout: 'natural', compatSwappedInterp: false },
  fit(data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult {
    checkOptionKeys(options, ['knots', 'runout', 'compatSwappedInterp'], ID);
    const o: SplineOptions = {
      knots: numberOption(options, 'knots', 6, ID, { integer: true, min: 2, max: 100 }),
      runout: choiceOption(options, 'runout', ['natural'] as const, 'natural', ID),
      compatSwappedInterp: booleanOption(options, 'compatSwappedInterp', false, ID),
    };
    checkLabelled(data, ID);
    const probs = inputProbabilities(data);
    const n = probs.rows;
    const conf = new Float64Array(n);
    const correct = new Uint8Array(n);
    topLabelView(probs, data.labels, conf, correct);
    const t = fitSplineTable(conf, correct, o.knots);
    ctx.onProgress?.(1);
    return { model: makeModel(o, t.x, t.y, data.logits.cols, fitBlock(true, 0, null, t.warnings)), converged: true, iterations: 0, loss: null, warnings: t.warnings };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    checkEnvelope(json, ID);
    if (json.reduction !== 'top-label') throw invalidModel('reduction', `spline models are 'top-label', got '${json.reduction}'`);
    const opts = readObject(json.options, 'options');
    const o: SplineOptions = {
      knots: readNumber(opts['knots'], 'options.knots', { integer: true, min: 2 }),
      runout: 'natural',
      compatSwappedInterp: readBoolean(opts['compatSwappedInterp'], 'options.compatSwappedInterp'),
    };
    if (opts['runout'] !== 'natural') throw invalidModel('options.runout', `only 'natural' run-out is supported, got ${JSON.stringify(opts['runout'])}`);
    const x = readNumberArray(json.params['x'], 'params.x', { minLength: 1, min: 0, max: 1, order: 'nondecreasing' });
    const y = readNumberArray(json.params['y'], 'params.y', { length: x.length });
    return makeModel(o, x, y, json.numClasses, json.fit);
  },
};
