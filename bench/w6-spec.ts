/**
 * Workload W6 of issue 7 (`calibra views` throughput): the spec file both sides read. The harness writes
 * `spec.json` into a workload folder; bench/w6-views.ts (calibra) and bench/reference.py (PyTorch) read it,
 * so the two sides run the same model on the same idx files, image count, views and batch size.
 * No onnxruntime import here, so bench/run.ts can use it without loading the native module.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** What one W6 run covers. */
export interface W6Spec {
  /** Absolute path of the ONNX model (a zoo model; its manifest `models/<id>.json` gives the preprocessing). */
  readonly model: string;
  /** Folder with `t10k-images-idx3-ubyte.gz` and `t10k-labels-idx1-ubyte.gz`. */
  readonly datasetDir: string;
  /** The first `count` test images are used. */
  readonly count: number;
  /** Images per model call on both sides (calibra's default: 256 MiB budget gives 1024 for 28×28). */
  readonly batchSize: number;
  /** The views of the `W6-views` cases, in order (the `W6-original` cases use none). */
  readonly views: readonly string[];
  /** Seed of the per-image draws. */
  readonly seed: number;
  /** Threads each side may use: onnxruntime intra-op threads (`OnnxClassifier` option `threads`) and torch.set_num_threads. */
  readonly threads: number;
  /** Rows of original logits calibra writes (`ort-logits.npy`) for the reference side to compare against. */
  readonly checkRows: number;
}

/** Debian's full Fashion-MNIST, else the committed subset (2 000 test images). */
export function fashionMnistDir(root: string): string {
  const debian = '/usr/share/datasets/fashion-mnist';
  return existsSync(join(debian, 't10k-images-idx3-ubyte.gz')) ? debian : join(root, 'data', 'fashion-mnist-subset');
}

/**
 * Writes `<outDir>/w6-<model id>-<count>/spec.json` and returns that folder. The count is capped by what the
 * dataset holds (2 000 for the committed subset). Cost O(1).
 */
export function writeW6Spec(outDir: string, root: string, modelId: string, count: number): { dir: string; spec: W6Spec } {
  const datasetDir = fashionMnistDir(root);
  const available = datasetDir.startsWith('/usr/share') ? 10000 : 2000;
  const spec: W6Spec = {
    model: join(root, 'models', `${modelId}.onnx`), datasetDir, count: Math.min(count, available), batchSize: 1024,
    views: ['rotation', 'greyscale', 'colorjitter'], seed: 0, threads: 1, checkRows: 256,
  };
  const dir = join(outDir, `w6-${basename(modelId)}-${spec.count}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'spec.json'), `${JSON.stringify(spec, null, 2)}\n`);
  return { dir, spec };
}

/** Reads `<dir>/spec.json`. */
export function readW6Spec(dir: string): W6Spec {
  return JSON.parse(readFileSync(join(dir, 'spec.json'), 'utf8')) as W6Spec;
}
