import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../../src/math/rng.js';
import { buildZooOnnx, hwioToOihw } from '../../../scripts/zoo/onnx-writer.js';

function randArray(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(-1, 1));
}

/** tfjs semantics, written out by hand: NHWC conv (valid, stride s, kernel HWIO), relu, NHWC flatten, dense [in,out]. */
function referenceForward(x: Float32Array, h: number, w: number, k: Float32Array, kb: Float32Array, cout: number, s: number, dW: Float32Array, db: Float32Array, out: number): number[] {
  const oh = Math.floor((h - 3) / s) + 1;
  const ow = Math.floor((w - 3) / s) + 1;
  const act: number[] = [];
  for (let y = 0; y < oh; y++) for (let xx = 0; xx < ow; xx++) for (let o = 0; o < cout; o++) {
    let v = kb[o] as number;
    for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) v += (x[(y * s + dy) * w + xx * s + dx] as number) * (k[((dy * 3 + dx) * 1 + 0) * cout + o] as number);
    act.push(Math.max(0, v));
  }
  const res: number[] = [];
  for (let j = 0; j < out; j++) {
    let v = db[j] as number;
    for (let i = 0; i < act.length; i++) v += (act[i] as number) * (dW[i * out + j] as number);
    res.push(v);
  }
  return res;
}

describe('buildZooOnnx', () => {
  it('hwioToOihw moves element (h,w,i,o) to (o,i,h,w)', () => {
    const k = Float32Array.from({ length: 2 * 1 * 2 * 3 }, (_, i) => i); // kh=2, kw=1, cin=2, cout=3
    const t = hwioToOihw(k, 2, 1, 2, 3);
    // (h=1, w=0, i=1, o=2): HWIO index ((1*1+0)*2+1)*3+2 = 11 -> OIHW index ((2*2+1)*2+1)*1+0 = 11
    expect(t[((2 * 2 + 1) * 2 + 1) * 1]).toBe(11);
    // (h=0, w=0, i=1, o=0): HWIO 3 -> OIHW ((0*2+1)*2+0) = 2
    expect(t[2]).toBe(3);
  });

  it('conv (HWIO -> OIHW) + NHWC flatten + dense runs in onnxruntime like the tfjs-layout reference', async () => {
    const rng = new Rng(7);
    const h = 7, w = 7, cout = 3, s = 2, out = 4;
    const k = randArray(rng, 9 * cout), kb = randArray(rng, cout);
    const flat = 3 * 3 * cout;
    const dW = randArray(rng, flat * out), db = randArray(rng, out);
    const bytes = buildZooOnnx({
      name: 't', inputShape: [1, h, w], numClasses: out, docString: 'test',
      layers: [
        { kind: 'conv', kh: 3, kw: 3, inChannels: 1, outChannels: cout, stride: s, kernelHWIO: k, bias: kb, relu: true },
        { kind: 'flatten' },
        { kind: 'dense', inDim: flat, outDim: out, kernel: dW, bias: db, relu: false },
      ],
    });
    const sess = await ort.InferenceSession.create(bytes);
    const n = 3;
    const x = randArray(rng, n * h * w);
    const res = await sess.run({ x: new ort.Tensor('float32', x, [n, 1, h, w]) });
    const got = res['logits']?.data as Float32Array;
    for (let i = 0; i < n; i++) {
      const want = referenceForward(x.subarray(i * h * w, (i + 1) * h * w), h, w, k, kb, cout, s, dW, db, out);
      for (let j = 0; j < out; j++) expect(got[i * out + j]).toBeCloseTo(want[j] as number, 4);
    }
    await sess.release();
  });

  it('dense-only graph flattens NCHW input and applies Gemm + ReLU + Gemm', async () => {
    const W1 = Float32Array.of(1, -1, 0.5, 2, 0, 1, -1, 1); // 4x2
    const b1 = Float32Array.of(0.1, -0.2);
    const W2 = Float32Array.of(1, 2, 3, -1, 0, 1); // 2x3
    const b2 = Float32Array.of(0, 0.5, -0.5);
    const bytes = buildZooOnnx({
      name: 'mlp', inputShape: [1, 2, 2], numClasses: 3, docString: 'test',
      layers: [{ kind: 'flatten' }, { kind: 'dense', inDim: 4, outDim: 2, kernel: W1, bias: b1, relu: true }, { kind: 'dense', inDim: 2, outDim: 3, kernel: W2, bias: b2, relu: false }],
    });
    const sess = await ort.InferenceSession.create(bytes);
    const x = Float32Array.of(1, 2, 3, 4);
    const got = (await sess.run({ x: new ort.Tensor('float32', x, [1, 1, 2, 2]) }))['logits']?.data as Float32Array;
    // W1 rows [1,-1],[0.5,2],[0,1],[-1,1]: h0 = 1 + 1 + 0 - 4 + 0.1 = -1.9 -> relu 0; h1 = -1 + 4 + 3 + 4 - 0.2 = 9.8
    // W2 rows [1,2,3],[-1,0,1]: logits = h1 * [-1, 0, 1] + [0, 0.5, -0.5] = [-9.8, 0.5, 9.3]
    expect(got[0]).toBeCloseTo(-9.8, 4);
    expect(got[1]).toBeCloseTo(0.5, 4);
    expect(got[2]).toBeCloseTo(9.3, 4);
    await sess.release();
  });
});
