/**
 * Trains the calibra model zoo with tfjs (seeded, in-process, no downloads) and exports each model to ONNX
 * (scripts/zoo/onnx-writer.ts). Writes, per model id:
 *   models/<id>.onnx                  the classifier (input `x` NCHW [N,1,H,W] in [0,1], output `logits`)
 *   models/<id>.json                  manifest: preprocessing, training settings, seed, accuracy
 *   test/fixtures/zoo/<id>-expected.json   16 test inputs and their tfjs logits (ONNX == tfjs test)
 *
 * Usage: npx tsx scripts/zoo/train.ts [--only id1,id2] [--digits data/opencv-digits/digits.png]
 *
 * Splits (fixed, no randomness, so `calibra demo` uses the same ones):
 * - Fashion-MNIST: training images 0..49 999 train the models (the MLP only 0..9 999, on purpose);
 *   50 000..59 999 are never seen by any zoo model and form the calibration pool; t10k is the test set.
 * - OpenCV digits (50 rows × 100 columns of tiles): columns 0..69 train, 70..79 calibration, 80..99 test.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Rng } from '../../src/math/rng.js';
import { buildZooOnnx, type ZooLayer } from './onnx-writer.js';
import { loadFashionMnist, loadOpencvDigits, sliceData, takeData, type ZooData } from './data.js';

interface Recipe {
  readonly id: string;
  readonly dataset: 'fashion-mnist' | 'opencv-digits';
  readonly arch: 'softmax' | 'mlp' | 'cnn';
  readonly hidden?: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly trainRows: string;
  readonly backend: 'wasm' | 'cpu';
  readonly seed: number;
  readonly note: string;
}

export const RECIPES: readonly Recipe[] = [
  { id: 'fmnist-softmax', dataset: 'fashion-mnist', arch: 'softmax', epochs: 5, batchSize: 128, learningRate: 1e-3, trainRows: '0..49999', backend: 'wasm', seed: 1, note: 'multinomial logistic regression on raw pixels' },
  { id: 'fmnist-mlp', dataset: 'fashion-mnist', arch: 'mlp', hidden: 256, epochs: 40, batchSize: 64, learningRate: 1e-3, trainRows: '0..9999', backend: 'wasm', seed: 2, note: 'deliberately overfitted (10 000 images, 40 epochs, no regularisation): overconfident' },
  { id: 'fmnist-cnn', dataset: 'fashion-mnist', arch: 'cnn', epochs: 2, batchSize: 64, learningRate: 2e-3, trainRows: '0..19999', backend: 'cpu', seed: 3, note: 'tiny CNN: conv3x3x8 s2, conv3x3x16 s2, dense' },
  { id: 'digits-mlp', dataset: 'opencv-digits', arch: 'mlp', hidden: 128, epochs: 60, batchSize: 64, learningRate: 1e-3, trainRows: 'columns 0..69 (3 500 tiles)', backend: 'wasm', seed: 4, note: 'MLP on OpenCV digits; tested on sklearn 8x8 digits resized to 20x20 (natural shift)' },
];

function buildModel(r: Recipe, h: number, w: number): tf.Sequential {
  const init = (k: number): ReturnType<typeof tf.initializers.glorotUniform> => tf.initializers.glorotUniform({ seed: r.seed * 100 + k });
  const m = tf.sequential();
  if (r.arch === 'cnn') {
    m.add(tf.layers.conv2d({ inputShape: [h, w, 1], filters: 8, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', kernelInitializer: init(1) }));
    m.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, padding: 'valid', activation: 'relu', kernelInitializer: init(2) }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: 10, kernelInitializer: init(3) }));
  } else if (r.arch === 'mlp') {
    m.add(tf.layers.dense({ inputShape: [h * w], units: r.hidden ?? 128, activation: 'relu', kernelInitializer: init(1) }));
    m.add(tf.layers.dense({ units: 10, kernelInitializer: init(2) }));
  } else {
    m.add(tf.layers.dense({ inputShape: [h * w], units: 10, kernelInitializer: init(1) }));
  }
  return m;
}

function inputTensor(r: Recipe, d: ZooData, x: Float32Array, n: number): tf.Tensor {
  return r.arch === 'cnn' ? tf.tensor4d(x, [n, d.height, d.width, 1]) : tf.tensor2d(x, [n, d.height * d.width]);
}

function logitsOf(r: Recipe, model: tf.Sequential, d: ZooData): Float32Array {
  const out = new Float32Array(d.n * 10);
  const px = d.height * d.width;
  for (let s = 0; s < d.n; s += 1000) {
    const e = Math.min(d.n, s + 1000);
    const y = tf.tidy(() => model.predict(inputTensor(r, d, d.x.subarray(s * px, e * px), e - s)) as tf.Tensor);
    out.set(y.dataSync() as Float32Array, s * 10);
    y.dispose();
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

async function train(r: Recipe, data: { train: ZooData; test: ZooData }): Promise<void> {
  await tf.setBackend(r.backend);
  await tf.ready();
  const { train: tr, test: te } = data;
  const model = buildModel(r, tr.height, tr.width);
  model.compile({ optimizer: tf.train.adam(r.learningRate), loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const rng = new Rng(r.seed);
  const px = tr.height * tr.width;
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
      const xs = inputTensor(r, tr, xb, r.batchSize);
      const ys = tf.tensor2d(yb, [r.batchSize, 10]);
      const loss = await model.trainOnBatch(xs, ys);
      xs.dispose(); ys.dispose();
      lossSum += typeof loss === 'number' ? loss : (loss[0] as number);
      batches++;
    }
    process.stderr.write(`${r.id} epoch ${epoch + 1}/${r.epochs} loss ${(lossSum / batches).toFixed(4)} ${((Date.now() - t0) / 1000).toFixed(1)}s\n`);
  }
  const trainSeconds = (Date.now() - t0) / 1000;
  const testLogits = logitsOf(r, model, te);
  const acc = accuracy(testLogits, te.labels);
  const conf = meanMaxSoftmax(testLogits, te.n);
  process.stderr.write(`${r.id}: test accuracy ${acc.toFixed(4)}, mean max-softmax ${conf.toFixed(4)}\n`);

  // Export: read weights in tfjs layout.
  const layers: ZooLayer[] = [];
  for (const layer of model.layers) {
    const cfg = layer.getConfig();
    const ws = layer.getWeights();
    const relu = cfg['activation'] === 'relu';
    if (layer.getClassName() === 'Conv2D') {
      const k = ws[0] as tf.Tensor;
      const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
      layers.push({ kind: 'conv', kh, kw, inChannels: cin, outChannels: cout, stride: 2, kernelHWIO: k.dataSync() as Float32Array, bias: (ws[1] as tf.Tensor).dataSync() as Float32Array, relu });
    } else if (layer.getClassName() === 'Dense') {
      const k = ws[0] as tf.Tensor;
      const [inDim, outDim] = k.shape as [number, number];
      layers.push({ kind: 'dense', inDim, outDim, kernel: k.dataSync() as Float32Array, bias: (ws[1] as tf.Tensor).dataSync() as Float32Array, relu });
    } else if (layer.getClassName() === 'Flatten') {
      layers.push({ kind: 'flatten' });
    } else {
      throw new Error(`export: unsupported layer ${layer.getClassName()}`);
    }
  }
  if (r.arch !== 'cnn') layers.unshift({ kind: 'flatten' });
  const bytes = buildZooOnnx({
    name: r.id, inputShape: [1, tr.height, tr.width], numClasses: 10, layers,
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
    shape: [nFix, 1, te.height, te.width],
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
    preprocess: { inputSize: [te.height, te.width], channels: 'grey', layout: 'nchw', scale: 1, mean: [0], std: [1], inputName: 'x', outputName: 'logits', output: 'logits' },
    architecture: r.arch === 'cnn' ? 'conv3x3x8 s2 relu, conv3x3x16 s2 relu, flatten, dense 10' : r.arch === 'mlp' ? `dense ${r.hidden ?? 128} relu, dense 10` : 'dense 10',
    training: {
      framework: `@tensorflow/tfjs ${tf.version.tfjs}`, backend: r.backend, seed: r.seed, epochs: r.epochs, batchSize: r.batchSize,
      optimizer: `Adam lr ${r.learningRate}`, loss: 'softmax cross-entropy on logits', trainRows: r.trainRows, seconds: Math.round(trainSeconds), note: r.note,
    },
    accuracy: { fullTest: acc, fullTestSamples: te.n, meanMaxSoftmax: conf },
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
    if (r.dataset === 'fashion-mnist') {
      const full = loadFashionMnist('train');
      const end = r.trainRows === '0..9999' ? 10_000 : r.trainRows === '0..19999' ? 20_000 : 50_000;
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
