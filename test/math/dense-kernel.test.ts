/**
 * The native dense kernel (onnxruntime's float64 GEMM) of the full-W linear-softmax objective against the
 * pure-JS objective (the independent oracle: scalar loops, test/calibrators/linear-scaling.test.ts checks
 * them against finite differences and dirichletcal), and fits through it against fits without it.
 * Stated tolerances: objective and gradient within 1e-13 (relative / absolute per entry) of the JS
 * loops; a fitted model's loss within 1e-10 relative and its probabilities within 1e-5 (both stop at the
 * same gradient tolerance, 1e-9, on a flat optimum: the parameters differ by ~1e-6).
 */
import onnxProto from 'onnx-proto';
import { afterEach, describe, expect, it } from 'vitest';
import { linearSoftmaxObjective } from '../../src/calibrators/scaling/linear-softmax.js';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import { linearSoftmaxKernel, NATIVE_MIN_WORK, setLinearSoftmaxKernelProvider } from '../../src/math/dense-kernel.js';
import { registerNativeKernels } from '../../src/math/native-kernels.js';
import { encodeOnnxModel, ONNX_DOUBLE, ONNX_INT64 } from '../../src/math/onnx-encode.js';
import { createOrtLinearSoftmaxKernel } from '../../src/math/ort-linear-softmax.js';
import { Rng } from '../../src/math/rng.js';

const { onnx } = onnxProto;

function problem(N: number, K: number, seed: number, scale = 2): { X: Float64Array; labels: Int32Array; th: Float64Array } {
  const rng = new Rng(seed);
  const X = Float64Array.from({ length: N * K }, () => rng.normal() * scale);
  const labels = Int32Array.from({ length: N }, () => Math.floor(rng.random() * K));
  const th = Float64Array.from({ length: K * K + K }, () => rng.normal() * 0.3);
  for (let k = 0; k < K; k++) th[k * K + k] = (th[k * K + k] as number) + 1;
  return { X, labels, th };
}

const NO_PENALTY = { diag: 0, off: 0, diagTarget: 1, bias: 0 };

afterEach(() => setLinearSoftmaxKernelProvider(null));

describe('ONNX encoder', () => {
  it('writes a ModelProto that onnx-proto (protobufjs) decodes to the same graph', () => {
    const bytes = encodeOnnxModel({
      opset: 18,
      inputs: [{ name: 'X', elemType: ONNX_DOUBLE, dims: ['n', 3] }, { name: 'y', elemType: ONNX_INT64, dims: ['n', 1] }],
      outputs: [{ name: 'S', elemType: ONNX_DOUBLE, dims: [] }],
      initializers: [{ name: 'axes', dims: [2], values: [0, -1] }],
      nodes: [{ op: 'ReduceSum', inputs: ['X', 'axes'], outputs: ['S'], attrs: [{ name: 'keepdims', i: 0 }, { name: 'perm', ints: [1, 0, -2] }, { name: 'reduction', s: 'add' }] }],
    });
    const m = onnx.ModelProto.decode(bytes);
    expect(Number(m.irVersion)).toBe(8);
    expect(m.opsetImport[0]?.domain).toBe('');
    expect(Number(m.opsetImport[0]?.version)).toBe(18);
    const g = m.graph as onnxProto.onnx.GraphProto;
    expect(g.node[0]?.opType).toBe('ReduceSum');
    expect(g.node[0]?.input).toEqual(['X', 'axes']);
    const attrs = g.node[0]?.attribute ?? [];
    expect(Number(attrs[0]?.i)).toBe(0);
    expect((attrs[1]?.ints ?? []).map(Number)).toEqual([1, 0, -2]);
    expect(new TextDecoder().decode(attrs[2]?.s ?? new Uint8Array())).toBe('add');
    expect(g.input[0]?.type?.tensorType?.elemType).toBe(ONNX_DOUBLE);
    expect(g.input[0]?.type?.tensorType?.shape?.dim?.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['n', 3]);
    const init = g.initializer[0] as onnxProto.onnx.TensorProto;
    expect(init.dataType).toBe(ONNX_INT64);
    expect(Array.from(new BigInt64Array(Uint8Array.from(init.rawData).buffer)).map(Number)).toEqual([0, -1]);
  });
});

describe('onnxruntime linear-softmax kernel', () => {
  it('gives the JS objective and gradient to 1e-13 (K = 1, 2, 7, 37; rows not a multiple of the block)', () => {
    for (const [N, K] of [[50, 1], [300, 2], [1001, 7], [20000, 37]] as const) {
      const { X, labels, th } = problem(N, K, N + K);
      const g0 = new Float64Array(th.length), g1 = new Float64Array(th.length);
      const f0 = linearSoftmaxObjective(X, labels, K, 'full', NO_PENALTY)(th, g0);
      const kernel = createOrtLinearSoftmaxKernel(X, labels, N, K, 1);
      expect(kernel).not.toBeNull();
      const f1 = linearSoftmaxObjective(X, labels, K, 'full', { diag: 0.1, off: 0.2, diagTarget: 1, bias: 0.3 }, kernel)(th, g1);
      const gp = new Float64Array(th.length);
      const fp = linearSoftmaxObjective(X, labels, K, 'full', { diag: 0.1, off: 0.2, diagTarget: 1, bias: 0.3 })(th, gp);
      kernel?.dispose();
      expect(Math.abs(f1 - fp) / fp).toBeLessThan(1e-13);
      for (let i = 0; i < th.length; i++) expect(Math.abs((g1[i] as number) - (gp[i] as number))).toBeLessThan(1e-13);
      expect(Number.isFinite(f0)).toBe(true);
    }
  });

  it('stays finite and exact where a p_y underflows (score gaps above 745): the LogSoftmax graph takes that block', () => {
    const N = 64, K = 4;
    const { X, labels, th } = problem(N, K, 5, 400);
    const g0 = new Float64Array(th.length), g1 = new Float64Array(th.length);
    const f0 = linearSoftmaxObjective(X, labels, K, 'full', NO_PENALTY)(th, g0);
    expect(f0).toBeGreaterThan(100); // some rows have ln p_y far below ln(1e-308)
    const kernel = createOrtLinearSoftmaxKernel(X, labels, N, K, 1);
    const f1 = linearSoftmaxObjective(X, labels, K, 'full', NO_PENALTY, kernel)(th, g1);
    kernel?.dispose();
    expect(Number.isFinite(f1)).toBe(true);
    expect(Math.abs(f1 - f0) / f0).toBeLessThan(1e-13);
    for (let i = 0; i < th.length; i++) expect(Math.abs((g1[i] as number) - (g0[i] as number))).toBeLessThan(1e-12);
  });

  it('is used only when registered and when N·K² reaches NATIVE_MIN_WORK', () => {
    const { X, labels } = problem(10, 3, 1);
    expect(linearSoftmaxKernel(X, labels, 10, 3)).toBeNull();
    registerNativeKernels();
    expect(linearSoftmaxKernel(X, labels, 10, 3)).toBeNull(); // too small
    const big = problem(Math.ceil(NATIVE_MIN_WORK / 100), 10, 2);
    const k = linearSoftmaxKernel(big.X, big.labels, big.labels.length, 10);
    expect(k).not.toBeNull();
    k?.dispose();
  });

  it('ms and dirichlet-odir fits through the kernel match the JS fits (loss 1e-10 relative, probabilities 1e-5)', () => {
    const N = 3000, K = 12; // below the default threshold: registered with threshold 0 here
    const { X, labels } = problem(N, K, 9, 1.5);
    const data = { logits: { data: X, rows: N, cols: K }, labels };
    for (const [id, opts] of [['ms', { lambda: 1e-3, lambdaBias: 1e-3 }], ['dirichlet-odir', { lambda: 0.01, mu: 0.01 }]] as const) {
      const spec = getCalibrator(id);
      setLinearSoftmaxKernelProvider(null);
      const js = spec.fit(data, opts, { seed: 0 });
      registerNativeKernels(0);
      const nat = spec.fit(data, opts, { seed: 0 });
      expect(nat.loss).toBeDefined();
      expect(Math.abs((nat.loss as number) - (js.loss as number)) / (js.loss as number)).toBeLessThan(1e-10);
      const p0 = js.model.predictProba(data).data, p1 = nat.model.predictProba(data).data;
      let worst = 0;
      for (let i = 0; i < p0.length; i++) worst = Math.max(worst, Math.abs((p0[i] as number) - (p1[i] as number)));
      expect(worst).toBeLessThan(1e-5);
    }
  });
});
