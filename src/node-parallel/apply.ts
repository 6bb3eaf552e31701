/**
 * Multi-threaded `predictProba` for per-row calibrators (Node only): rows are split into one contiguous range
 * per thread (the calling thread takes the first); every worker rebuilds the model from its JSON and writes
 * its rows of the output, which lives in a SharedArrayBuffer. Each row's probabilities are computed by the
 * same code as on one thread, so the output is bit-identical for every thread count.
 */
import { probabilityInput } from '../calibrators/core/probabilities.js';
import type { CalibrationInput, FittedCalibrator } from '../calibrators/core/types.js';
import type { Matrix } from '../math/matrix.js';
import type { ApplyReply, ApplyTask } from './protocol.js';
import { rebuildError, sharedData, startWorker, viewShared } from './shared.js';

/**
 * `model.predictProba(input)` computed by `threads` threads: the calling thread takes the first row range and
 * `threads − 1` workers the others (1 = on the calling thread only), for an input of logits, or of
 * probabilities (`input.probs`, which the workers receive instead of the logits and turn into
 * `probabilityInput` row block by row block, so probability-space methods still see them bit for bit). Only for
 * models whose rows are calibrated independently — every method in calibra except views-based ones.
 * Cost O(N·(per-row cost) / threads) plus worker start-up; memory: the N×K float64 output (shared, written in
 * place by every thread), plus one copy of the input matrix when it is not in a SharedArrayBuffer (load it
 * with `shared: true` to avoid that), plus each worker's own heap.
 * @example
 * import { getCalibrator } from '../calibrators/core/registry.js';
 * const logits = { data: Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i)), rows: 1000, cols: 2 };
 * const model = getCalibrator('ts').fit({ logits, labels: Int32Array.from({ length: 1000 }, (_, i) => i % 2) }, {}, { seed: 0 }).model;
 * (await predictParallel(model, { logits }, 2)).data // => model.predictProba({ logits }).data
 */
export async function predictParallel(model: FittedCalibrator, input: CalibrationInput, threads: number): Promise<Matrix<Float64Array>> {
  const { rows, cols } = input.logits;
  const n = Math.max(1, Math.min(Math.floor(threads), Math.ceil(rows / 1024)));
  if (n <= 1) return model.predictProba(input);
  const probs = input.probs !== undefined;
  const mem = sharedData(input.probs ?? input.logits);
  const out = new SharedArrayBuffer(rows * cols * 8);
  const outView = new Float64Array(out);
  const text = JSON.stringify(model.toJSON());
  const errors: { start: number; error: Error }[] = [];
  const range = (w: number): [number, number] => [Math.floor((w * rows) / n), Math.floor(((w + 1) * rows) / n)];
  const done = Promise.all(Array.from({ length: n - 1 }, (_, i) => new Promise<void>((resolve) => {
    const [start, end] = range(i + 1);
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
  // the calling thread's share, while the workers start and run (same code as one thread: same bits)
  const [start0, end0] = range(0);
  const data = viewShared(mem, rows * cols);
  try {
    const block = { data: data.subarray(start0 * cols, end0 * cols), rows: end0 - start0, cols };
    model.predictProba(probs ? probabilityInput(block) : { logits: block }, outView.subarray(start0 * cols, end0 * cols));
  } catch (e) {
    errors.push({ start: start0, error: e instanceof Error ? e : new Error(String(e)) });
  }
  await done;
  if (errors.length > 0) throw (errors.sort((a, b) => a.start - b.start)[0] as { error: Error }).error;
  return { data: outView, rows, cols };
}
