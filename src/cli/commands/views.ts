/**
 * `calibra views`: run an ONNX classifier over a dataset and its transformed views (and optionally one
 * corruption), and write the views file that `calibra fit --method ca` reads (Liu et al. 2024,
 * arXiv:2404.13016). Seeded per image; the random draws are stored in the file (`rotation_angle`, ...).
 */
import { argmaxRow } from '../../math/softmax.js';
import { existsSync, readFileSync } from 'node:fs';
import { CalibraError, termSafe } from '../../errors.js';
import { checkOutputs, givenPaths } from '../../data/outputs.js';
import { getValue, listValue, numberValue, parseArgs, requireValue } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { loadDataset, DATASET_SPEC_FORMS } from '../../datasets/index.js';
import { saveViewsFile } from '../../data/files.js';
import { MAX_THREADS, OnnxClassifier } from '../../inference/onnx-runner.js';
import { computeViewsLogits } from '../../inference/views-pipeline.js';
import { preprocessFromArgs, PREPROCESS_FLAGS, PREPROCESS_USAGE } from './preprocess-args.js';
import { parseCorruptionArg } from '../../inference/corruption-step.js';

const USAGE = `usage: calibra views --model m.onnx --dataset SPEC --out views.npz [options]

Runs the model on each image and on its transformed views; writes an .npz with arrays 'original',
one per view (N×K logits), 'labels', 'view_names', the per-image random draws ('<view>_<param>') and
'indices' (dataset index of each row). This is the input of 'calibra fit --method ca'.

  --model FILE          ONNX classifier (a models/<id>.json manifest beside it supplies the preprocessing)
  --dataset SPEC        ${DATASET_SPEC_FORMS.join(' | ')}
  --views LIST          views to compute, in order (default rotation,greyscale,colorjitter;
                        also gaussian-blur, random-erasing, horizontal-flip)
  --corruption NAME:S   corrupt every image first (e.g. gaussian_noise:3), for a shifted test set
  --limit N             only the first N images (default all)
  --seed S              seed of the per-image draws (default 0)
  --batch-size N        images per ONNX call (default: from --memory-mb)
  --memory-mb M         memory budget for one batch (default 256)
  --threads N           onnxruntime intra-op threads per model call (default 1; the view code is single-threaded)
  --out FILE            output .npz (required); --force to overwrite
  --quiet               no progress bar
${PREPROCESS_USAGE}
example:
  npx calibra views --model models/fmnist-mlp.onnx --dataset fashion-mnist:test --limit 500 --out test-views.npz
`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, {
    flags: ['force', 'quiet'],
    values: ['model', 'dataset', 'views', 'corruption', 'limit', 'seed', 'batch-size', 'memory-mb', 'threads', 'out', ...PREPROCESS_FLAGS],
  }, 'views');
  const modelPath = requireValue(args, 'model', 'views');
  const datasetSpec = requireValue(args, 'dataset', 'views');
  const out = requireValue(args, 'out', 'views');
  const force = args.flags.has('force');
  checkOutputs([{ flag: '--out', file: out }], givenPaths(args.values, ['model']), { force });
  if (!existsSync(modelPath)) throw new CalibraError('E_IO', 'model file not found', { source: modelPath, fix: 'check the --model path (zoo models are in models/)' });
  const views = listValue(args, 'views') ?? ['rotation', 'greyscale', 'colorjitter'];
  const seed = numberValue(args, 'seed', 'views', 0, { integer: true, min: 0, max: 2 ** 32 - 1 });
  const limit = numberValue(args, 'limit', 'views', Infinity, { integer: true, min: 1 });
  const batchArg = getValue(args, 'batch-size');
  const batchSize = batchArg === undefined ? undefined : numberValue(args, 'batch-size', 'views', 1, { integer: true, min: 1, max: 65536 });
  const memoryMb = numberValue(args, 'memory-mb', 'views', 256, { min: 1 });
  const threads = numberValue(args, 'threads', 'views', 1, { integer: true, min: 1, max: MAX_THREADS });
  const corruptionArg = getValue(args, 'corruption');
  const corruption = corruptionArg === undefined ? undefined : parseCorruptionArg(corruptionArg);
  const preprocess = preprocessFromArgs(args, modelPath, (p) => readFileSync(p, 'utf8'), existsSync);

  const ds = await loadDataset(datasetSpec);
  const n = Math.min(ds.count, limit);
  io.stderr(`views: ${ds.name}: ${ds.note}; ${n} images, views ${views.join(', ')}${corruption !== undefined ? `, corruption ${corruption.name}` : ''}, seed ${seed}\n`);
  const clf = await OnnxClassifier.load(modelPath, preprocess, modelPath, { threads });
  const bar = createProgress(io, 'views', { quiet: args.flags.has('quiet') });
  try {
    const res = await computeViewsLogits(clf, ds, {
      views, seed, indices: Int32Array.from({ length: n }, (_, i) => i),
      ...(corruption !== undefined ? { corruption } : {}),
    }, { memoryBudgetBytes: memoryMb * 2 ** 20, ...(batchSize !== undefined ? { batchSize } : {}), onProgress: (f, m) => bar.update(f, m) });
    bar.done(`${n} images`);
    for (const note of res.notes) io.stderr(`views: note: ${termSafe(note)}\n`);
    const extra: [string, { shape: readonly number[]; data: Float64Array | Int32Array }][] = [...res.draws].map(([k, v]) => [k, { shape: v.shape, data: v.data }]);
    extra.push(['indices', { shape: [n], data: res.indices }]);
    saveViewsFile(out, { original: res.original, views: res.views, labels: res.labels, extra }, { force });
    let correct = 0;
    for (let i = 0; i < n; i++) {
      if (argmaxRow(res.original.data, res.original.cols, i) === res.labels[i]) correct++;
    }
    io.stdout(`wrote ${out}: ${n} × ${res.original.cols} logits for original + ${views.length} views (${views.join(', ')}); accuracy on originals ${(correct / n).toFixed(4)}\n`);
  } finally {
    await clf.close();
  }
  return 0;
}

/** The `views` command. */
export const viewsCommand: Command = {
  name: 'views',
  usage: USAGE,
  run,
};
