/**
 * calibra side of W6 (issue 7): the in-process pipeline of `calibra views` — the same library calls the
 * command makes (loadDataset, preprocess from the zoo manifest, OnnxClassifier, computeViewsLogits) — timed
 * from images in memory (idx files already parsed, onnxruntime session already open) to float64 logits:
 * per-image u8 → float decode, the seeded per-image view draws and pixel ops, preprocessing into the input
 * tensor, onnxruntime-node inference in batches. Not timed: process start, reading the files, session creation,
 * writing the .npz (the command's last step), one warm-up pass over 256 images.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadDataset } from '../src/datasets/index.js';
import { OnnxClassifier } from '../src/inference/onnx-runner.js';
import { computeViewsLogits } from '../src/inference/views-pipeline.js';
import { DEFAULT_PREPROCESS, parsePreprocessJson } from '../src/inference/preprocess.js';
import { manifestPathFor } from '../src/cli/commands/preprocess-args.js';
import { encodeNpy } from '../src/data/npy.js';
import { readW6Spec } from './w6-spec.js';

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * Sets up W6 (`W6-views` with the spec's views, `W6-original` with none) and returns one timed run. The
 * result holds `images` (dataset images per run), `images_per_s` (images / median run time so far),
 * `accuracy_original` and `mean_logit_original` (compared with the reference side). The first run also
 * writes `ort-logits.npy` (the first `checkRows` original logits) for reference.py's logit check.
 */
export async function w6Workload(name: string, dir: string): Promise<() => Promise<Record<string, number>>> {
  const spec = readW6Spec(dir);
  const views = name === 'W6-views' ? [...spec.views] : [];
  const manifest = manifestPathFor(spec.model);
  const preprocess = existsSync(manifest) ? parsePreprocessJson(readFileSync(manifest, 'utf8'), manifest) : DEFAULT_PREPROCESS;
  const ds = await loadDataset('fashion-mnist:test', { fashionMnistDir: spec.datasetDir });
  if (ds.count < spec.count) throw new Error(`W6: ${ds.source} has ${ds.count} images, spec wants ${spec.count}`);
  const clf = await OnnxClassifier.load(spec.model, preprocess, spec.model, { threads: spec.threads });
  const indices = Int32Array.from({ length: spec.count }, (_, i) => i);
  // Untimed warm-up on the first 256 images (JIT, onnxruntime's first call); reference.py does the same.
  await computeViewsLogits(clf, ds, { views, seed: spec.seed, indices: indices.subarray(0, Math.min(256, spec.count)) }, { batchSize: spec.batchSize });
  const times: number[] = [];
  let wroteCheck = false;
  return async () => {
    const t0 = performance.now();
    const res = await computeViewsLogits(clf, ds, { views, seed: spec.seed, indices }, { batchSize: spec.batchSize });
    times.push((performance.now() - t0) / 1000);
    const { data, rows, cols } = res.original;
    let correct = 0;
    let sum = 0;
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let k = 0; k < cols; k++) {
        const v = data[i * cols + k] as number;
        sum += v;
        if (v > (data[i * cols + best] as number)) best = k;
      }
      if (best === res.labels[i]) correct++;
    }
    if (!wroteCheck) {
      const m = Math.min(rows, spec.checkRows);
      writeFileSync(join(dir, 'ort-logits.npy'), encodeNpy({ data: data.slice(0, m * cols), shape: [m, cols] }));
      wroteCheck = true;
    }
    return {
      images: rows, views: views.length, images_per_s: rows / median(times),
      accuracy_original: correct / rows, mean_logit_original: sum / (rows * cols),
    };
  };
}
