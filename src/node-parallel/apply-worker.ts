/**
 * Worker-thread entry of {@link predictParallel}: rebuilds the fitted model from its JSON and writes the
 * calibrated probabilities of its row range straight into the shared output. Node only.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadModelJson } from '../calibrators/core/model-file.js';
import { probabilityInput } from '../calibrators/core/probabilities.js';
import type { ApplyReply, ApplyTask } from './protocol.js';
import { serializeError, viewShared } from './shared.js';

function run(task: ApplyTask): void {
  const port = parentPort;
  if (port === null) return;
  try {
    const model = loadModelJson(task.model, 'model');
    const data = viewShared(task, task.rows * task.cols);
    const out = new Float64Array(task.out, 0, task.rows * task.cols);
    const { start, end, cols } = task;
    const block = { data: data.subarray(start * cols, end * cols), rows: end - start, cols };
    model.predictProba(task.probs ? probabilityInput(block) : { logits: block }, out.subarray(start * cols, end * cols));
    const done: ApplyReply = { kind: 'done' };
    port.postMessage(done);
  } catch (e) {
    const reply: ApplyReply = { kind: 'error', error: serializeError(e) };
    port.postMessage(reply);
  }
}

run(workerData as ApplyTask);
