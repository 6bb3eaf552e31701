/**
 * The runs pinned by test/inference/views-bitexact.test.ts: small `computeViewsLogits` runs that cover every
 * view, grey and RGB images, square and non-square sizes, resize/luma/BGR/NHWC preprocessing and a corruption.
 * Their outputs (logits and draws) were written by scripts/fixtures/views-bitexact.ts from the code before the
 * W6 speed-ups, so any change of a single output value fails the test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildZooOnnx } from '../../scripts/zoo/onnx-writer.js';
import { makeDataset, type ImageDataset } from '../../src/datasets/types.js';
import { loadDataset } from '../../src/datasets/index.js';
import { OnnxClassifier } from '../../src/inference/onnx-runner.js';
import { parsePreprocessJson, resolvePreprocess } from '../../src/inference/preprocess.js';
import { computeViewsLogits, type ViewsRequest } from '../../src/inference/views-pipeline.js';
import { parseCorruptionArg } from '../../src/inference/corruption-step.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ALL = ['rotation', 'greyscale', 'colorjitter', 'gaussian-blur', 'random-erasing', 'horizontal-flip'];

function linear(h: number, w: number, c: number, k: number, nhwc = false): Uint8Array {
  const d = h * w * c;
  const kernel = Float32Array.from({ length: d * k }, (_, i) => Math.sin(0.37 * i + 1));
  return buildZooOnnx({ name: 'lin', inputShape: nhwc ? [h, w, c] : [c, h, w], numClasses: k, docString: 't', layers: [{ kind: 'flatten' }, { kind: 'dense', inDim: d, outDim: k, kernel, bias: new Float32Array(k), relu: false }] });
}

function toy(w: number, h: number, c: 1 | 3, n: number): ImageDataset {
  return makeDataset({
    name: `toy${w}x${h}x${c}`, width: w, height: h, channels: c, classes: ['a', 'b', 'c', 'd'], source: 'test', note: 'toy',
    pixels: Uint8Array.from({ length: n * w * h * c }, (_, i) => (i * 97 + (i >> 3) * 13) % 256), labels: Int32Array.from({ length: n }, (_, i) => i % 4),
  });
}

/** Runs every pinned case; returns name → values (logits of original and each view, then every draw array). */
export async function runBitexactCases(): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  const add = async (name: string, model: Uint8Array | string, pre: ReturnType<typeof resolvePreprocess>, ds: ImageDataset, req: ViewsRequest, batchSize: number): Promise<void> => {
    const clf = await OnnxClassifier.load(model, pre);
    try {
      const run = await computeViewsLogits(clf, ds, req, { batchSize });
      out[`${name}/original`] = Array.from(run.original.data);
      run.views.names.forEach((v, i) => { out[`${name}/${v}`] = Array.from(run.views.logits[i]?.data ?? []); });
      for (const [k, d] of [...run.draws].sort(([a], [b]) => (a < b ? -1 : 1))) out[`${name}/draw:${k}`] = Array.from(d.data);
      out[`${name}/notes`] = [run.notes.length];
    } finally { await clf.close(); }
  };
  const mlp = `${root}models/fmnist-mlp.onnx`;
  const mlpPre = parsePreprocessJson(readFileSync(`${root}models/fmnist-mlp.json`, 'utf8'), 'fmnist-mlp.json');
  const fm = await loadDataset('fashion-mnist:test', { fashionMnistDir: `${root}data/fashion-mnist-subset` });
  const idx = Int32Array.from({ length: 24 }, (_, i) => 3 * i);
  await add('fmnist-mlp', mlp, mlpPre, fm, { views: ALL, seed: 0, indices: idx }, 10);
  await add('fmnist-mlp-noise', mlp, mlpPre, fm, { views: ['rotation', 'colorjitter'], seed: 3, indices: idx.subarray(0, 8), corruption: parseCorruptionArg('gaussian_noise:3') }, 5);
  await add('grey-5x4', linear(4, 5, 1, 4), resolvePreprocess({ channels: 'grey' }), toy(5, 4, 1, 12), { views: ALL, seed: 7 }, 5);
  await add('grey-7x7-normalised', linear(7, 7, 1, 4), resolvePreprocess({ channels: 'grey', scale: 255, mean: [33], std: [64] }), toy(7, 7, 1, 9), { views: ALL, seed: 19 }, 4);
  await add('grey-to-rgb-nhwc', linear(6, 6, 3, 4, true), resolvePreprocess({ channels: 'rgb', layout: 'nhwc' }), toy(6, 6, 1, 9), { views: ALL, seed: 23 }, 4);
  await add('rgb-6x6', linear(6, 6, 3, 4), resolvePreprocess({ channels: 'rgb', mean: [0.4, 0.5, 0.6], std: [0.2, 0.25, 0.3] }), toy(6, 6, 3, 12), { views: ALL, seed: 11 }, 4);
  await add('rgb-5x3-bgr-nhwc', linear(3, 5, 3, 4, true), resolvePreprocess({ channels: 'bgr', layout: 'nhwc', scale: 255, mean: [100], std: [50] }), toy(5, 3, 3, 10), { views: ALL, seed: 13 }, 3);
  await add('rgb-to-grey-resized', linear(8, 8, 1, 4), resolvePreprocess({ channels: 'grey', inputSize: [8, 8] }), toy(6, 5, 3, 10), { views: ALL, seed: 17 }, 6);
  return out;
}
