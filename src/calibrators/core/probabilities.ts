/**
 * The probabilities a probability-space method reads: the user's own values, bit for bit, when the input
 * came as probabilities (`CalibrationInput.probs`), else softmax of the logits. One place for this, so that
 * histogram binning, isotonic, BBQ, scaling-binning, IRM, IROvA, spline, Platt/beta pairs and `none` agree
 * with scikit-learn / betacal / Kumar run on the same probabilities (a zero stays 0, ties stay tied, a value on
 * a bin edge stays on it).
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { probsToLogits, softmax } from '../../math/softmax.js';
import type { CalibrationInput } from './types.js';

/**
 * N×K probabilities of `input` into `out` (or a new array): a copy of `input.probs` when given (checked to
 * have the logits' shape), else softmax(logits). Cost O(N·K).
 * @example
 * const probs = { data: Float64Array.of(0.2, 0.8), rows: 1, cols: 2 };
 * inputProbabilities({ logits: { data: Float64Array.of(0, 0), rows: 1, cols: 2 }, probs }).data // => Float64Array.of(0.2, 0.8)
 * inputProbabilities({ logits: { data: Float64Array.of(0, 0), rows: 1, cols: 2 } }).data // => Float64Array.of(0.5, 0.5)
 */
export function inputProbabilities(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
  const p = input.probs;
  if (p === undefined) return softmax(input.logits, 1, out);
  if (p.rows !== input.logits.rows || p.cols !== input.logits.cols) {
    throw new CalibraError('E_SHAPE', `probabilities are ${p.rows}×${p.cols} but logits ${input.logits.rows}×${input.logits.cols}`, { fix: 'pass probs and their logits ln p of the same shape' });
  }
  const n = p.rows * p.cols;
  const dst = out ?? new Float64Array(n);
  if (dst.length < n) throw new CalibraError('E_SHAPE', `output buffer holds ${dst.length} values, need ${n}`, { fix: 'pass a buffer of N×K entries' });
  if (dst !== p.data) for (let i = 0; i < n; i++) dst[i] = p.data[i] as number;
  return { data: dst, rows: p.rows, cols: p.cols };
}

/** Clip of p before ln p when probabilities are turned into logits (the clip verified_calibration uses). */
export const PROBS_LOG_EPSILON = 1e-12;

/**
 * The calibration input of user probabilities: the probabilities themselves (read bit for bit by
 * probability-space methods) plus logits ln max(p, PROBS_LOG_EPSILON) for logit-space methods, where a zero
 * becomes ln 1e-12 ≈ −27.6 instead of −∞. Cost O(N·K).
 */
export function probabilityInput(probs: Matrix): { logits: Matrix<Float64Array>; probs: Matrix } {
  return { logits: probsToLogits(probs, PROBS_LOG_EPSILON), probs };
}
