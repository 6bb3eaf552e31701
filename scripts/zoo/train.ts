/**
 * Trains the calibra model zoo with tfjs (seeded, in-process, no downloads) and exports each model to ONNX
 * (scripts/zoo/onnx-writer.ts). Writes, per model id:
 *   models/<id>.onnx                  the classifier (input `x` NCHW [N,C,H,W] in [0,1], output `logits`)
 *   models/<id>.json                  manifest: preprocessing, training settings, seed, accuracy
 *   test/fixtures/zoo/<id>-expected.json   16 test inputs and their tfjs logits (ONNX == tfjs test)
 *
 * Usage: npx tsx scripts/zoo/train.ts [--only id1,id2] [--digits data/opencv-digits/digits.png]
 *
 * Splits (fixed, no randomness, so `calibra demo` uses the same ones):
 * - Fashion-MNIST: training images 0..49 999 train the models (the MLP only 0..9 999, on purpose);
 *   50 000..59 999 are never seen by any zoo model and form the calibration pool; t10k is the test set.
 * - OpenCV digits (50 rows × 100 columns of tiles): columns 0..69 train, 70..79 calibration, 80..99 test.
 * - Coloured Fashion-MNIST (src/datasets/coloured.ts, seed 0): the colour CNN trains on `coloured-fmnist:train`
 *   images with original index 0..4 999 (20 epochs: over-fitted on purpose); its manifest records the accuracy on every coloured test set and the
 *   temperature-scaling T fitted on `coloured-fmnist:calibration` (T > 1: over-confident).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Rng } from '../../src/math/rng.js';
import { buildZooOnnx, type ZooLayer } from './onnx-writer.js';
import { fromImageDataset, loadFashionMnist, loadOpencvDigits, sliceData, takeData, valuesPerImage, type ZooData } from './data.js';
import { COLOURED_SETS, loadDataset } from '../../src/datasets/index.js';
import { fitTemperature } from '../../src/calibrators/scaling/temperature.js';

interface Recipe {
  readonly id: string;
  readonly dataset: 'fashion-mnist' | 'opencv-digits' | 'coloured-fashion-mnist';
  readonly arch: 'softmax' | 'mlp' | 'cnn';
  readonly hidden?: number;
  /** Convolution filters (cnn; default 16). */
  readonly filters?: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly trainRows: string;
  readonly backend: 'wasm';
  readonly seed: number;
  readonly note: string;
}

export const RECIPES: readonly Recipe[] = [
  { id: 'fmnist-softmax', dataset: 'fashion-mnist', arch: 'softmax', epochs: 5, batchSize: 128, learningRate: 1e-3, trainRows: '0..49999', backend: 'wasm', seed: 1, note: 'multinomial logistic regression on raw pixels' },
  { id: 'fmnist-mlp', dataset: 'fashion-mnist', arch: 'mlp', hidden: 256, epochs: 40, batchSize: 64, learningRate: 1e-3, trainRows: '0..9999', backend: 'wasm', seed: 2, note: 'deliberately overfitted (10 000 images, 40 epochs, no regularisation): overconfident' },
  { id: 'fmnist-cnn', dataset: 'fashion-mnist', arch: 'cnn', epochs: 3, batchSize: 64, learningRate: 2e-3, trainRows: '0..9999', backend: 'wasm', seed: 3, note: 'small CNN: conv 5x5x16 (im2col + matMul, since tfjs-wasm has no conv-filter gradient), ReLU, max-pool 2, dense 10' },
  { id: 'cfmnist-cnn', dataset: 'coloured-fashion-mnist', arch: 'cnn', epochs: 20, batchSize: 64, learningRate: 2e-3, trainRows: '0..4999', backend: 'wasm', seed: 5, note: 'colour CNN on coloured Fashion-MNIST (3-channel input): conv 5x5x3x16 (im2col + matMul), ReLU, max-pool 2, dense 10; 20 epochs on 5 000 images, no regularisation (over-confident on purpose)' },
  { id: 'digits-mlp', dataset: 'opencv-digits', arch: 'mlp', hidden: 128, epochs: 60, batchSize: 64, learningRate: 1e-3, trainRows: 'columns 0..69 (3 500 tiles)', backend: 'wasm', seed: 4, note: 'MLP on OpenCV digits; tested on sklearn 8x8 digits resized to 20x20 (natural shift)' },
];

/** A trainable model: one training step, batched prediction, and export of its layers (tfjs layouts). */
interface Trainable {
  step(x: Float32Array, y: Float32Array, n: number): number;
  predict(x: Float32Array, n: number): Float32Array;
  layers(): ZooLayer[];
  dispose(): void;
}

function denseModel(r: Recipe, h: number, w: number): Trainable {
  const init = (k: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: r.seed * 100 + k });
  const m = tf.sequential();
  if (r.arch === 'mlp') {
    m.add(tf.layers.dense({ inputShape: [h * w], units: r.hidden ?? 128, activation: 'relu', kernelInitializer: init(1) }));
    m.add(tf.layers.dense({ units: 10, kernelInitializer: init(2) }));
  } else {
    m.add(tf.layers.dense({ inputShape: [h * w], units: 10, kernelInitializer: init(1) }));
  }
  const opt = tf.train.adam(r.learningRate);
  return {
    step(x, y, n) {
      const xs = tf.tensor2d(x, [n, h * w]);
      const ys = tf.tensor2d(y, [n, 10]);
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, m.apply(xs) as tf.Tensor) as tf.Scalar, true) as tf.Scalar;
      const v = loss.dataSync()[0] as number;
      tf.dispose([xs, ys, loss]);
      return v;
    },
    predict(x, n) {
      return tf.tidy(() => (m.predict(tf.tensor2d(x, [n, h * w])) as tf.Tensor).dataSync() as Float32Array);
    },
    layers() {
      const out: ZooLayer[] = [{ kind: 'flatten' }];
      for (const layer of m.layers) {
        const ws = layer.getWeights();
        const k = ws[0] as tf.Tensor;
        const [inDim, outDim] = k.shape as [number, number];
        out.push({ kind: 'dense', inDim, outDim, kernel: k.dataSync() as Float32Array, bias: (ws[1] as tf.Tensor).dataSync() as Float32Array, relu: layer.getConfig()['activation'] === 'relu' });
      }
      return out;
    },
    dispose() { m.dispose(); },
  };
}

/**
 * Small CNN: conv 5×5 (valid, stride 1, 16 filters) as im2col + matMul (tfjs-wasm has no
 * Conv2DBackpropFilter; the im2col columns are ordered (dy, dx, c), so the [25, 16] kernel IS the HWIO
 * kernel), ReLU, max-pool 2×2, NHWC flatten, dense 10. Exported as ONNX Conv/Relu/MaxPool/Gemm.
 */
function cnnModel(r: Recipe, h: number, w: number, ch: number): Trainable {
  const ks = 5, filters = r.filters ?? 16;
  const oh = h - ks + 1, ow = w - ks + 1, ph = Math.floor(oh / 2), pw = Math.floor(ow / 2);
  const flat = ph * pw * filters;
  const k1 = tf.variable(tf.initializers.heNormal({ seed: r.seed * 100 + 1 }).apply([ks * ks * ch, filters]) as tf.Tensor2D);
  const b1 = tf.variable(tf.zeros([filters]));
  const k2 = tf.variable(tf.initializers.glorotUniform({ seed: r.seed * 100 + 2 }).apply([flat, 10]) as tf.Tensor2D);
  const b2 = tf.variable(tf.zeros([10]));
  const opt = tf.train.adam(r.learningRate);
  // Columns in (dy, dx, c) order, so the [ks·ks·ch, filters] kernel is the HWIO kernel; pixels are HWC.
  const im2col = (x: Float32Array, n: number): Float32Array => {
    const cols = new Float32Array(n * oh * ow * ks * ks * ch);
    let o = 0;
    for (let i = 0; i < n; i++) for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) {
      for (let dy = 0; dy < ks; dy++) for (let dx = 0; dx < ks; dx++) {
        const base = ((i * h + y + dy) * w + xx + dx) * ch;
        for (let c = 0; c < ch; c++) cols[o++] = x[base + c] as number;
      }
    }
    return cols;
  };
  const forward = (cols: tf.Tensor2D, n: number): tf.Tensor => {
    const conv = tf.relu(tf.add(tf.matMul(cols, k1), b1)).reshape([n, oh, ow, filters]) as tf.Tensor4D;
    const pooled = tf.maxPool(conv, 2, 2, 'valid');
    return tf.add(tf.matMul(pooled.reshape([n, flat]), k2), b2);
  };
  return {
    step(x, y, n) {
      const cols = tf.tensor2d(im2col(x, n), [n * oh * ow, ks * ks * ch]);
      const ys = tf.tensor2d(y, [n, 10]);
      const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, forward(cols, n)) as tf.Scalar, true) as tf.Scalar;
      const v = loss.dataSync()[0] as number;
      tf.dispose([cols, ys, loss]);
      return v;
    },
    predict(x, n) {
      return tf.tidy(() => forward(tf.tensor2d(im2col(x, n), [n * oh * ow, ks * ks * ch]), n).dataSync() as Float32Array);
    },
    layers() {
      return [
        { kind: 'conv', kh: ks, kw: ks, inChannels: ch, outChannels: filters, stride: 1, kernelHWIO: k1.dataSync() as Float32Array, bias: b1.dataSync() as Float32Array, relu: true },
        { kind: 'maxpool', size: 2, stride: 2 },
        { kind: 'flatten' },
        { kind: 'dense', inDim: flat, outDim: 10, kernel: k2.dataSync() as Float32Array, bias: b2.dataSync() as Float32Array, relu: false },
      ];
    },
    dispose() { tf.dispose([k1, b1, k2, b2]); },
  };
}

function logitsOf(model: Trainable, d: ZooData): Float32Array {
  const out = new Float32Array(d.n * 10);
  const px = valuesPerImage(d);
  for (let s = 0; s < d.n; s += 500) {
    const e = Math.min(d.n, s + 500);
    out.set(model.predict(d.x.subarray(s * px, e * px), e - s), s * 10);
  }
  return out;
}

function accuracy(logits: Float32Array, labels: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = 0;
    for (let k = 1; k < 10; k++) if ((logits[i * 10 + k] as number) > (logits[i * 10 + best] as number)) best = k;
    if (best === labels[i]) ok++;
  }
  return ok / labels.length;
}

function meanMaxSoftmax(logits: Float32Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let k = 0; k < 10; k++) m = Math.max(m, logits[i * 10 + k] as number);
    let z = 0;
    for (let k = 0; k < 10; k++) z += Math.exp((logits[i * 10 + k] as number) - m);
    s += 1 / z;
  }
  return s / n;
}

/** Extra evaluation data: named test sets (accuracy each) and a calibration set (temperature-scaling T). */
interface Extra {
  readonly testSets?: readonly { readonly id: string; load(): Promise<ZooData> }[];
  readonly calibration?: { readonly id: string; readonly data: ZooData };
}

async function train(r: Recipe, data: { train: ZooData; test: ZooData } & Extra): Promise<void> {
  await tf.setBackend(r.backend);
  await tf.ready();
  const { train: tr, test: te } = data;
  const ch = tr.channels ?? 1;
  const model = r.arch === 'cnn' ? cnnModel(r, tr.height, tr.width, ch) : denseModel(r, tr.height, tr.width);
  const rng = new Rng(r.seed);
  const px = valuesPerImage(tr);
  const lossCurve: number[] = [];
  const xb = new Float32Array(r.batchSize * px);
  const yb = new Float32Array(r.batchSize * 10);
  const t0 = Date.now();
  for (let epoch = 0; epoch < r.epochs; epoch++) {
    const perm = rng.permutation(tr.n);
    let lossSum = 0;
    let batches = 0;
    for (let s = 0; s + r.batchSize <= tr.n; s += r.batchSize) {
      for (let b = 0; b < r.batchSize; b++) {
        const idx = perm[s + b] as number;
        xb.set(tr.x.subarray(idx * px, (idx + 1) * px), b * px);
        yb.fill(0, b * 10, b * 10 + 10);
        yb[b * 10 + (tr.labels[idx] as number)] = 1;
      }
      const loss = model.step(xb, yb, r.batchSize);
      lossSum += loss;
      batches++;
      if (batches % 50 === 0) process.stderr.write(`${r.id} epoch ${epoch + 1} batch ${batches} loss ${(lossSum / batches).toFixed(4)} ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
    }
    lossCurve.push(lossSum / batches);
    process.stderr.write(`${r.id} epoch ${epoch + 1}/${r.epochs} loss ${(lossSum / batches).toFixed(4)} ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  }
  const trainSeconds = (Date.now() - t0) / 1000;
  const testLogits = logitsOf(model, te);
  const acc = accuracy(testLogits, te.labels);
  const conf = meanMaxSoftmax(testLogits, te.n);
  process.stderr.write(`${r.id}: test accuracy ${acc.toFixed(4)}, mean max-softmax ${conf.toFixed(4)}\n`);
  const testSets: Record<string, { accuracy: number; meanMaxSoftmax: number; samples: number }> = {};
  for (const t of data.testSets ?? []) {
    const d = await t.load();
    const l = logitsOf(model, d);
    testSets[t.id] = { accuracy: accuracy(l, d.labels), meanMaxSoftmax: meanMaxSoftmax(l, d.n), samples: d.n };
    process.stderr.write(`${r.id}: ${t.id} accuracy ${testSets[t.id]?.accuracy.toFixed(4)}, mean max-softmax ${testSets[t.id]?.meanMaxSoftmax.toFixed(4)}\n`);
  }
  let calibration: Record<string, unknown> | undefined;
  if (data.calibration !== undefined) {
    const c = data.calibration.data;
    const l = logitsOf(model, c);
    const ts = fitTemperature({ data: Float64Array.from(l), rows: c.n, cols: 10 }, c.labels);
    calibration = { set: data.calibration.id, samples: c.n, accuracy: accuracy(l, c.labels), meanMaxSoftmax: meanMaxSoftmax(l, c.n), temperatureTS: ts.temperature };
    process.stderr.write(`${r.id}: ${data.calibration.id} accuracy ${accuracy(l, c.labels).toFixed(4)}, T_TS ${ts.temperature.toFixed(4)}\n`);
  }

  const layers = model.layers();
  const bytes = buildZooOnnx({
    name: r.id, inputShape: [ch, tr.height, tr.width], numClasses: 10, layers,
    docString: `calibra zoo ${r.id}: ${r.note}. Trained by scripts/zoo/train.ts (tfjs ${tf.version.tfjs}, backend ${r.backend}, seed ${r.seed}).`,
  });
  mkdirSync('models', { recursive: true });
  mkdirSync('test/fixtures/zoo', { recursive: true });
  writeFileSync(`models/${r.id}.onnx`, bytes);

  const nFix = 16;
  const fixX = te.x.subarray(0, nFix * px);
  const fixture = {
    model: `models/${r.id}.onnx`,
    source: `first ${nFix} ${r.dataset} test images; logits from tfjs ${tf.version.tfjs} (${r.backend}) before export`,
    shape: [nFix, ch, te.height, te.width],
    layout: 'pixels are HWC bytes per image',
    pixelsUint8Base64: Buffer.from(Uint8Array.from(fixX, (v) => Math.round(v * 255))).toString('base64'),
    logits: Array.from(testLogits.subarray(0, nFix * 10)),
  };
  writeFileSync(`test/fixtures/zoo/${r.id}-expected.json`, `${JSON.stringify(fixture)}\n`);

  const manifest = {
    format: 'calibra.zoo-model',
    version: 1,
    id: r.id,
    onnx: `${r.id}.onnx`,
    dataset: r.dataset,
    classes: 10,
    preprocess: { inputSize: [te.height, te.width], channels: ch === 3 ? 'rgb' : 'grey', layout: 'nchw', scale: 1, mean: [0], std: [1], inputName: 'x', outputName: 'logits', output: 'logits' },
    architecture: r.arch === 'cnn' ? `conv 5x5${ch === 3 ? 'x3' : ''}x${r.filters ?? 16} relu, max-pool 2, dense 10` : r.arch === 'mlp' ? `dense ${r.hidden ?? 128} relu, dense 10` : 'dense 10',
    training: {
      framework: `@tensorflow/tfjs ${tf.version.tfjs}`, backend: r.backend, seed: r.seed, epochs: r.epochs, batchSize: r.batchSize,
      optimizer: `Adam lr ${r.learningRate}`, loss: 'softmax cross-entropy on logits', trainRows: r.trainRows, seconds: Math.round(trainSeconds), note: r.note,
      ...(data.testSets !== undefined ? { regularisation: 'none', lossPerEpoch: lossCurve } : {}),
    },
    accuracy: { fullTest: acc, fullTestSamples: te.n, meanMaxSoftmax: conf, ...(data.testSets !== undefined ? { testSets } : {}) },
    ...(calibration !== undefined ? { calibration } : {}),
  };
  writeFileSync(`models/${r.id}.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  model.dispose();
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const onlyIdx = argv.indexOf('--only');
  const only = onlyIdx >= 0 ? (argv[onlyIdx + 1] ?? '').split(',') : null;
  const digitsIdx = argv.indexOf('--digits');
  const digitsPath = digitsIdx >= 0 ? (argv[digitsIdx + 1] as string) : 'data/opencv-digits/digits.png';
  for (const r of RECIPES) {
    if (only !== null && !only.includes(r.id)) continue;
    if (r.dataset === 'coloured-fashion-mnist') {
      // The library's generator (seed 0), full Debian sets: training rows are original indices 0..4 999.
      const load = async (set: string, limit?: number): Promise<ZooData> => fromImageDataset(await loadDataset(`coloured-fmnist:${set}`), limit);
      const testSets = COLOURED_SETS.filter((set) => set !== 'train' && set !== 'calibration').map((set) => ({ id: set, load: () => load(set) }));
      await train(r, { train: await load('train', 5_000), test: await load('test'), testSets, calibration: { id: 'calibration', data: await load('calibration') } });
    } else if (r.dataset === 'fashion-mnist') {
      const full = loadFashionMnist('train');
      const end = r.trainRows === '0..9999' ? 10_000 : 50_000;
      await train(r, { train: sliceData(full, 0, end), test: loadFashionMnist('test') });
    } else {
      const all = loadOpencvDigits(digitsPath);
      const trainIdx: number[] = [];
      const testIdx: number[] = [];
      for (let t = 0; t < all.n; t++) {
        const col = t % 100;
        if (col < 70) trainIdx.push(t); else if (col >= 80) testIdx.push(t);
      }
      await train(r, { train: takeData(all, trainIdx), test: takeData(all, testIdx) });
    }
  }
}

await main();
