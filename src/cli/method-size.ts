/**
 * How many parameters a method fits jointly on the validation set, and the rule that keeps over-sized methods
 * out of the default method lists of `compare` and `report`: matrix scaling or Dirichlet calibration on
 * 2 500 × 100 logits fit 10 100 parameters to 2 500 samples (test accuracy 0.59 → 0.24). Methods that fit
 * one small binary map per class (platt, beta, histogram, the isotonic family, spline, scaling-binning) fit
 * each map on all N samples and are not counted here; nor is CA (its network reads a fixed number of
 * features whatever K is).
 */
import type { RawOptions } from '../calibrators/core/types.js';

/** The default lists skip a method with fewer validation samples than this per jointly fitted parameter. */
export const MIN_SAMPLES_PER_PARAMETER = 10;

/**
 * Jointly fitted parameters of method `id` on K classes with `options`, or null for methods that are not
 * counted (see the file comment). Checked against the fitted models' JSON in test/cli/method-size.test.ts.
 * @example jointParameters('ms', 100, {}) // => 10100
 */
export function jointParameters(id: string, classes: number, options: RawOptions = {}): number | null {
  const K = classes;
  switch (id) {
    case 'none': return 0;
    case 'ts': return 1;
    case 'ets': return 4;
    case 'vs': case 'dirichlet-diag': return 2 * K;
    case 'ms': case 'dirichlet': case 'dirichlet-odir': return K * K + K;
    case 'pts': {
      const topK = typeof options['topK'] === 'number' ? options['topK'] : Math.min(10, K);
      const layers = typeof options['layers'] === 'number' ? options['layers'] : 2;
      const nodes = typeof options['nodes'] === 'number' ? options['nodes'] : 5;
      return topK * nodes + nodes + (layers - 1) * (nodes * nodes + nodes) + nodes + 1;
    }
    default: return null;
  }
}

/**
 * Why a default list leaves `id` out for this validation set, or null when it stays in.
 * @example oversizeReason('ms', 100, 2500) // => "10100 parameters for 2500 validation samples (fewer than 10 a parameter)"
 */
export function oversizeReason(id: string, classes: number, validationRows: number, options: RawOptions = {}): string | null {
  const p = jointParameters(id, classes, options);
  if (p === null || p * MIN_SAMPLES_PER_PARAMETER <= validationRows) return null;
  return `${p} parameters for ${validationRows} validation samples (fewer than ${MIN_SAMPLES_PER_PARAMETER} a parameter)`;
}
