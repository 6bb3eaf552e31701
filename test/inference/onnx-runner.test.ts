import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { buildZooOnnx } from '../../scripts/zoo/onnx-writer.js';
import { OnnxClassifier, batchSizeForBudget, PROB_EPS } from '../../src/inference/onnx-runner.js';
import { resolvePreprocess } from '../../src/inference/preprocess.js';
import { createImage, type Image } from '../../src/views/image.js';
import { isCalibraError } from '../../src/errors.js';

// A linear model on 2×2 grey images: logits = flatten(x) · W + b, W 4×3 (rows = pixels).
const W = Float32Array.of(1, 0, -1, 0, 2, 0, 0.5, 0, 1, -1, 1, 0);
const B = Float32Array.of(0.1, -0.2, 0.3);
const linear = buildZooOnnx({ name: 'lin', inputShape: [1, 2, 2], numClasses: 3, docString: 't', layers: [{ kind: 'flatten' }, { kind: 'dense', inDim: 4, outDim: 3, kernel: W, bias: B, relu: false }] });

function expected(px: readonly number[]): number[] {
  return [0, 1, 2].map((j) => (B[j] as number) + px.reduce((s, v, i) => s + v * (W[i * 3 + j] as number), 0));
}

const images: Image[] = Array.from({ length: 5 }, (_, i) => createImage(2, 2, 1, Float32Array.of(i / 5, 0.5, 1 - i / 5, (i % 2) / 2)));

/** A model whose output is softmax probabilities (Gemm -> Softmax), to test output: 'probs'. */
function softmaxModel(): Uint8Array {
  const { onnx } = onnxProto;
  const t = (name: string, dims: number[], v: Float32Array): onnxProto.onnx.ITensorProto => ({ name, dims, dataType: 1, rawData: new Uint8Array(Float32Array.from(v).buffer) });
  const vi = (name: string, dims: (number | string)[]): onnxProto.onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: 1, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } } });
  return onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8, opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'sm', initializer: [t('W', [4, 3], W), t('b', [3], B)],
      input: [vi('img', ['N', 1, 2, 2])], output: [vi('probs', ['N', 3])],
      node: [
        { opType: 'Flatten', input: ['img'], output: ['f'], attribute: [{ name: 'axis', type: 2, i: 1 }] },
        { opType: 'Gemm', input: ['f', 'W', 'b'], output: ['z'] },
        { opType: 'Softmax', input: ['z'], output: ['probs'], attribute: [{ name: 'axis', type: 2, i: 1 }] },
      ],
    },
  })).finish();
}

describe('OnnxClassifier', () => {
  it('returns the model logits (hand-computed linear model), identical for batch sizes 1, 2 and 5', async () => {
    const clf = await OnnxClassifier.load(linear, resolvePreprocess({ channels: 'grey' }));
    expect(clf.inputName).toBe('x');
    expect(clf.outputName).toBe('logits');
    const progress: number[] = [];
    const l2 = await clf.logits(5, (i) => images[i] as Image, { batchSize: 2, onProgress: (f) => progress.push(f) });
    expect(l2.rows).toBe(5);
    expect(l2.cols).toBe(3);
    for (let i = 0; i < 5; i++) {
      const want = expected(Array.from((images[i] as Image).data));
      for (let j = 0; j < 3; j++) expect(l2.data[i * 3 + j]).toBeCloseTo(want[j] as number, 5);
    }
    expect(progress).toEqual([0.4, 0.8, 1]);
    for (const bs of [1, 5]) expect(Array.from((await clf.logits(5, (i) => images[i] as Image, { batchSize: bs })).data)).toEqual(Array.from(l2.data));
    await clf.close();
  });

  it("turns a probability output into ln p (output: 'probs'), so softmax gives back p", async () => {
    const clf = await OnnxClassifier.load(softmaxModel(), resolvePreprocess({ channels: 'grey', output: 'probs' }));
    const l = await clf.logits(2, (i) => images[i] as Image);
    for (let i = 0; i < 2; i++) {
      const z = expected(Array.from((images[i] as Image).data));
      const m = Math.max(...z);
      const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
      for (let j = 0; j < 3; j++) expect(l.data[i * 3 + j]).toBeCloseTo((z[j] as number) - lse, 5);
    }
    expect(PROB_EPS).toBe(1e-12);
    await clf.close();
  });

  it('resizes and replicates channels per the config: a 4×4 RGB image into the 2×2 grey model', async () => {
    const clf = await OnnxClassifier.load(linear, resolvePreprocess({ channels: 'grey', inputSize: [2, 2] }));
    const rgb = createImage(4, 4, 3, new Float32Array(48).fill(0.5));
    const l = await clf.logits(1, () => rgb);
    const luma = 0.2989 * 0.5 + 0.587 * 0.5 + 0.114 * 0.5; // = 0.49995 (ITU-R 601 weights sum to 0.9999)
    const want = expected([luma, luma, luma, luma]);
    for (let j = 0; j < 3; j++) expect(l.data[j]).toBeCloseTo(want[j] as number, 5);
    await clf.close();
  });

  it('names the problem: unknown input name (E_OPTION), unreadable model (E_FORMAT / E_IO), wrong image size (E_SHAPE)', async () => {
    await expect(OnnxClassifier.load(linear, resolvePreprocess({ inputName: 'images' }))).rejects.toSatisfy((e: unknown) => isCalibraError(e, 'E_OPTION'));
    await expect(OnnxClassifier.load(Uint8Array.of(1, 2, 3), resolvePreprocess({}))).rejects.toSatisfy((e: unknown) => isCalibraError(e, 'E_FORMAT'));
    await expect(OnnxClassifier.load('/nonexistent/model.onnx', resolvePreprocess({}))).rejects.toSatisfy((e: unknown) => isCalibraError(e, 'E_IO') || isCalibraError(e, 'E_FORMAT'));
    const clf = await OnnxClassifier.load(linear, resolvePreprocess({ channels: 'grey' }));
    const odd = [createImage(2, 2, 1), createImage(3, 2, 1)];
    await expect(clf.logits(2, (i) => odd[i] as Image)).rejects.toSatisfy((e: unknown) => isCalibraError(e, 'E_SHAPE'));
    await clf.close();
  });
});

describe('batchSizeForBudget', () => {
  it('divides the budget by 4 bytes × 16 × values per sample, clamped to [1, 1024]', () => {
    expect(batchSizeForBudget(3 * 224 * 224, 256 * 2 ** 20)).toBe(Math.floor((256 * 2 ** 20) / (3 * 224 * 224 * 64)));
    expect(batchSizeForBudget(784, 2 ** 30)).toBe(1024);
    expect(batchSizeForBudget(1e9, 1)).toBe(1);
  });
});

describe('OnnxClassifier threads option', () => {
  it('refuses threads outside 1..MAX_THREADS (E_OPTION) and runs with threads 2', async () => {
    const kernel = Float32Array.from({ length: 8 }, (_, i) => i - 3.5);
    const m = buildZooOnnx({ name: 't', inputShape: [1, 2, 2], numClasses: 2, docString: 't', layers: [{ kind: 'flatten' }, { kind: 'dense', inDim: 4, outDim: 2, kernel, bias: new Float32Array(2), relu: false }] });
    const pre = resolvePreprocess({ channels: 'grey' });
    for (const threads of [0, 1.5, -1, 1e6]) {
      await expect(OnnxClassifier.load(m, pre, 't.onnx', { threads })).rejects.toSatisfy((e: unknown) => isCalibraError(e) && e.code === 'E_OPTION');
    }
    const clf = await OnnxClassifier.load(m, pre, 't.onnx', { threads: 2 });
    const img = createImage(2, 2, 1, Float32Array.of(0.5, 0.25, 1, 0));
    // kernel is 4×2 row-major [in, out]: out0 = Σ x_i·k[2i], out1 = Σ x_i·k[2i+1]
    const want = [0.5 * -3.5 + 0.25 * -1.5 + 1 * 0.5 + 0, 0.5 * -2.5 + 0.25 * -0.5 + 1 * 1.5 + 0];
    const got = Array.from((await clf.logits(1, () => img)).data);
    got.forEach((v, j) => expect(v).toBeCloseTo(want[j] as number, 5));
    await clf.close();
  });
});
