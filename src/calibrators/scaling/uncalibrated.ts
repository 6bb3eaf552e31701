/**
 * The identity "calibrator": softmax of the input logits (the given probabilities themselves, bit for bit,
 * when the input was probabilities), unchanged. It is the baseline row of
 * `calibra compare` and lets every pipeline run with `--method none`. Cost: O(N·K) per predict, nothing to fit.
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { checkLabelled, checkPredictInput } from '../core/checks.js';
import { checkEnvelope, envelope, fitBlock } from '../core/envelope.js';
import { checkOptionKeys } from '../core/options.js';
import { inputProbabilities } from '../core/probabilities.js';
import type { CalibrationInput, CalibratorJSON, CalibratorSpec, FittedCalibrator, FitResult, LabelledInput, RawOptions } from '../core/types.js';

const ID = 'none';

function makeModel(numClasses: number): FittedCalibrator {
  return {
    method: ID,
    numClasses,
    preservesArgmax: true,
    predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
      checkPredictInput(input.logits, numClasses, ID);
      return inputProbabilities(input, out);
    },
    toJSON(): CalibratorJSON {
      return envelope({ method: ID, input: 'logits', numClasses, reduction: 'none', options: {}, params: {}, fit: fitBlock(true, 0, null, []), seed: null });
    },
  };
}

/**
 * `none`: the uncalibrated softmax. `preservesArgmax` is true (softmax is monotone within a row).
 * @example
 * const logits = { data: Float64Array.of(0, Math.log(3)), rows: 1, cols: 2 };
 * getCalibrator('none').fit({ logits, labels: Int32Array.of(1) }, {}, { seed: 0 }).model.predictProba({ logits }).data // ~> [0.25, 0.75]
 */
export const uncalibrated: CalibratorSpec = {
  id: ID,
  title: 'Uncalibrated softmax (identity baseline)',
  input: 'logits',
  preservesArgmax: true,
  defaults: {},
  fit(data: LabelledInput, options: RawOptions): FitResult {
    checkOptionKeys(options, [], ID);
    checkLabelled(data, ID);
    return { model: makeModel(data.logits.cols), converged: true, iterations: 0, loss: null, warnings: [] };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    checkEnvelope(json, ID);
    if (Object.keys(json.params).length !== 0) {
      throw new CalibraError('E_MODEL_INVALID', `model 'none' has no learned values, found params ${Object.keys(json.params).join(', ')}`, { where: "field 'params'", fix: "set params to {} or refit with calibra fit --method none" });
    }
    return makeModel(json.numClasses);
  },
};
