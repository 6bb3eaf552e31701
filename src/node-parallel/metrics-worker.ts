/**
 * Worker-thread entry of {@link evaluateParallel}: evaluates its share of {@link BLOCK_ROWS}-row blocks of
 * a matrix held in a SharedArrayBuffer and posts one snapshot per block, in its own row order. Node only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FloatArray } from '../math/matrix.js';
import { MetricAccumulator } from '../metrics/evaluate.js';
import { blockSnapshot } from './block.js';
import type { WorkerTask, WorkerReply } from './protocol.js';
import { serializeError, viewShared } from './shared.js';

function run(task: WorkerTask): void {
  const port = parentPort;
  if (port === null) return;
  const data: FloatArray = viewShared(task, task.rows * task.cols);
  const acc = new MetricAccumulator(task.ids, task.cols, task.options);
  for (const j of task.blocks) {
    try {
      const reply: WorkerReply = { kind: 'block', block: j, snapshot: blockSnapshot(acc, task.kind, data, task.rows, task.cols, task.labels, j) };
      port.postMessage(reply);
    } catch (e) {
      const error = serializeError(e);
      const reply: WorkerReply = { kind: 'error', block: j, error };
      port.postMessage(reply);
      return;
    }
  }
  const done: WorkerReply = { kind: 'done' };
  port.postMessage(done);
}

run(workerData as WorkerTask);
