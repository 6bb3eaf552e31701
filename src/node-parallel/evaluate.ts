/**
 * Multi-threaded metric evaluation for large inputs (Node only; the browser build uses the single-thread
 * {@link MetricAccumulator}). Rows are split into {@link BLOCK_ROWS}-row blocks dealt round-robin to the
 * calling thread and `threads − 1` `worker_threads` that read the matrix from one SharedArrayBuffer (no copy when the data already lives in
 * one); each block's statistics come back as a snapshot and are absorbed in row order, so the result is
 * bit-identical to the single-thread path for any number of threads.
 */
import { CalibraError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import { MetricAccumulator, type AccumulatorSnapshot, type EvaluateOptions } from '../metrics/evaluate.js';
import { BLOCK_ROWS } from '../metrics/partial.js';
import type { WorkerReply, WorkerTask } from './protocol.js';
import { blockSnapshot } from './block.js';
import { rebuildError, sharedData, startWorker } from './shared.js';

export { DEFAULT_MAX_THREADS, PARALLEL_MIN_ELEMENTS, defaultThreads } from './threads.js';

/** Options of {@link evaluateParallel}. */
export interface ParallelOptions extends EvaluateOptions {
  /** Worker threads (1 = evaluate on the calling thread). */
  readonly threads: number;
  /** Called after each absorbed block with the fraction of rows done. */
  readonly onProgress?: (fraction: number) => void;
}

/**
 * The accumulator of `ids` over every row of `matrix` (logits or probabilities), computed by
 * `opts.threads` worker threads. Equals `new MetricAccumulator(ids, K, opts).addLogits(matrix, labels)`
 * bit for bit (same block sums added in the same order). Errors (labels out of range, non-finite rows)
 * are the ones the single-thread pass raises first. Labels must have one entry per row.
 * Cost O(N·K / threads) time plus worker start-up (0.1–0.2 s each on a loaded 2-core machine); memory O(threads·K·Σ bins) besides the
 * input, plus one copy of the input when it is not in a SharedArrayBuffer.
 */
export async function evaluateParallel(kind: 'logits' | 'probs', matrix: Matrix, labels: Int32Array, ids: readonly string[], opts: ParallelOptions): Promise<MetricAccumulator> {
  const acc = new MetricAccumulator(ids, matrix.cols, opts);
  const blocks = Math.ceil(matrix.rows / BLOCK_ROWS);
  const threads = Math.max(1, Math.min(Math.floor(opts.threads), blocks));
  if (threads <= 1) return kind === 'logits' ? acc.addLogits(matrix, labels) : acc.addProbs(matrix, labels);
  if (labels.length < matrix.rows) throw new CalibraError('E_SHAPE', `${matrix.rows} rows but only ${labels.length} labels`, { fix: 'give one label per row' });
  const mem = sharedData(matrix);
  const options: EvaluateOptions = { ...(opts.edges !== undefined ? { edges: opts.edges } : {}), ...(opts.keepSamples !== undefined ? { keepSamples: opts.keepSamples } : {}) };
  const waiting = new Map<number, AccumulatorSnapshot>();
  let next = 0;
  let firstError: { block: number; error: Error } | null = null;
  const record = (block: number, error: Error): void => {
    const f = firstError as { block: number; error: Error } | null;
    if (f === null || block < f.block) firstError = { block, error };
  };
  const absorbReady = (): void => {
    // absorb in row order as soon as the next block is in (keeps memory bounded)
    for (let s = waiting.get(next); s !== undefined; s = waiting.get(next)) {
      if (firstError === null) acc.absorb(s);
      waiting.delete(next);
      next++;
      opts.onProgress?.(Math.min(1, (next * BLOCK_ROWS) / matrix.rows));
    }
  };
  const runOne = (w: number): Promise<void> => new Promise((resolve) => {
    const mine: number[] = [];
    for (let j = w; j < blocks; j += threads) mine.push(j);
    const task: WorkerTask = { kind, type: mem.type, buffer: mem.buffer, byteOffset: mem.byteOffset, rows: matrix.rows, cols: matrix.cols, labels, ids: [...ids], options, blocks: mine };
    const worker = startWorker('metrics-worker', task);
    const fail = (block: number, error: Error): void => {
      record(block, error);
      void worker.terminate();
      resolve();
    };
    worker.on('message', (reply: WorkerReply) => {
      if (reply.kind === 'block') {
        waiting.set(reply.block, reply.snapshot);
        absorbReady();
      } else if (reply.kind === 'error') fail(reply.block, rebuildError(reply.error));
      else { void worker.terminate(); resolve(); }
    });
    worker.on('error', (e) => fail(mine[0] ?? 0, e));
    worker.on('exit', () => resolve());
  });
  // workers take shares 1..threads−1; the calling thread computes share 0 meanwhile (the same per-block code)
  const workers = Promise.all(Array.from({ length: threads - 1 }, (_, w) => runOne(w + 1)));
  for (let j = 0; j < blocks; j += threads) {
    // a fresh accumulator per block: a snapshot shares the accumulator's arrays until it is absorbed
    const own = new MetricAccumulator(ids, matrix.cols, options);
    try {
      waiting.set(j, blockSnapshot(own, kind, matrix.data, matrix.rows, matrix.cols, labels, j));
    } catch (e) {
      record(j, e instanceof Error ? e : new Error(String(e)));
      break;
    }
    absorbReady();
  }
  await workers;
  const err = firstError as { block: number; error: Error } | null;
  if (err !== null) throw err.error;
  if (next !== blocks) throw new Error(`evaluateParallel: ${blocks - next} blocks were not evaluated`);
  return acc;
}
