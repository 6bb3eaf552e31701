/**
 * Measures each zoo model's accuracy with onnxruntime on the committed data (what the tests check) and
 * writes it into models/<id>.json under `accuracy.committed`:
 *   Fashion-MNIST models: data/fashion-mnist-subset t10k (2 000 images);
 *   digits models: OpenCV digits sheet columns 80..99 (1 000 tiles) and scikit-learn's 8×8 digits (1 797,
 *   resized to 14×14 and centred in 20×20 as `calibra demo` does);
 *   coloured Fashion-MNIST models: every coloured test set of the committed subset (2 000 images each).
 * Usage: npx tsx scripts/zoo/evaluate.ts
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { COLOURED_SETS, loadDataset } from '../../src/datasets/index.js';
import type { ImageDataset } from '../../src/datasets/types.js';
import { OnnxClassifier } from '../../src/inference/onnx-runner.js';
import { fitTemperature } from '../../src/calibrators/scaling/temperature.js';
import { fitIntoFrame, parsePreprocessJson } from '../../src/inference/preprocess.js';
import type { Image } from '../../src/views/image.js';

async function accuracy(clf: OnnxClassifier, ds: ImageDataset, rows: Int32Array, prep: (img: Image) => Image = (img) => img): Promise<{ accuracy: number; correct: number; samples: number }> {
  const logits = await clf.logits(rows.length, (i) => prep(ds.image(rows[i] as number)));
  let correct = 0;
  for (let i = 0; i < rows.length; i++) {
    let best = 0;
    for (let k = 1; k < logits.cols; k++) if ((logits.data[i * logits.cols + k] as number) > (logits.data[i * logits.cols + best] as number)) best = k;
    if (best === ds.labels[rows[i] as number]) correct++;
  }
  return { accuracy: correct / rows.length, correct, samples: rows.length };
}

const all = (n: number, pred: (i: number) => boolean = () => true): Int32Array => Int32Array.from({ length: n }, (_, i) => i).filter(pred);

for (const f of readdirSync('models').filter((x) => x.endsWith('.json')).sort()) {
  const path = `models/${f}`;
  const text = readFileSync(path, 'utf8');
  const manifest = JSON.parse(text) as { id: string; onnx: string; dataset: string; accuracy: Record<string, unknown> };
  const clf = await OnnxClassifier.load(`models/${manifest.onnx}`, parsePreprocessJson(text, path));
  const committed: Record<string, unknown> = {};
  if (manifest.dataset === 'coloured-fashion-mnist') {
    for (const set of COLOURED_SETS) {
      if (set === 'train' || set === 'calibration') continue;
      const ds = await loadDataset(`coloured-fmnist-subset:${set}`);
      committed[`coloured-fmnist-subset:${set}`] = await accuracy(clf, ds, all(ds.count));
    }
    // Over-confidence on the committed calibration images: the temperature-scaling T (> 1 means over-confident).
    const cal = await loadDataset('coloured-fmnist-subset:calibration');
    const rows = all(cal.count);
    const logits = await clf.logits(rows.length, (i) => cal.image(rows[i] as number));
    committed['coloured-fmnist-subset:calibration'] = { ...(await accuracy(clf, cal, rows)), temperatureTS: fitTemperature(logits, cal.labels).temperature };
  } else if (manifest.dataset === 'fashion-mnist') {
    const test = await loadDataset('fashion-mnist-subset:test', { preferCommitted: true });
    committed['fashion-mnist-subset:test'] = await accuracy(clf, test, all(test.count));
  } else {
    const digits = await loadDataset('opencv-digits', { preferCommitted: true });
    committed['opencv-digits:test-columns-80-99'] = await accuracy(clf, digits, all(digits.count, (i) => i % 100 >= 80));
    const sk = await loadDataset('sklearn-digits', { preferCommitted: true });
    committed['sklearn-digits:framed-14-in-20'] = await accuracy(clf, sk, all(sk.count), (img) => fitIntoFrame(img, 14, 20));
  }
  await clf.close();
  manifest.accuracy = { ...manifest.accuracy, committed };
  writeFileSync(path, `${JSON.stringify(manifest, null, 2)}\n`);
  process.stdout.write(`${manifest.id}: ${JSON.stringify(committed)}\n`);
}
