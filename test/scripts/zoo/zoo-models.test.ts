/**
 * The committed zoo models (models/*.onnx): the ONNX export reproduces the tfjs logits recorded at training
 * time (test/fixtures/zoo/<id>-expected.json, written by scripts/zoo/train.ts), and each model reproduces
 * the accuracy its manifest states on the committed data (written by scripts/zoo/evaluate.ts).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLOURED_SETS, loadDataset } from '../../../src/datasets/index.js';
import { OnnxClassifier } from '../../../src/inference/onnx-runner.js';
import { fitTemperature } from '../../../src/calibrators/scaling/temperature.js';
import { fitIntoFrame, parsePreprocessJson } from '../../../src/inference/preprocess.js';
import { createImage, type Image } from '../../../src/views/image.js';

interface Manifest {
  id: string; onnx: string; dataset: string;
  accuracy: { fullTest: number; committed: Record<string, { accuracy: number; correct: number; samples: number }> };
}

const ids = readdirSync('models').filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

function load(id: string): { manifest: Manifest; text: string } {
  const text = readFileSync(`models/${id}.json`, 'utf8');
  return { manifest: JSON.parse(text) as Manifest, text };
}

async function correctCount(clf: OnnxClassifier, spec: string, pred: (i: number) => boolean, prep: (img: Image) => Image): Promise<{ correct: number; samples: number }> {
  const ds = await loadDataset(spec, { preferCommitted: true });
  const rows = Int32Array.from({ length: ds.count }, (_, i) => i).filter(pred);
  const l = await clf.logits(rows.length, (i) => prep(ds.image(rows[i] as number)));
  let correct = 0;
  for (let i = 0; i < rows.length; i++) {
    let best = 0;
    for (let k = 1; k < l.cols; k++) if ((l.data[i * l.cols + k] as number) > (l.data[i * l.cols + best] as number)) best = k;
    if (best === ds.labels[rows[i] as number]) correct++;
  }
  return { correct, samples: rows.length };
}

describe('zoo models', () => {
  it('has at least three Fashion-MNIST models, one OpenCV-digits model and one colour model', () => {
    const datasets = ids.map((id) => load(id).manifest.dataset);
    expect(datasets.filter((d) => d === 'fashion-mnist').length).toBeGreaterThanOrEqual(3);
    expect(datasets).toContain('opencv-digits');
    expect(datasets).toContain('coloured-fashion-mnist');
  });

  it('cfmnist-cnn: 3-channel input, over-confident (temperature scaling on the committed calibration images gives T > 1.2, as stated), colour helps ID and hurts the shifted sets', async () => {
    const { manifest, text } = load('cfmnist-cnn');
    const m = JSON.parse(text) as { preprocess: { channels: string }; calibration: { temperatureTS: number; set: string } };
    expect(m.preprocess.channels).toBe('rgb');
    expect(m.calibration.set).toBe('calibration');
    expect(m.calibration.temperatureTS).toBeGreaterThan(1.2);
    const clf = await OnnxClassifier.load(`models/${manifest.onnx}`, parsePreprocessJson(text, 'cfmnist-cnn'));
    const cal = await loadDataset('coloured-fmnist-subset:calibration');
    const logits = await clf.logits(cal.count, (i) => cal.image(i));
    await clf.close();
    const t = fitTemperature(logits, cal.labels).temperature;
    expect(t).toBeGreaterThan(1.2);
    expect(t).toBeCloseTo((manifest.accuracy.committed['coloured-fmnist-subset:calibration'] as unknown as { temperatureTS: number }).temperatureTS, 4);
    const acc = (s: string): number => manifest.accuracy.committed[`coloured-fmnist-subset:${s}`]?.accuracy ?? Number.NaN;
    for (const s of ['random-hue', 'permuted-hue', 'grey']) expect(acc(s), s).toBeLessThan(acc('test') - 0.05);
  });

  it.each(ids)('%s: ONNX logits equal the tfjs logits recorded at export (max |diff| < 1e-4)', async (id) => {
    const { manifest, text } = load(id);
    const fx = JSON.parse(readFileSync(`test/fixtures/zoo/${id}-expected.json`, 'utf8')) as { shape: number[]; pixelsUint8Base64: string; logits: number[] };
    const [n, c, h, w] = fx.shape as [number, 1 | 3, number, number];
    const px = Buffer.from(fx.pixelsUint8Base64, 'base64');
    const per = h * w * c;
    const clf = await OnnxClassifier.load(`models/${manifest.onnx}`, parsePreprocessJson(text, id));
    // Fixture pixels are HWC bytes per image.
    const l = await clf.logits(n, (i) => createImage(w, h, c, Float32Array.from(px.subarray(i * per, (i + 1) * per), (v) => v / 255)));
    await clf.close();
    expect(l.data.length).toBe(fx.logits.length);
    let maxDiff = 0;
    fx.logits.forEach((v, i) => { maxDiff = Math.max(maxDiff, Math.abs(v - (l.data[i] as number))); });
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it.each(ids)('%s: reproduces the accuracy stated in its manifest on the committed data', async (id) => {
    const { manifest, text } = load(id);
    const clf = await OnnxClassifier.load(`models/${manifest.onnx}`, parsePreprocessJson(text, id));
    const stated = manifest.accuracy.committed;
    const same = (img: Image): Image => img;
    const coloured = COLOURED_SETS.filter((s) => s !== 'train' && s !== 'calibration').map((s): [string, string, (i: number) => boolean, (img: Image) => Image] => [`coloured-fmnist-subset:${s}`, `coloured-fmnist-subset:${s}`, () => true, same]);
    const checks: [string, string, (i: number) => boolean, (img: Image) => Image][] = manifest.dataset === 'fashion-mnist'
      ? [['fashion-mnist-subset:test', 'fashion-mnist-subset:test', () => true, same]]
      : manifest.dataset === 'coloured-fashion-mnist' ? coloured : [['opencv-digits:test-columns-80-99', 'opencv-digits', (i) => i % 100 >= 80, same], ['sklearn-digits:framed-14-in-20', 'sklearn-digits', () => true, (img) => fitIntoFrame(img, 14, 20)]];
    for (const [key, spec, pred, prep] of checks) {
      const want = stated[key];
      expect(want, `models/${id}.json accuracy.committed['${key}']`).toBeDefined();
      const got = await correctCount(clf, spec, pred, prep);
      expect(got.samples).toBe(want?.samples);
      // Same onnxruntime CPU kernels everywhere; allow one flipped near-tie across CPU instruction sets.
      expect(Math.abs(got.correct - (want?.correct ?? -10))).toBeLessThanOrEqual(1);
    }
    await clf.close();
  });
});
