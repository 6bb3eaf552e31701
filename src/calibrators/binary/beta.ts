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
import { logisticNewton, type LogisticFit } from './logistic-newton.js';

/** betacal's clip of s (float64 machine epsilon). */
export const BETA_EPS = 2.220446049250313e-16;
const LN_EPS = Math.log(BETA_EPS);

/** Fitted beta parameters; m is the midpoint (μ(m) = 1/2), for display. */
export interface BetaParams { readonly a: number; readonly b: number; readonly c: number; readonly m: number }

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
 * @example
 * // fixture B of calibrators.md §0; the exact MLE is a = 0.4689932179, b = 1.2655897914, c = 0.0013383877 (§8.2)
 * const s = [0.05, 0.12, 0.12, 0.25, 0.33, 0.40, 0.40, 0.58, 0.66, 0.72, 0.85, 0.93];
 * const t = [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1];
 * fitBeta(s.map(Math.log), s.map((v) => Math.log1p(-v)), t).params // ~> { a: 0.468993, b: 1.265590, c: 0.00134 }
 */
export function fitBeta(lnS: ArrayLike<number>, ln1mS: ArrayLike<number>, targets: ArrayLike<number>): { params: BetaParams; loss: number; iterations: number; converged: boolean; warnings: string[] } {
  const n = targets.length;
  const x1 = new Float64Array(n), x2 = new Float64Array(n);
  for (let i = 0; i < n; i++) { x1[i] = Math.max(lnS[i] as number, LN_EPS); x2[i] = -Math.max(ln1mS[i] as number, LN_EPS); }
  let r: LogisticFit = logisticNewton([x1, x2], targets);
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
  if (r.separable) warnings.push(`beta-separable: the classes are separable, the MLE diverges (Newton stopped after ${r.iterations} iterations)`);
  else if (!r.converged) warnings.push(`beta-not-converged: Newton stopped at gradient ${r.gradient.toExponential(2)} after ${r.iterations} iterations`);
  return { params: { a, b, c, m: midpoint(a, b, c) }, loss: r.loss, iterations, converged: r.converged, warnings };
}

/** μ(s) for one (ln s, ln(1 − s)) pair with betacal's clipping. */
export function betaApply(p: BetaParams, lnS: number, ln1mS: number): number {
  const z = p.a * Math.max(lnS, LN_EPS) - p.b * Math.max(ln1mS, LN_EPS) + p.c;
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

const FAMILY: BinaryMapFamily<BetaParams> = { fit: (_s, lnS, ln1mS, t) => fitBeta(lnS, ln1mS, t), apply: (p, _s, lnS, ln1mS) => betaApply(p, lnS, ln1mS) };
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
    applyReduction(FAMILY, this.maps, input, this.reduction, this.options.independent, dst);
    return { data: dst, rows: input.logits.rows, cols: this.numClasses };
  }

  /** Calibrated confidence of each row's predicted class (top-label models only; the label is unchanged). */
  predictConfidence(input: CalibrationInput): Float64Array {
    checkLogits(input.logits, 'beta', this.numClasses);
    if (this.reduction !== 'top-label') throw new CalibraError('E_UNSUPPORTED', 'beta: predictConfidence needs reduction=top-label', { fix: 'fit with --option reduction=top-label' });
    return topLabelConfidences(FAMILY, this.maps[0] as (typeof this.maps)[number], input);
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
    const r = fitBinaryMaps(FAMILY, data, data.labels, reduction);
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
