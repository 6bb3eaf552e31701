/**
 * Vector scaling (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017, §4.2):
 * `q = softmax(w ⊙ z + b)`, fitted by mean NLL + λ·Σ_k (w_k − w0)² + λ_b·Σ b² (calibrators.md §3) with
 * L-BFGS. Does not preserve the argmax. Cost per L-BFGS evaluation O(N·K).
 */
import { fitLinearSoftmax, loadLinearModel, LinearSoftmaxModel, type LinearLayout } from './linear-softmax.js';
import { checkLabelled } from '../core/checks.js';
import { OptionReader, storedOptions } from '../core/options.js';
import type { CalibratorJSON, CalibratorSpec, FitResult, FittedCalibrator, LabelledInput, RawOptions } from '../core/types.js';

const VS_DEFAULTS = { lambda: 0, lambdaBias: 0, target: 'identity', maxIterations: 5000 } as const;
const VS_LAYOUT: LinearLayout = { method: 'vs', form: 'diag', mode: 'logits' };

/** Parsed VS/MS options (shared shape). */
export type ScalingPenaltyOptions = { lambda: number; lambdaBias: number; target: 'identity' | 'zero'; maxIterations: number; maxClasses?: number };

/** Reads `lambda`, `lambdaBias`, `target`, `maxIterations` (VS and MS) and `maxClasses` when it has a default (MS). */
export function readScalingOptions(method: string, raw: RawOptions, defaults: Readonly<Record<string, string | number | boolean>>): ScalingPenaltyOptions {
  const r = new OptionReader(method, raw, defaults);
  const o = {
    lambda: r.number('lambda', { min: 0 }),
    lambdaBias: r.number('lambdaBias', { min: 0 }),
    target: r.choice('target', ['identity', 'zero'] as const),
    maxIterations: r.number('maxIterations', { min: 1, integer: true }),
  };
  const out: ScalingPenaltyOptions = 'maxClasses' in defaults ? { ...o, maxClasses: r.number('maxClasses', { min: 2, integer: true }) } : o;
  r.finish();
  return out;
}

/** Vector scaling spec (id `vs`). */
export const vectorScaling: CalibratorSpec = {
  id: 'vs',
  title: 'Vector scaling (Guo et al. 2017)',
  input: 'logits',
  preservesArgmax: false,
  defaults: VS_DEFAULTS,
  fit(data: LabelledInput, options: RawOptions): FitResult {
    const o = readScalingOptions('vs', options, VS_DEFAULTS);
    checkLabelled(data, 'vs');
    const fit = fitLinearSoftmax(data.logits, data.labels, 'diag', 'logits',
      { diag: o.lambda, off: 0, diagTarget: o.target === 'identity' ? 1 : 0, bias: o.lambdaBias }, o);
    const warnings = [...fit.warnings];
    fit.W.forEach((w, k) => { if (w <= 0) warnings.push(`vs-negative-weight: w[${k}] = ${w} reverses the order of class ${k}'s logits`); });
    const diag = { converged: fit.converged, iterations: fit.iterations, loss: fit.loss, warnings };
    return { model: new LinearSoftmaxModel(VS_LAYOUT, data.logits.cols, fit.W, fit.b, o, diag), ...diag };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    return loadLinearModel(VS_LAYOUT, json, readScalingOptions('vs', storedOptions(json), VS_DEFAULTS));
  },
};
