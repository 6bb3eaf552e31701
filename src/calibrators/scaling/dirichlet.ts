/**
 * Dirichlet calibration (Kull, Perello-Nieto, Kängsepp, Silva Filho, Song, Flach, "Beyond temperature
 * scaling: Obtaining well-calibrated multiclass probabilities with Dirichlet calibration", NeurIPS 2019):
 * `q = softmax(W·ln p + b)` with p = softmax(z), ln p floored at ln(2.2e-308) (dirichletcal's clip).
 * Three specs (calibrators.md §4):
 * - `dirichlet` (Full): K×K W, optional plain L2 `lambda` on [W | b] towards zero (or the identity);
 * - `dirichlet-diag`: diagonal W, optional plain L2;
 * - `dirichlet-odir`: Full with ODIR, λ/(K(K−1))·Σ_{i≠j} W_ij² + μ/K·Σ b² (the paper form: no reference
 *   row, penalty on the whole [W | b]); `normalise=false` gives the unnormalised Keras form.
 * None preserves the argmax. Cost per L-BFGS evaluation O(N·K²) (Full, ODIR) or O(N·K) (Diag); Full and ODIR
 * refuse K above `maxClasses` (default 1024) with E_TOO_LARGE unless the option is raised.
 */
import { checkFullSize, fitLinearSoftmax, loadLinearModel, LinearSoftmaxModel, type LinearLayout, type LinearPenalty } from './linear-softmax.js';
import { checkLabelled } from '../core/checks.js';
import { OptionReader, storedOptions } from '../core/options.js';
import type { CalibratorJSON, CalibratorSpec, FitResult, FittedCalibrator, LabelledInput, RawOptions } from '../core/types.js';

type Variant = 'full' | 'diag' | 'odir';
interface DirichletOptions { lambda: number; mu: number; target: 'zero' | 'identity'; normalise: boolean; maxIterations: number; maxClasses: number }

const DEFAULTS: Record<Variant, Readonly<Record<string, string | number | boolean>>> = {
  full: { lambda: 0, target: 'zero', normalise: true, maxIterations: 5000, maxClasses: 1024 },
  diag: { lambda: 0, target: 'zero', normalise: true, maxIterations: 5000 },
  odir: { lambda: 0.01, mu: 0.01, normalise: true, maxIterations: 5000, maxClasses: 1024 },
};
const IDS: Record<Variant, string> = { full: 'dirichlet', diag: 'dirichlet-diag', odir: 'dirichlet-odir' };

function readOptions(variant: Variant, raw: RawOptions): DirichletOptions {
  const id = IDS[variant];
  const r = new OptionReader(id, raw, DEFAULTS[variant]);
  const lambda = r.number('lambda', { min: 0 });
  const mu = variant === 'odir' ? r.number('mu', { min: 0 }) : 0;
  const target = variant === 'odir' ? 'zero' : r.choice('target', ['zero', 'identity'] as const);
  const normalise = r.bool('normalise');
  const maxIterations = r.number('maxIterations', { min: 1, integer: true });
  const maxClasses = variant === 'diag' ? 0 : r.number('maxClasses', { min: 2, integer: true });
  r.finish();
  return { lambda, mu, target, normalise, maxIterations, maxClasses };
}

function storedForm(variant: Variant, o: DirichletOptions): Record<string, string | number | boolean> {
  return variant === 'odir'
    ? { lambda: o.lambda, mu: o.mu, normalise: o.normalise, maxIterations: o.maxIterations, maxClasses: o.maxClasses }
    : variant === 'full'
      ? { lambda: o.lambda, target: o.target, normalise: o.normalise, maxIterations: o.maxIterations, maxClasses: o.maxClasses }
      : { lambda: o.lambda, target: o.target, normalise: o.normalise, maxIterations: o.maxIterations };
}

/** The penalty of each variant (normalised as dirichletcal's `reg_norm=True` when `normalise`). */
export function dirichletPenalty(variant: Variant, K: number, o: DirichletOptions): LinearPenalty {
  if (variant === 'odir') {
    return { diag: 0, off: o.normalise ? o.lambda / (K * (K - 1)) : o.lambda, diagTarget: 0, bias: o.normalise ? o.mu / K : o.mu };
  }
  const nParams = variant === 'full' ? K * (K + 1) : 2 * K;
  const c = o.normalise ? o.lambda / nParams : o.lambda;
  return { diag: c, off: variant === 'full' ? c : 0, diagTarget: o.target === 'identity' ? 1 : 0, bias: c };
}

function makeSpec(variant: Variant, title: string): CalibratorSpec {
  const id = IDS[variant];
  const layout: LinearLayout = { method: id, form: variant === 'diag' ? 'diag' : 'full', mode: 'log-probs' };
  return {
    id, title, input: 'logits', preservesArgmax: false, defaults: DEFAULTS[variant],
    fit(data: LabelledInput, options: RawOptions): FitResult {
      const o = readOptions(variant, options);
      const K = checkLabelled(data, id);
      if (variant !== 'diag') checkFullSize(id, K, o.maxClasses);
      const fit = fitLinearSoftmax(data.logits, data.labels, layout.form, 'log-probs', dirichletPenalty(variant, K, o), o);
      const diag = { converged: fit.converged, iterations: fit.iterations, loss: fit.loss, warnings: fit.warnings };
      return { model: new LinearSoftmaxModel(layout, K, fit.W, fit.b, storedForm(variant, o), diag), ...diag };
    },
    load(json: CalibratorJSON): FittedCalibrator {
      return loadLinearModel(layout, json, storedForm(variant, readOptions(variant, storedOptions(json))));
    },
  };
}

/** Dirichlet calibration, full matrix (id `dirichlet`). */
export const dirichletFull: CalibratorSpec = makeSpec('full', 'Dirichlet calibration, full (Kull et al. 2019)');
/** Dirichlet calibration, diagonal (id `dirichlet-diag`). */
export const dirichletDiag: CalibratorSpec = makeSpec('diag', 'Dirichlet calibration, diagonal (Kull et al. 2019)');
/** Dirichlet calibration with ODIR regularisation (id `dirichlet-odir`). */
export const dirichletOdir: CalibratorSpec = makeSpec('odir', 'Dirichlet calibration, ODIR-regularised (Kull et al. 2019)');
