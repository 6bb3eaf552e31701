/**
 * Makes the overconfident-model fixture of issue 3 ("Done means"): an MLP (784-128-10, ReLU) trained long
 * (40 epochs, Adam lr 1e-3, batch 100, no regularisation) with @tensorflow/tfjs (cpu backend) on 3 000
 * Fashion-MNIST training images from Debian's dataset-fashion-mnist, so it overfits and its confidence
 * exceeds its accuracy. Writes float32 logits and int32 labels of two held-out sets to
 * test/fixtures/overconfident/: val (2 000 other training images) and test (2 000 images of t10k).
 * Seeded: the image choice and the per-epoch shuffles use calibra's Rng, the initialisers tfjs seeds.
 *
 *   npx tsx scripts/make-overconfident-logits.ts [--epochs 40] [--seed 7]
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseIdx } from '../src/datasets/idx.js';
import { Rng } from '../src/math/rng.js';
import { encodeNpy } from '../src/data/npy.js';

const DIR = '/usr/share/datasets/fashion-mnist';
const OUT = join('test', 'fixtures', 'overconfident');
const arg = (name: string, dflt: number): number => { const i = process.argv.indexOf(name); return i >= 0 ? Number(process.argv[i + 1]) : dflt; };

function load(split: 'train' | 't10k'): { x: Uint8Array; y: Uint8Array; n: number } {
  const x = parseIdx(new Uint8Array(readFileSync(join(DIR, `${split}-images-idx3-ubyte.gz`))), split);
  const y = parseIdx(new Uint8Array(readFileSync(join(DIR, `${split}-labels-idx1-ubyte.gz`))), split);
  return { x: x.data, y: y.data, n: x.dims[0] as number };
}

function take(src: { x: Uint8Array; y: Uint8Array }, idx: ArrayLike<number>): { x: Float32Array; y: Int32Array } {
  const x = new Float32Array(idx.length * 784);
  const y = new Int32Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k] as number;
    for (let p = 0; p < 784; p++) x[k * 784 + p] = (src.x[i * 784 + p] as number) / 255;
    y[k] = src.y[i] as number;
  }
  return { x, y };
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const epochs = arg('--epochs', 40);
  const seed = arg('--seed', 7);
  const rng = new Rng(seed);
  const train = load('train');
  const t10k = load('t10k');
  const perm = rng.permutation(train.n);
  const fitSet = take(train, perm.subarray(0, 3000));
  const valSet = take(train, perm.subarray(3000, 5000));
  const testSet = take(t10k, rng.permutation(t10k.n).subarray(0, 2000));
  const model = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [784], units: 128, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: 'zeros' }),
    tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }), biasInitializer: 'zeros' }),
  ] });
  const opt = tf.train.adam(1e-3);
  const batch = 100;
  const n = 3000;
  for (let e = 0; e < epochs; e++) {
    const order = rng.permutation(n);
    let total = 0;
    for (let b = 0; b < n; b += batch) {
      const idx = order.subarray(b, b + batch);
      const xb = new Float32Array(idx.length * 784);
      const yb = new Int32Array(idx.length);
      idx.forEach((i, k) => { xb.set(fitSet.x.subarray(i * 784, (i + 1) * 784), k * 784); yb[k] = fitSet.y[i] as number; });
      const loss = tf.tidy(() => {
        const xs = tf.tensor2d(xb, [idx.length, 784]);
        const ys = tf.oneHot(tf.tensor1d(yb, 'int32'), 10);
        return opt.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs) as tf.Tensor2D) as tf.Scalar, true) as tf.Scalar;
      });
      total += (await loss.data())[0] as number;
      loss.dispose();
    }
    process.stderr.write(`epoch ${e + 1}/${epochs} train loss ${(total / (n / batch)).toFixed(4)}\n`);
  }
  mkdirSync(OUT, { recursive: true });
  for (const [name, set] of [['val', valSet], ['test', testSet]] as const) {
    const logits = tf.tidy(() => model.predict(tf.tensor2d(set.x, [set.y.length, 784])) as tf.Tensor2D);
    const data = new Float32Array(await logits.data());
    logits.dispose();
    let correct = 0;
    let conf = 0;
    for (let i = 0; i < set.y.length; i++) {
      let best = 0;
      let m = -Infinity;
      for (let k = 0; k < 10; k++) if ((data[i * 10 + k] as number) > m) { m = data[i * 10 + k] as number; best = k; }
      let s = 0;
      for (let k = 0; k < 10; k++) s += Math.exp((data[i * 10 + k] as number) - m);
      conf += 1 / s;
      if (best === set.y[i]) correct++;
    }
    process.stderr.write(`${name}: accuracy ${(correct / set.y.length).toFixed(4)}, mean confidence ${(conf / set.y.length).toFixed(4)}\n`);
    writeFileSync(join(OUT, `${name}-logits.npy`), encodeNpy({ shape: [set.y.length, 10], data }));
    writeFileSync(join(OUT, `${name}-labels.npy`), encodeNpy({ shape: [set.y.length], data: set.y }));
  }
}

main().catch((e: unknown) => { process.stderr.write(`${String(e)}\n`); process.exit(1); });
