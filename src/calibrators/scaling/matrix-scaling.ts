/**
 * Matrix scaling (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017, §4.2):
 * `q = softmax(W z + b)`, fitted by mean NLL + λ·Σ (W − W0)² + λ_b·Σ b² (calibrators.md §3) with L-BFGS.
 * `target=zero` with λ_b = 0 is sklearn's multinomial LogisticRegression with C = 1/(2λN).
 * Does not preserve the argmax. Cost per L-BFGS evaluation O(N·K²); K² parameters, so K above `maxClasses`
 * (default 1024) is refused with E_TOO_LARGE unless the option is raised.
 */
import { checkFullSize, fitLinearSoftmax, loadLinearModel, LinearSoftmaxModel, type LinearLayout } from './linear-softmax.js';
import { checkLabelled } from '../core/checks.js';
import { storedOptions } from '../core/options.js';
import type { CalibratorJSON, CalibratorSpec, FitResult, FittedCalibrator, LabelledInput, RawOptions } from '../core/types.js';
import { readScalingOptions } from './vector-scaling.js';

const MS_DEFAULTS = { lambda: 0, lambdaBias: 0, target: 'identity', maxIterations: 5000, maxClasses: 1024 } as const;
const MS_LAYOUT: LinearLayout = { method: 'ms', form: 'full', mode: 'logits' };

/** Matrix scaling spec (id `ms`). */
export const matrixScaling: CalibratorSpec = {
  id: 'ms',
  title: 'Matrix scaling (Guo et al. 2017)',
  input: 'logits',
  preservesArgmax: false,
  defaults: MS_DEFAULTS,
  fit(data: LabelledInput, options: RawOptions): FitResult {
    const o = readScalingOptions('ms', options, MS_DEFAULTS);
    checkLabelled(data, 'ms');
    checkFullSize('ms', data.logits.cols, o.maxClasses ?? MS_DEFAULTS.maxClasses);
    const fit = fitLinearSoftmax(data.logits, data.labels, 'full', 'logits',
      { diag: o.lambda, off: o.lambda, diagTarget: o.target === 'identity' ? 1 : 0, bias: o.lambdaBias }, o);
    const diag = { converged: fit.converged, iterations: fit.iterations, loss: fit.loss, warnings: fit.warnings };
    return { model: new LinearSoftmaxModel(MS_LAYOUT, data.logits.cols, fit.W, fit.b, o, diag), ...diag };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    return loadLinearModel(MS_LAYOUT, json, readScalingOptions('ms', storedOptions(json), MS_DEFAULTS));
  },
};
