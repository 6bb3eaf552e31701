/**
 * Temperature scaling (Guo, Pleiss, Sun, Weinberger, "On Calibration of Modern Neural Networks", ICML 2017):
 * `q = softmax(z / T)` with one T > 0. Fitted by mean NLL (default) or the Brier score, with a robust 1-D
 * solver in β = 1/T (calibrators.md §2.2): NLL is convex in β, so a bracketed, safeguarded Newton method
 * (Halley steps, using f‴ from the same pass) reaches the optimum in a handful of passes, each O(N·K) with one exp per entry. Brier uses Brent's root
 * finder on its β-derivative inside the same bracket. Argmax preserved.
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { softmaxRowInto } from '../../math/softmax.js';
import { checkLabelled, checkLogits, outputBuffer } from '../core/checks.js';
import { checkEnvelope, envelope, type FitDiagnostics } from '../core/envelope.js';
import { readTemperature, TEMPERATURE_RANGE } from '../core/model-fields.js';
import { OptionReader, storedOptions } from '../core/options.js';
import type { CalibrationInput, CalibratorJSON, CalibratorSpec, FitResult, FittedCalibrator, LabelledInput, RawOptions } from '../core/types.js';

/** Settings of {@link fitTemperature}. */
export interface TemperatureOptions {
  /** 'nll' (mean negative log-likelihood, default) or 'brier' (mean Σ_k (q_k − y_k)²). */
  readonly objective?: 'nll' | 'brier';
  /** Smallest temperature returned (default 1e-3); reaching it means separable data. */
  readonly tMin?: number;
  /** Largest temperature returned (default 1e3). */
  readonly tMax?: number;
  /** Maximum solver iterations (default 100). */
  readonly maxIterations?: number;
}

/** Result of {@link fitTemperature}. */
export interface TemperatureFit {
  readonly temperature: number;
  /** Objective at the returned temperature (mean NLL or mean Brier). */
  readonly loss: number;
  /** Derivative of the objective in β = 1/T at the returned temperature. */
  readonly gradient: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly warnings: readonly string[];
}

/** Per-row constants precomputed once per fit: row max, label logit, row mean. */
interface RowStats { readonly max: Float64Array; readonly zy: Float64Array; readonly mean: Float64Array; readonly absZy: number; readonly separable: boolean }

function rowStats(logits: Matrix, labels: Int32Array): RowStats {
  const { rows: N, cols: K, data } = logits;
  const max = new Float64Array(N), zy = new Float64Array(N), mean = new Float64Array(N);
  let absZy = 0;
  let separable = true;
  for (let i = 0; i < N; i++) {
    const base = i * K;
    const y = labels[i] as number;
    let m = -Infinity, s = 0, second = -Infinity;
    for (let k = 0; k < K; k++) {
      const z = data[base + k] as number;
      s += z;
      if (k !== y && z > second) second = z;
      if (z > m) m = z;
    }
    const v = data[base + y] as number;
    max[i] = m; zy[i] = v; mean[i] = s / K;
    absZy += Math.abs(v);
    if (!(v > second)) separable = false;
  }
  return { max, zy, mean, absZy: absZy / N, separable };
}

/** Values at β of the chosen objective: f, f′ and (for NLL) f″ and f‴. */
interface Eval { f: number; d1: number; d2: number; d3: number }

/** One fused pass: NLL f(β), f′(β), f″(β) (calibrators.md §2.2). Exps below e^-50 are skipped (below float64 resolution). */
function evalNll(logits: Matrix, labels: Int32Array, st: RowStats, beta: number, out: Eval): void {
  const { rows: N, cols: K, data } = logits;
  let f = 0, d1 = 0, d2 = 0, d3 = 0;
  for (let i = 0; i < N; i++) {
    const base = i * K;
    const m = st.max[i] as number;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (let k = 0; k < K; k++) {
      const d = (data[base + k] as number) - m;
      const a = beta * d;
      if (a < -50) continue;
      const e = Math.exp(a);
      const de = d * e;
      s0 += e; s1 += de; s2 += d * de; s3 += d * d * de;
    }
    const ed = s1 / s0, e2 = s2 / s0;
    const dy = (st.zy[i] as number) - m;
    f += Math.log(s0) - beta * dy;
    d1 += ed - dy;
    d2 += e2 - ed * ed;
    d3 += s3 / s0 - 3 * ed * e2 + 2 * ed * ed * ed;
  }
  void labels;
  out.f = f / N; out.d1 = d1 / N; out.d2 = Math.max(d2 / N, 0); out.d3 = d3 / N;
}

/** One fused pass: mean Brier f(β) and f′(β). */
function evalBrier(logits: Matrix, labels: Int32Array, st: RowStats, beta: number, out: Eval): void {
  const { rows: N, cols: K, data } = logits;
  let f = 0, d1 = 0;
  for (let i = 0; i < N; i++) {
    const base = i * K;
    const m = st.max[i] as number;
    let s0 = 0, s1 = 0, t0 = 0, t1 = 0;
    for (let k = 0; k < K; k++) {
      const d = (data[base + k] as number) - m;
      const a = beta * d;
      if (a < -50) continue;
      const e = Math.exp(a);
      s0 += e; s1 += d * e; t0 += e * e; t1 += d * e * e;
    }
    const ed = s1 / s0;
    const dy = (st.zy[i] as number) - m;
    const qy = Math.exp(beta * dy) / s0;
    const inv2 = 1 / (s0 * s0);
    f += t0 * inv2 - 2 * qy + 1;
    d1 += 2 * ((t1 - ed * t0) * inv2 - qy * (dy - ed));
  }
  void labels;
  out.f = f / N; out.d1 = d1 / N; out.d2 = 0; out.d3 = 0;
}

/**
 * The TS objective and its β-derivatives at β = 1/T: NLL gives f, f′, f″, f‴; Brier gives f, f′ (f″ = f‴ = 0).
 * One fused O(N·K) pass; exposed for gradient checks and for callers that scan temperatures.
 */
export function temperatureObjective(logits: Matrix, labels: Int32Array, beta: number, objective: 'nll' | 'brier' = 'nll'): { f: number; d1: number; d2: number; d3: number } {
  const st = rowStats(logits, labels);
  const out: Eval = { f: 0, d1: 0, d2: 0, d3: 0 };
  (objective === 'nll' ? evalNll : evalBrier)(logits, labels, st, beta, out);
  return out;
}

/**
 * Fits one temperature to logits and labels (Guo et al. 2017) by NLL or Brier, without fixed bounds that
 * clamp silently: a separable set returns `tMin` with warning `ts-separable`, a set whose labels sit below
 * the mean logit returns `tMax` with `ts-no-positive-optimum`. Cost O(N·K) per iteration, typically 5–10.
 *
 * @example
 * // fixture L of calibrators.md §0; the oracle of §2.3 is T* = 0.386938488682
 * const logits = { data: Float64Array.of(2.0, 0.5, -1.0, 1.2, 1.0, 0.3, -0.4, 2.2, 0.1, 0.3, -0.2, 1.5,
 *   3.0, 0.1, 0.0, 0.2, 0.9, 0.8, -1.0, 0.4, 2.6, 1.5, 1.4, -0.3), rows: 8, cols: 3 };
 * fitTemperature(logits, Int32Array.of(0, 1, 1, 2, 0, 2, 2, 1)).temperature // ~> 0.386938488682
 */
export function fitTemperature(logits: Matrix, labels: Int32Array, opts: TemperatureOptions = {}): TemperatureFit {
  checkLabelled({ logits, labels }, 'fitTemperature');
  const objective = opts.objective ?? 'nll';
  const tMin = opts.tMin ?? 1e-3, tMax = opts.tMax ?? 1e3;
  const maxIter = opts.maxIterations ?? 100;
  if (!(tMin > 0 && tMax > tMin)) throw new CalibraError('E_OPTION', `fitTemperature: need 0 < tMin < tMax, got ${tMin}, ${tMax}`);
  const st = rowStats(logits, labels);
  const evaluate = objective === 'nll' ? evalNll : evalBrier;
  const ev: Eval = { f: 0, d1: 0, d2: 0, d3: 0 };
  const at = (beta: number): Eval => { evaluate(logits, labels, st, beta, ev); return { f: ev.f, d1: ev.d1, d2: ev.d2, d3: ev.d3 }; };
  const betaMax = 1 / tMin, betaMin = 1 / tMax;
  const done = (beta: number, e: Eval, iterations: number, converged: boolean, warnings: string[]): TemperatureFit =>
    ({ temperature: 1 / beta, loss: e.f, gradient: e.d1, iterations, converged, warnings });

  // Step 1: f'(0) >= 0 means no positive temperature helps (the sign is the same for NLL and Brier).
  let slope0 = 0;
  for (let i = 0; i < logits.rows; i++) slope0 += (st.mean[i] as number) - (st.zy[i] as number);
  if (slope0 >= 0) {
    return done(betaMin, at(betaMin), 0, false, [`ts-no-positive-optimum: labels sit at or below the mean logit; returned T = tMax = ${tMax}`]);
  }
  // Step 2: every label the strict argmax -> the objective decreases all the way to T -> 0.
  if (st.separable) {
    return done(betaMax, at(betaMax), 0, false, [`ts-separable: every label is the strict argmax, so the optimum is T -> 0; returned the bound T = tMin = ${tMin}`]);
  }
  const tol = 1e-12 * (1 + st.absZy);
  let lo = 0, hi = Infinity;
  const warm = warmStart(logits, labels, objective);
  let beta = warm ?? 1;
  if (objective === 'brier') return brierSolve(at, beta, warm !== null, betaMin, betaMax, tol, maxIter, done);
  let e = at(beta);
  let it = 1;
  for (; it < maxIter; it++) {
    if (Math.abs(e.d1) <= tol) return clampResult(beta, e, it, true, betaMin, betaMax, tMin, tMax, done);
    if (e.d1 < 0) lo = beta; else hi = beta;
    if (hi !== Infinity && hi - lo <= 1e-14 * hi) return clampResult(beta, e, it, true, betaMin, betaMax, tMin, tMax, done);
    // Halley's step (cubic convergence) from f′, f″, f‴; Newton's when the Halley denominator is not positive.
    const halleyDen = 2 * e.d2 * e.d2 - e.d1 * e.d3;
    let next = e.d2 > 1e-300 ? (halleyDen > 0 ? beta - 2 * e.d1 * e.d2 / halleyDen : beta - e.d1 / e.d2) : NaN;
    if (next > lo && next < hi && Math.abs(next - beta) <= 1e-6 * beta) {
      // Halley converges cubically: the error after this step is O(step³), below float64 resolution.
      return clampResult(next, e, it, true, betaMin, betaMax, tMin, tMax, done);
    }
    if (hi === Infinity) {
      if (!(next > lo) || !Number.isFinite(next)) next = 2 * beta;
      if (lo >= betaMax) return done(betaMax, e, it, false, [`ts-bound: the NLL still decreases at T = tMin = ${tMin}; returned the bound`]);
      next = Math.min(next, 4 * Math.max(beta, 1), 2 * betaMax);
    } else if (!(next > lo && next < hi)) {
      next = 0.5 * (lo + hi);
    }
    beta = next;
    e = at(beta);
  }
  return clampResult(beta, e, it, false, betaMin, betaMax, tMin, tMax, done);
}

/**
 * For large inputs (N·K ≥ 4e6), 1/T fitted on an evenly strided subsample of about 2e6 entries (at least
 * 1000 rows, at most 1e7 entries): a start
 * close enough for Newton's quadratic convergence, saving several full passes. Null when not worth it or
 * when the subsample fit hit a bound.
 */
function warmStart(logits: Matrix, labels: Int32Array, objective: 'nll' | 'brier'): number | null {
  const { rows: N, cols: K, data } = logits;
  if (N * K < 4e6 || N < 4000) return null;
  const S = Math.min(N >> 1, Math.max(1000, Math.ceil(2e6 / K)));
  if (S * K > 1e7) return null;
  const sub = new Float64Array(S * K), subLabels = new Int32Array(S);
  for (let j = 0; j < S; j++) {
    const i = Math.floor((j * N) / S);
    for (let k = 0; k < K; k++) sub[j * K + k] = data[i * K + k] as number;
    subLabels[j] = labels[i] as number;
  }
  const r = fitTemperature({ data: sub, rows: S, cols: K }, subLabels, { objective, maxIterations: 60 });
  return r.warnings.length === 0 && r.converged ? 1 / r.temperature : null;
}

function clampResult(
  beta: number, e: Eval, it: number, converged: boolean, betaMin: number, betaMax: number, tMin: number, tMax: number,
  done: (b: number, e: Eval, it: number, c: boolean, w: string[]) => TemperatureFit,
): TemperatureFit {
  const warnings: string[] = converged ? [] : [`ts-not-converged: stopped after ${it} iterations with dβ-gradient ${e.d1}`];
  if (beta > betaMax) return done(betaMax, e, it, false, [...warnings, `ts-bound: optimum below tMin = ${tMin}; returned the bound`]);
  if (beta < betaMin) return done(betaMin, e, it, false, [...warnings, `ts-bound: optimum above tMax = ${tMax}; returned the bound`]);
  return done(beta, e, it, converged, warnings);
}

/** Brent's root finder (zeroin) on the Brier β-derivative, after bracketing by doubling. */
function brierSolve(
  at: (b: number) => Eval, beta0: number, warm: boolean, betaMin: number, betaMax: number, tol: number, maxIter: number,
  done: (b: number, e: Eval, it: number, c: boolean, w: string[]) => TemperatureFit,
): TemperatureFit {
  let a = 0, fa = -1; // f'(0) < 0 is known; only its sign is used
  let b = beta0, eb = at(b), fb = eb.d1;
  let it = 1;
  if (warm && fb !== 0) {
    // tight bracket around a warm start: one more pass on the other side
    const other = fb < 0 ? b * 1.002 : b * 0.998;
    const eo = at(other); it++;
    if ((eo.d1 > 0) !== (fb > 0) || eo.d1 === 0) {
      if (fb < 0) { a = b; fa = fb; b = other; eb = eo; fb = eo.d1; } else { a = other; fa = eo.d1; }
    } else if (fb < 0) { a = other; fa = eo.d1; b = other; eb = eo; fb = eo.d1; }
  }
  if (fb < 0) {
    while (fb < 0) {
      a = b; fa = fb;
      if (b >= betaMax) return done(betaMax, at(betaMax), it + 1, false, [`ts-bound: the Brier score still decreases at T = tMin = ${1 / betaMax}; returned the bound`]);
      b = Math.min(2 * b, betaMax); eb = at(b); fb = eb.d1; it++;
    }
  }
  if (fb === 0) return done(Math.max(b, betaMin), eb, it, true, []);
  // zeroin on [a, b] with f(a) < 0 < f(b)
  let c = a, fc = fa, d = b - a, ee = d;
  let best = eb;
  for (; it < maxIter; it++) {
    if (Math.abs(fc) < Math.abs(fb)) { a = b; b = c; c = a; fa = fb; fb = fc; fc = fa; }
    const tol1 = 2e-16 * Math.abs(b) + 0.5e-14;
    const xm = 0.5 * (c - b);
    if (Math.abs(xm) <= tol1 || Math.abs(fb) <= tol) {
      const r = b < betaMin ? betaMin : b;
      return done(r, best, it, true, r !== b ? ['ts-bound: optimum above tMax; returned the bound'] : []);
    }
    if (Math.abs(ee) >= tol1 && Math.abs(fa) > Math.abs(fb)) {
      const s = fb / fa;
      let p: number, q: number;
      if (a === c) { p = 2 * xm * s; q = 1 - s; } else {
        const qq = fa / fc, r = fb / fc;
        p = s * (2 * xm * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q; else p = -p;
      if (2 * p < Math.min(3 * xm * q - Math.abs(tol1 * q), Math.abs(ee * q))) { ee = d; d = p / q; } else { d = xm; ee = d; }
    } else { d = xm; ee = d; }
    a = b; fa = fb;
    b += Math.abs(d) > tol1 ? d : (xm > 0 ? tol1 : -tol1);
    best = at(b); fb = best.d1;
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) { c = a; fc = fa; d = b - a; ee = d; }
  }
  return done(b, best, it, false, [`ts-not-converged: Brent stopped after ${it} iterations`]);
}

/** A fitted temperature-scaling model. Immutable. */
export class TemperatureModel implements FittedCalibrator {
  readonly method = 'ts';
  readonly preservesArgmax = true;
  constructor(
    readonly numClasses: number, readonly temperature: number,
    private readonly options: Readonly<Record<string, string | number | boolean>>, private readonly diag: FitDiagnostics,
  ) {}

  /** The (one) temperature, repeated for each row, for `calibra apply --temperatures`. Cost O(N). */
  predictTemperatures(input: CalibrationInput): Float64Array {
    checkLogits(input.logits, 'ts', this.numClasses);
    return new Float64Array(input.logits.rows).fill(this.temperature);
  }

  /** softmax(z / T) per row. Cost O(N·K). */
  predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
    checkLogits(input.logits, 'ts', this.numClasses);
    const dst = outputBuffer(input, out, 'ts');
    const { rows, cols, data } = input.logits;
    const inv = 1 / this.temperature;
    for (let r = 0; r < rows; r++) softmaxRowInto(data, cols, r, inv, dst, r * cols);
    return { data: dst, rows, cols };
  }

  toJSON(): CalibratorJSON {
    return envelope({ method: 'ts', input: 'logits', numClasses: this.numClasses, reduction: 'none', options: { ...this.options }, params: { T: this.temperature }, fit: this.diag, seed: null });
  }
}

const TS_DEFAULTS = { objective: 'nll', tMin: 1e-3, tMax: 1e3, maxIterations: 100 } as const;

function readTsOptions(raw: RawOptions): Required<TemperatureOptions> {
  const r = new OptionReader('ts', raw, TS_DEFAULTS);
  const o = {
    objective: r.choice('objective', ['nll', 'brier'] as const),
    tMin: r.number('tMin', { min: TEMPERATURE_RANGE.min, max: TEMPERATURE_RANGE.max }),
    tMax: r.number('tMax', { min: TEMPERATURE_RANGE.min, max: TEMPERATURE_RANGE.max }),
    maxIterations: r.number('maxIterations', { min: 1, integer: true }),
  };
  r.finish();
  if (o.tMax <= o.tMin) throw new CalibraError('E_OPTION', `ts: tMax (${o.tMax}) must exceed tMin (${o.tMin})`, { where: "option 'tMax'" });
  return o;
}

/** Temperature scaling spec (id `ts`). */
export const temperatureScaling: CalibratorSpec = {
  id: 'ts',
  title: 'Temperature scaling (Guo et al. 2017)',
  input: 'logits',
  preservesArgmax: true,
  defaults: TS_DEFAULTS,
  fit(data: LabelledInput, options: RawOptions): FitResult {
    const o = readTsOptions(options);
    const r = fitTemperature(data.logits, data.labels, o);
    const diag = { converged: r.converged, iterations: r.iterations, loss: r.loss, warnings: r.warnings };
    const model = new TemperatureModel(data.logits.cols, r.temperature, o, diag);
    return { model, ...diag };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    const K = checkEnvelope(json, 'ts').numClasses;
    const o = readTsOptions(storedOptions(json));
    const T = readTemperature(json.params['T'], 'params.T', o.tMin, o.tMax);
    return new TemperatureModel(K, T, o, json.fit);
  },
};
