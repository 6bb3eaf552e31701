/**
 * One row block of a parallel metric evaluation, computed the same way on every thread (the calling thread
 * and the workers of evaluateParallel), so the merged result is bit-identical for any thread count. Node only
 * by placement; no Node imports.
 */
import type { FloatArray, Matrix } from '../math/matrix.js';
import type { AccumulatorSnapshot, MetricAccumulator } from '../metrics/evaluate.js';
import { BLOCK_ROWS } from '../metrics/partial.js';

/**
 * Adds block `j` (rows j·BLOCK_ROWS ..) of the N×K `data` to `acc` (reset first) and returns its snapshot,
 * which shares `acc`'s arrays until absorbed or posted. Throws the accumulator's error for a bad row.
 */
export function blockSnapshot(acc: MetricAccumulator, kind: 'logits' | 'probs', data: FloatArray, rows: number, cols: number, labels: Int32Array, j: number): AccumulatorSnapshot {
  const start = j * BLOCK_ROWS;
  const end = Math.min(rows, start + BLOCK_ROWS);
  const chunk: Matrix = { data: data.subarray(start * cols, end * cols), rows: end - start, cols };
  acc.reset();
  if (kind === 'logits') acc.addLogits(chunk, labels, start);
  else acc.addProbs(chunk, labels, start);
  return acc.snapshot();
}
