import { describe, expect, it } from 'vitest';
import { buildZooOnnx } from '../../scripts/zoo/onnx-writer.js';
import { OnnxClassifier } from '../../src/inference/onnx-runner.js';
import { resolvePreprocess } from '../../src/inference/preprocess.js';
import { computeViewsLogits } from '../../src/inference/views-pipeline.js';
import { makeDataset } from '../../src/datasets/types.js';
import { rotateRightAngle } from '../../src/views/geometric.js';
import { createImage, type Image } from '../../src/views/image.js';
import { isCalibraError } from '../../src/errors.js';

// Linear model on 3×3 grey images with distinct weights, so a rotation changes the logits.
const W = Float32Array.from({ length: 27 }, (_, i) => Math.sin(i + 1));
const model = buildZooOnnx({ name: 'lin', inputShape: [1, 3, 3], numClasses: 3, docString: 't', layers: [{ kind: 'flatten' }, { kind: 'dense', inDim: 9, outDim: 3, kernel: W, bias: new Float32Array(3), relu: false }] });
const N = 6;
const ds = makeDataset({
  name: 'toy', width: 3, height: 3, channels: 1, classes: ['a', 'b', 'c'], source: 'test', note: 'toy',
  pixels: Uint8Array.from({ length: N * 9 }, (_, i) => (i * 37) % 256), labels: Int32Array.from({ length: N }, (_, i) => i % 3),
});

async function direct(clf: OnnxClassifier, img: Image): Promise<number[]> {
  return Array.from((await clf.logits(1, () => img)).data);
}

describe('computeViewsLogits', () => {
  it('stores the rotation draws, and each rotation row is the model on the image rotated by its stored angle', async () => {
    const clf = await OnnxClassifier.load(model, resolvePreprocess({ channels: 'grey' }));
    const run = await computeViewsLogits(clf, ds, { views: ['rotation', 'greyscale', 'colorjitter'], seed: 5 }, { batchSize: 4 });
    expect(run.views.names).toEqual(['rotation', 'greyscale', 'colorjitter']);
    expect(Array.from(run.labels)).toEqual([0, 1, 2, 0, 1, 2]);
    const angles = run.draws.get('rotation_angle');
    expect(angles?.shape).toEqual([N]);
    for (let i = 0; i < N; i++) {
      const a = angles?.data[i] as number;
      expect([-90, 90, 180]).toContain(a);
      const want = await direct(clf, rotateRightAngle(ds.image(i), a));
      const got = Array.from(run.views.logits[0]?.data.subarray(i * 3, i * 3 + 3) ?? []);
      got.forEach((v, j) => expect(v).toBeCloseTo(want[j] as number, 5));
    }
    // greyscale is the identity on grey images, and the run says so
    expect(Array.from(run.views.logits[1]?.data ?? [])).toEqual(Array.from(run.original.data));
    expect(run.notes.some((n) => n.startsWith('greyscale'))).toBe(true);
    expect(run.draws.get('colorjitter_order')?.shape).toEqual([N, 4]);
    await clf.close();
  });

  it('depends only on (seed, view, dataset index): a subset in another batch size gives the same rows', async () => {
    const clf = await OnnxClassifier.load(model, resolvePreprocess({ channels: 'grey' }));
    const all = await computeViewsLogits(clf, ds, { views: ['rotation', 'colorjitter'], seed: 9 }, { batchSize: 2 });
    const sub = await computeViewsLogits(clf, ds, { views: ['rotation', 'colorjitter'], seed: 9, indices: [4, 1] }, { batchSize: 7 });
    expect(Array.from(sub.indices)).toEqual([4, 1]);
    for (const [r, i] of [[0, 4], [1, 1]] as const) {
      for (let v = 0; v < 2; v++) {
        expect(Array.from(sub.views.logits[v]?.data.subarray(r * 3, r * 3 + 3) ?? [])).toEqual(Array.from(all.views.logits[v]?.data.subarray(i * 3, i * 3 + 3) ?? []));
      }
    }
    const other = await computeViewsLogits(clf, ds, { views: ['rotation'], seed: 10 }, {});
    expect(Array.from(other.draws.get('rotation_angle')?.data ?? [])).not.toEqual(Array.from(all.draws.get('rotation_angle')?.data ?? []));
    await clf.close();
  });

  it('applies the corruption before the views (original row = model on the corrupted image)', async () => {
    const clf = await OnnxClassifier.load(model, resolvePreprocess({ channels: 'grey' }));
    const invert = { name: 'invert:1', apply: (img: Image): Image => createImage(img.width, img.height, img.channels, img.data.map((v) => 1 - v)) };
    const run = await computeViewsLogits(clf, ds, { views: ['greyscale'], seed: 0, indices: [2], corruption: invert });
    const want = await direct(clf, invert.apply(ds.image(2)));
    Array.from(run.original.data).forEach((v, j) => expect(v).toBeCloseTo(want[j] as number, 5));
    await clf.close();
  });

  it('rejects an unknown or repeated view with E_OPTION', async () => {
    const clf = await OnnxClassifier.load(model, resolvePreprocess({ channels: 'grey' }));
    await expect(computeViewsLogits(clf, ds, { views: ['sepia'], seed: 0 })).rejects.toSatisfy((e: unknown) => isCalibraError(e, 'E_OPTION'));
    await expect(computeViewsLogits(clf, ds, { views: ['rotation', 'rotation'], seed: 0 })).rejects.toSatisfy((e: unknown) => isCalibraError(e, 'E_OPTION'));
    await clf.close();
  });
});
