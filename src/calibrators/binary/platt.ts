/**
 * Platt scaling (Platt 1999, "Probabilistic outputs for support vector machines"; numerics of Lin, Lin, Weng
 * 2007): `P(y=1 | f) = 1 / (1 + exp(A·f + B))`, fitted by summed cross-entropy against Platt's smoothed
 * targets T+ = (N+ + 1)/(N+ + 2), T− = 1/(N− + 2) (as scikit-learn's `_sigmoid_calibration`), by Newton's
 * method to the exact optimum (logistic-newton.ts; calibrators.md §8.1). The score f is the log-odds of the
 * class probability (`inputTransform=logit`, clipped at 1e-12) or the probability itself (`identity`, what
 * scikit-learn's CalibratedClassifierCV does with predict_proba). Binary problems calibrate class 1;
 * multiclass uses one-vs-rest (normalised, or `independent`) or `reduction=top-label`.
 * Not argmax-preserving in general. Cost per Newton iteration O(N); fit O(N·K).
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { applyReduction, fitBinaryMaps, reductionFor, topLabelConfidences, type BinaryMapFamily } from './binary-map.js';
import { checkLabelled, checkLogits, outputBuffer } from '../core/checks.js';
import { checkEnvelope, envelope, type FitDiagnostics } from '../core/envelope.js';
import { readChoice, readNumber } from '../core/model-fields.js';
import { OptionReader, storedOptions } from '../core/options.js';
import type { CalibrationInput, CalibratorJSON, CalibratorSpec, FitResult, FittedCalibrator, LabelledInput, RawOptions, Reduction } from '../core/types.js';
import { logisticNewton } from './logistic-newton.js';

/** Probability clip before the logit transform (as verified_calibration, calibrators.md §1.1). */
export const PLATT_LOGIT_EPS = 1e-12;

/** Result of {@link fitPlatt}. */
export interface PlattFit { A: number; B: number; loss: number; iterations: number; converged: boolean; warnings: string[] }

/**
 * Fits Platt's sigmoid to scores f and 0/1 targets (summed CE against smoothed targets when
 * `targetSmoothing`). Starts at A = 0, B = ln((N− + 1)/(N+ + 1)). Cost O(N) per iteration.
 *
 * @example
 * // fixture B of calibrators.md §0, logit scores; the oracle of §8.1 is A = −0.522892876487, B = −0.509516820726
 * const s = [0.05, 0.12, 0.12, 0.25, 0.33, 0.40, 0.40, 0.58, 0.66, 0.72, 0.85, 0.93];
 * const t = [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1];
 * fitPlatt(s.map((v) => Math.log(v / (1 - v))), t) // ~> { A: -0.5228928765, B: -0.5095168207, converged: true }
 */
export function fitPlatt(f: ArrayLike<number>, targets: ArrayLike<number>, opts: { targetSmoothing?: boolean; maxIterations?: number } = {}): PlattFit {
  const n = f.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) if (targets[i] === 1) nPos++;
  const nNeg = n - nPos;
  const smooth = opts.targetSmoothing ?? true;
  const hiT = smooth ? (nPos + 1) / (nPos + 2) : 1, loT = smooth ? 1 / (nNeg + 2) : 0;
  const T = new Float64Array(n);
  for (let i = 0; i < n; i++) T[i] = targets[i] === 1 ? hiT : loT;
  // P(y = 1 | f) = 1/(1 + exp(A f + B)) = σ(w f + c) with w = −A, c = −B; Platt's start A = 0, B = ln((N− + 1)/(N+ + 1))
  const r = logisticNewton([Float64Array.from(f)], T, { start: [0, -Math.log((nNeg + 1) / (nPos + 1))], ...(opts.maxIterations !== undefined ? { maxIterations: opts.maxIterations } : {}) });
  const warnings = r.separable ? [`platt-separable: the classes are separable and targetSmoothing is off, the MLE diverges (stopped after ${r.iterations} Newton iterations)`]
    : r.converged ? [] : [`platt-not-converged: Newton stopped at gradient ${r.gradient.toExponential(2)} after ${r.iterations} iterations`];
  return { A: -(r.w[0] as number), B: -(r.w[1] as number), loss: r.loss * n, iterations: r.iterations, converged: r.converged, warnings };
}

type Transform = 'logit' | 'identity';
interface PlattParams { readonly A: number; readonly B: number }
const LOGIT_CLIP = Math.log(PLATT_LOGIT_EPS) - Math.log1p(-PLATT_LOGIT_EPS);

/** The score f of one (p, ln p, ln(1 − p)) triple. */
function score(transform: Transform, p: number, lnP: number, lnQ: number): number {
  if (transform === 'identity') return p;
  return Math.min(Math.max(lnP - lnQ, LOGIT_CLIP), -LOGIT_CLIP);
}

function family(transform: Transform, targetSmoothing: boolean): BinaryMapFamily<PlattParams> {
  return {
    fit(s, lnP, lnQ, targets) {
      const f = new Float64Array(lnP.length);
      for (let i = 0; i < f.length; i++) f[i] = score(transform, s[i] as number, lnP[i] as number, lnQ[i] as number);
      const r = fitPlatt(f, targets, { targetSmoothing });
      return { params: { A: r.A, B: r.B }, loss: r.loss, iterations: r.iterations, converged: r.converged, warnings: r.warnings };
    },
    apply(p, s, lnP, lnQ) {
      const u = p.A * score(transform, s, lnP, lnQ) + p.B;
      return u >= 0 ? Math.exp(-u) / (1 + Math.exp(-u)) : 1 / (1 + Math.exp(u));
    },
  };
}

const PLATT_DEFAULTS = { inputTransform: 'logit', targetSmoothing: true, reduction: 'ovr', independent: false } as const;
interface PlattOptions { inputTransform: Transform; targetSmoothing: boolean; reduction: 'ovr' | 'top-label'; independent: boolean }

function readPlattOptions(raw: RawOptions): PlattOptions {
  const r = new OptionReader('platt', raw, PLATT_DEFAULTS);
  const o = {
    inputTransform: r.choice('inputTransform', ['logit', 'identity'] as const),
    targetSmoothing: r.bool('targetSmoothing'),
    reduction: r.choice('reduction', ['ovr', 'top-label'] as const),
    independent: r.bool('independent'),
  };
  r.finish();
  return o;
}

/** A fitted Platt model (one sigmoid per map). Immutable. */
export class PlattModel implements FittedCalibrator {
  readonly method = 'platt';
  readonly preservesArgmax = false;
  constructor(
    readonly numClasses: number, readonly reduction: Reduction, readonly maps: readonly PlattParams[],
    private readonly options: PlattOptions, private readonly diag: FitDiagnostics,
  ) {}

  predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
    checkLogits(input.logits, 'platt', this.numClasses);
    const dst = outputBuffer(input, out, 'platt');
    applyReduction(family(this.options.inputTransform, this.options.targetSmoothing), this.maps, input, this.reduction, this.options.independent, dst);
    return { data: dst, rows: input.logits.rows, cols: this.numClasses };
  }

  /** Calibrated confidence of each row's predicted class (top-label models only; the label is unchanged). */
  predictConfidence(input: CalibrationInput): Float64Array {
    checkLogits(input.logits, 'platt', this.numClasses);
    if (this.reduction !== 'top-label') throw new CalibraError('E_UNSUPPORTED', 'platt: predictConfidence needs reduction=top-label', { fix: 'fit with --option reduction=top-label' });
    return topLabelConfidences(family(this.options.inputTransform, this.options.targetSmoothing), this.maps[0] as (typeof this.maps)[number], input);
  }

  toJSON(): CalibratorJSON {
    const params = { inputTransform: this.options.inputTransform, maps: this.maps.map((m) => ({ A: m.A, B: m.B })) };
    return envelope({ method: 'platt', input: 'logits', numClasses: this.numClasses, reduction: this.reduction, options: { ...this.options }, params, fit: this.diag, seed: null });
  }
}

/** Platt scaling spec (id `platt`). */
export const plattScaling: CalibratorSpec = {
  id: 'platt',
  title: 'Platt scaling with target smoothing (Platt 1999)',
  input: 'logits',
  preservesArgmax: false,
  defaults: PLATT_DEFAULTS,
  fit(data: LabelledInput, options: RawOptions): FitResult {
    const o = readPlattOptions(options);
    const K = checkLabelled(data, 'platt');
    const { reduction } = reductionFor(K, o.reduction);
    const r = fitBinaryMaps(family(o.inputTransform, o.targetSmoothing), data, data.labels, reduction);
    const diag = { converged: r.converged, iterations: r.iterations, loss: r.loss, warnings: r.warnings };
    return { model: new PlattModel(K, reduction, r.maps, o, diag), ...diag };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    const K = checkEnvelope(json, 'platt').numClasses;
    const o = readPlattOptions(storedOptions(json));
    const { reduction, maps: count } = reductionFor(K, o.reduction);
    if (json.reduction !== reduction) throw new CalibraError('E_MODEL_INVALID', `platt: model field 'reduction' must be "${reduction}"`, { where: "field 'reduction'" });
    if (readChoice(json.params['inputTransform'], 'params.inputTransform', ['logit', 'identity'] as const) !== o.inputTransform) {
      throw new CalibraError('E_MODEL_INVALID', "platt: model field 'params.inputTransform' disagrees with options", { where: "field 'params.inputTransform'" });
    }
    const raw = json.params['maps'];
    if (!Array.isArray(raw) || raw.length !== count) throw new CalibraError('E_MODEL_INVALID', `platt: model field 'params.maps' must hold ${count} maps`, { where: "field 'params.maps'" });
    const maps = raw.map((m: unknown, i: number) => {
      const obj = (m !== null && typeof m === 'object' ? m : {}) as Record<string, unknown>;
      return { A: readNumber(obj['A'], `params.maps[${i}].A`), B: readNumber(obj['B'], `params.maps[${i}].B`) };
    });
    return new PlattModel(K, reduction, maps, o, json.fit);
  },
};
