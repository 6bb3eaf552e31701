/**
 * Multi-threaded `predictProba` for per-row calibrators (Node only): rows are split into one contiguous range
 * per worker thread; every worker rebuilds the model from its JSON and writes its rows of the output, which
 * lives in a SharedArrayBuffer. Each row's probabilities are computed by the same code as on one thread, so
 * the output is bit-identical for every thread count.
 */
import type { CalibrationInput, FittedCalibrator } from '../calibrators/core/types.js';
import type { Matrix } from '../math/matrix.js';
import type { ApplyReply, ApplyTask } from './protocol.js';
import { rebuildError, sharedData, startWorker } from './shared.js';

/**
 * `model.predictProba(input)` computed by `threads` worker threads (1 = on the calling thread), for an input
 * of logits, or of probabilities (`input.probs`, which the workers receive instead of the logits and turn into
 * `probabilityInput` row block by row block, so probability-space methods still see them bit for bit). Only for
 * models whose rows are calibrated independently — every method in calibra except views-based ones.
 * Cost O(N·(per-row cost) / threads) plus worker start-up; memory: the N×K float64 output, plus one copy of
 * the input matrix when it is not in a SharedArrayBuffer.
 * @example (await predictParallel(model, { logits }, 4)).data // equals model.predictProba({ logits }).data
 */
export async function predictParallel(model: FittedCalibrator, input: CalibrationInput, threads: number): Promise<Matrix<Float64Array>> {
  const { rows, cols } = input.logits;
  const n = Math.max(1, Math.min(Math.floor(threads), Math.ceil(rows / 1024)));
  if (n <= 1) return model.predictProba(input);
  const probs = input.probs !== undefined;
  const mem = sharedData(input.probs ?? input.logits);
  const out = new SharedArrayBuffer(rows * cols * 8);
  const text = JSON.stringify(model.toJSON());
  const errors: { start: number; error: Error }[] = [];
  await Promise.all(Array.from({ length: n }, (_, w) => new Promise<void>((resolve) => {
    const start = Math.floor((w * rows) / n);
    const end = Math.floor(((w + 1) * rows) / n);
    const task: ApplyTask = { model: text, ...mem, probs, rows, cols, start, end, out };
    const worker = startWorker('apply-worker', task);
    let settled = false;
    const settle = (error: Error | null): void => {
      if (settled) return;
      settled = true;
      if (error !== null) errors.push({ start, error });
      resolve();
    };
    worker.on('message', (reply: ApplyReply) => {
      settle(reply.kind === 'error' ? rebuildError(reply.error) : null);
      void worker.terminate();
    });
    worker.on('error', (e) => settle(e));
    worker.on('exit', () => settle(new Error(`predictParallel: a worker stopped before writing rows ${start}..${end - 1}`)));
  })));
  if (errors.length > 0) throw (errors.sort((a, b) => a.start - b.start)[0] as { error: Error }).error;
  return { data: new Float64Array(out), rows, cols };
}
