/**
 * Beta calibration, "abm" (Kull, Silva Filho, Flach, "Beta calibration: a well-founded and easily implemented
 * improvement on logistic calibration for binary classifiers", AISTATS 2017; reference betacal/python):
 * `μ(s) = σ(a·ln s − b·ln(1 − s) + c)` with a, b ≥ 0, s clipped to [eps, 1 − eps] (eps = 2.2e-16).
 * Fitted as betacal does (calibrators.md §8.2): unregularised logistic regression on (ln s, −ln(1 − s)),
 * here by Newton's method to the exact MLE; if a < 0 refit with a = 0, else if b < 0 refit with b = 0.
 * Binary problems calibrate class 1; multiclass uses one-vs-rest (normalised or `independent`) or
 * `reduction=top-label`. Not argmax-preserving in general. Cost O(N) per Newton iteration.
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { applyReduction, fitBinaryMaps, reductionFor, topLabelConfidences, type BinaryMapFamily } from './binary-map.js';
import { checkLabelled, checkLogits, outputBuffer } from '../core/checks.js';
import { checkEnvelope, envelope, type FitDiagnostics } from '../core/envelope.js';
import { readNumber } from '../core/model-fields.js';
import { OptionReader, storedOptions } from '../core/options.js';
import type { CalibrationInput, CalibratorJSON, CalibratorSpec, FitResult, FittedCalibrator, LabelledInput, RawOptions, Reduction } from '../core/types.js';

/** betacal's clip of s (float64 machine epsilon). */
export const BETA_EPS = 2.220446049250313e-16;
const LN_EPS = Math.log(BETA_EPS);

/** Fitted beta parameters; m is the midpoint (μ(m) = 1/2), for display. */
export interface BetaParams { readonly a: number; readonly b: number; readonly c: number; readonly m: number }

/** Binary logistic regression by damped Newton on the given feature columns (plus intercept). */
function logisticNewton(cols: Float64Array[], t: ArrayLike<number>): { w: number[]; loss: number; iterations: number; converged: boolean } {
  const n = t.length, d = cols.length + 1;
  const w = new Array<number>(d).fill(0);
  const u = new Float64Array(n);
  const lossAt = (ww: number[]): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let z = ww[d - 1] as number;
      for (let j = 0; j < d - 1; j++) z += (ww[j] as number) * ((cols[j] as Float64Array)[i] as number);
      u[i] = z;
      const yi = t[i] as number;
      // -y ln σ(z) - (1-y) ln σ(-z) = softplus(z) - y z
      s += (z >= 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - yi * z;
    }
    return s / n;
  };
  let loss = lossAt(w);
  let it = 0, converged = false;
  const g = new Array<number>(d), H = new Array<number>(d * d);
  for (; it < 200; it++) {
    g.fill(0); H.fill(0);
    for (let i = 0; i < n; i++) {
      const z = u[i] as number;
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      const r = p - (t[i] as number), wgt = p * (1 - p);
      for (let j = 0; j < d; j++) {
        const xj = j === d - 1 ? 1 : (cols[j] as Float64Array)[i] as number;
        g[j] = (g[j] as number) + r * xj / n;
        for (let l = 0; l <= j; l++) {
          const xl = l === d - 1 ? 1 : (cols[l] as Float64Array)[i] as number;
          H[j * d + l] = (H[j * d + l] as number) + wgt * xj * xl / n;
        }
      }
    }
    if (Math.max(...g.map(Math.abs)) <= 1e-13) { converged = true; break; }
    for (let j = 0; j < d; j++) { H[j * d + j] = (H[j * d + j] as number) + 1e-14; for (let l = 0; l < j; l++) H[l * d + j] = H[j * d + l] as number; }
    const step = cholSolve(H, g, d);
    let a = 1, ok = false;
    let gd = 0;
    for (let j = 0; j < d; j++) gd -= (g[j] as number) * (step[j] as number);
    const prev = loss;
    while (a >= 1e-12) {
      const trial = w.map((v, j) => v - a * (step[j] as number));
      const nl = lossAt(trial);
      if (nl <= loss + 1e-4 * a * gd) { for (let j = 0; j < d; j++) w[j] = trial[j] as number; loss = nl; ok = true; break; }
      a /= 2;
    }
    const gmax = Math.max(...g.map(Math.abs));
    if (!ok) { lossAt(w); converged = gmax <= 1e-8; break; }
    // the loss no longer moves in float64: stop, converged when the gradient is small
    if (prev - loss <= 1e-15 * Math.max(1, loss)) { converged = gmax <= 1e-8; if (converged || a < 1) break; }
  }
  return { w, loss, iterations: it, converged };
}

function cholSolve(H: number[], g: number[], d: number): number[] {
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

/** Midpoint m with b·ln(1 − m) − a·ln m = c, by bisection on (0, 1) (display only); NaN when none. */
function midpoint(a: number, b: number, c: number): number {
  const h = (m: number): number => a * Math.log(m) - b * Math.log1p(-m) + c; // increasing in m when a, b ≥ 0
  let lo = 1e-300, hi = 1 - 1e-16;
  if (!(h(lo) < 0 && h(hi) > 0)) return NaN;
  for (let i = 0; i < 200; i++) { const mid = 0.5 * (lo + hi); if (h(mid) < 0) lo = mid; else hi = mid; }
  return 0.5 * (lo + hi);
}

/**
 * Fits beta calibration "abm" to (ln s, ln(1 − s)) pairs and 0/1 targets, with betacal's a, b ≥ 0 refits.
 *
 * @example fitBeta(ln s_B, ln(1 − s_B), t_B) // a = 0.4689932179, b = 1.2655897914, c = 0.0013383877 (calibrators.md §8.2)
 */
export function fitBeta(lnS: ArrayLike<number>, ln1mS: ArrayLike<number>, targets: ArrayLike<number>): { params: BetaParams; loss: number; iterations: number; converged: boolean; warnings: string[] } {
  const n = targets.length;
  const x1 = new Float64Array(n), x2 = new Float64Array(n);
  for (let i = 0; i < n; i++) { x1[i] = Math.max(lnS[i] as number, LN_EPS); x2[i] = -Math.max(ln1mS[i] as number, LN_EPS); }
  let r = logisticNewton([x1, x2], targets);
  let a = r.w[0] as number, b = r.w[1] as number, c = r.w[2] as number;
  const warnings: string[] = [];
  let iterations = r.iterations;
  if (a < 0) {
    r = logisticNewton([x2], targets); iterations += r.iterations;
    a = 0; b = r.w[0] as number; c = r.w[1] as number;
    warnings.push('beta-a-clamped: fitted a < 0, refitted with a = 0');
  } else if (b < 0) {
    r = logisticNewton([x1], targets); iterations += r.iterations;
    a = r.w[0] as number; b = 0; c = r.w[1] as number;
    warnings.push('beta-b-clamped: fitted b < 0, refitted with b = 0');
  }
  if (!r.converged) warnings.push(`beta-not-converged: Newton stopped after ${r.iterations} iterations (separable data makes the MLE diverge)`);
  return { params: { a, b, c, m: midpoint(a, b, c) }, loss: r.loss, iterations, converged: r.converged, warnings };
}

/** μ(s) for one (ln s, ln(1 − s)) pair with betacal's clipping. */
export function betaApply(p: BetaParams, lnS: number, ln1mS: number): number {
  const z = p.a * Math.max(lnS, LN_EPS) - p.b * Math.max(ln1mS, LN_EPS) + p.c;
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

const FAMILY: BinaryMapFamily<BetaParams> = { fit: fitBeta, apply: betaApply };
const BETA_DEFAULTS = { reduction: 'ovr', independent: false } as const;
interface BetaOptions { reduction: 'ovr' | 'top-label'; independent: boolean }

function readBetaOptions(raw: RawOptions): BetaOptions {
  const r = new OptionReader('beta', raw, BETA_DEFAULTS);
  const o = { reduction: r.choice('reduction', ['ovr', 'top-label'] as const), independent: r.bool('independent') };
  r.finish();
  return o;
}

/** A fitted beta-calibration model. Immutable. */
export class BetaModel implements FittedCalibrator {
  readonly method = 'beta';
  readonly preservesArgmax = false;
  constructor(
    readonly numClasses: number, readonly reduction: Reduction, readonly maps: readonly BetaParams[],
    private readonly options: BetaOptions, private readonly diag: FitDiagnostics,
  ) {}

  predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
    checkLogits(input.logits, 'beta', this.numClasses);
    const dst = outputBuffer(input, out, 'beta');
    applyReduction(FAMILY, this.maps, input.logits, this.reduction, this.options.independent, dst);
    return { data: dst, rows: input.logits.rows, cols: this.numClasses };
  }

  /** Calibrated confidence of each row's predicted class (top-label models only; the label is unchanged). */
  predictConfidence(input: CalibrationInput): Float64Array {
    checkLogits(input.logits, 'beta', this.numClasses);
    if (this.reduction !== 'top-label') throw new CalibraError('E_UNSUPPORTED', 'beta: predictConfidence needs reduction=top-label', { fix: 'fit with --option reduction=top-label' });
    return topLabelConfidences(FAMILY, this.maps[0] as (typeof this.maps)[number], input.logits);
  }

  toJSON(): CalibratorJSON {
    const params = { eps: BETA_EPS, maps: this.maps.map((m) => ({ a: m.a, b: m.b, c: m.c, m: Number.isFinite(m.m) ? m.m : null })) };
    return envelope({ method: 'beta', input: 'logits', numClasses: this.numClasses, reduction: this.reduction, options: { ...this.options }, params, fit: this.diag, seed: null });
  }
}

/** Beta calibration spec (id `beta`). */
export const betaCalibration: CalibratorSpec = {
  id: 'beta',
  title: 'Beta calibration, abm (Kull et al. 2017)',
  input: 'logits',
  preservesArgmax: false,
  defaults: BETA_DEFAULTS,
  fit(data: LabelledInput, options: RawOptions): FitResult {
    const o = readBetaOptions(options);
    const K = checkLabelled(data, 'beta');
    const { reduction } = reductionFor(K, o.reduction);
    const r = fitBinaryMaps(FAMILY, data.logits, data.labels, reduction);
    const diag = { converged: r.converged, iterations: r.iterations, loss: r.loss, warnings: r.warnings };
    return { model: new BetaModel(K, reduction, r.maps, o, diag), ...diag };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    const K = checkEnvelope(json, 'beta').numClasses;
    const o = readBetaOptions(storedOptions(json));
    const { reduction, maps: count } = reductionFor(K, o.reduction);
    if (json.reduction !== reduction) throw new CalibraError('E_MODEL_INVALID', `beta: model field 'reduction' must be "${reduction}"`, { where: "field 'reduction'" });
    if (readNumber(json.params['eps'], 'params.eps') !== BETA_EPS) throw new CalibraError('E_MODEL_INVALID', `beta: model field 'params.eps' must be ${BETA_EPS}`, { where: "field 'params.eps'" });
    const raw = json.params['maps'];
    if (!Array.isArray(raw) || raw.length !== count) throw new CalibraError('E_MODEL_INVALID', `beta: model field 'params.maps' must hold ${count} maps`, { where: "field 'params.maps'" });
    const maps = raw.map((m: unknown, i: number) => {
      const obj = (m !== null && typeof m === 'object' ? m : {}) as Record<string, unknown>;
      const a = readNumber(obj['a'], `params.maps[${i}].a`), b = readNumber(obj['b'], `params.maps[${i}].b`);
      if (a < 0 || b < 0) throw new CalibraError('E_MODEL_INVALID', `beta: model field 'params.maps[${i}]' needs a, b >= 0`, { where: `field 'params.maps[${i}]'` });
      const c = readNumber(obj['c'], `params.maps[${i}].c`);
      return { a, b, c, m: midpoint(a, b, c) };
    });
    return new BetaModel(K, reduction, maps, o, json.fit);
  },
};
