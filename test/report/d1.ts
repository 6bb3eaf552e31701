/** Fixture D1 of metrics.md §0 (8 samples, 4 classes), shared by the report tests. */
import type { Matrix } from '../../src/math/matrix.js';

export const D1_PROBS: Matrix<Float64Array> = {
  data: new Float64Array([
    0.71, 0.17, 0.09, 0.03,
    0.63, 0.27, 0.07, 0.03,
    0.23, 0.57, 0.13, 0.07,
    0.07, 0.09, 0.83, 0.01,
    0.31, 0.13, 0.43, 0.13,
    0.01, 0.93, 0.03, 0.03,
    0.47, 0.37, 0.09, 0.07,
    0.11, 0.19, 0.67, 0.03,
  ]),
  rows: 8,
  cols: 4,
};
export const D1_LABELS = new Int32Array([0, 1, 1, 2, 0, 1, 1, 2]);
/** Top-label confidence and correctness of D1 (table in metrics.md §0). */
export const D1_CONF = new Float64Array([0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67]);
export const D1_CORRECT = new Uint8Array([1, 0, 1, 1, 0, 1, 0, 1]);
