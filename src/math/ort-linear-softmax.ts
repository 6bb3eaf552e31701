/**
 * The full-W linear-softmax objective on onnxruntime's CPU kernels (Node only): a small graph built in
 * memory (src/math/onnx-encode.ts), float64 throughout, run synchronously (the L-BFGS objective is a plain
 * function) through onnxruntime-node's native binding, on blocks of rows so the intermediates stay bounded:
 *
 *   Z = Gemm(X, W, b, transB)            N_b×K   (MLAS DGEMM)
 *   P = Softmax(Z)
 *   S = ReduceSum(Log(GatherElements(P, y)))     Σ ln p_y of the block
 *   GP = Gemm(P, X, transA);  sP = ReduceSum(P, axis 0)
 *
 * and then, in JS, Gᵂ = GP − Yᵀ·X and gᵇ = sP − counts (Yᵀ·X, the per-class sums of X, and the class counts
 * are computed once), so P − Y is never formed. When a p_y underflows (ln 0: only when a score gap passes
 * ~745) that block is recomputed with LogSoftmax (a second, exact graph), so the objective stays finite.
 * Block sums are added in block order: deterministic for a given machine and thread count.
 * Memory: X is read in place (views); labels as int64 (N·8 bytes), Yᵀ·X (K²·8), and per block
 * ~3·BLOCK·K·8 bytes of onnxruntime intermediates plus the K×K output; X must not change while the kernel lives. The binding is onnxruntime-node's
 * own `dist/binding.js` (the native session its public InferenceSession wraps in a Promise); onnxruntime-node
 * is pinned in package.json.
 */
import { createRequire } from 'node:module';
import * as os from 'node:os';
import { encodeOnnxModel, ONNX_DOUBLE, ONNX_INT64 } from './onnx-encode.js';
import type { LinearSoftmaxKernel } from './dense-kernel.js';

interface OrtTensor { readonly data: unknown }
type TensorCtor = new (type: string, data: Float64Array | BigInt64Array, dims: readonly number[]) => OrtTensor;
interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: Record<string, unknown>): void;
  run(feeds: Record<string, OrtTensor>, fetches: Record<string, null>, options: Record<string, unknown>): Record<string, OrtTensor>;
  dispose(): void;
}
interface Native { binding: { InferenceSession: new () => NativeSession }; initOrt(): void; Tensor: TensorCtor }

let native: Native | null | undefined;

/** onnxruntime-node's binding and Tensor class, loaded once; null when the addon cannot load. */
function loadNative(): Native | null {
  if (native !== undefined) return native;
  try {
    const req = createRequire(import.meta.url);
    const main = req.resolve('onnxruntime-node');
    const fromOrt = createRequire(main);
    const b = fromOrt('./binding.js') as { binding: Native['binding']; initOrt(): void };
    const common = fromOrt('onnxruntime-common') as { Tensor: TensorCtor };
    b.initOrt();
    native = { binding: b.binding, initOrt: b.initOrt, Tensor: common.Tensor };
  } catch {
    native = null;
  }
  return native;
}

/** Rows per onnxruntime call: ~32 MB of float64 per N_b×K intermediate. */
function blockRows(K: number): number {
  return Math.max(256, Math.min(16384, Math.floor((4 << 20) / K)));
}

/** The block graph; `exact` takes ln p_y from LogSoftmax (for blocks where some p_y underflows). */
function graphBytes(K: number, exact: boolean): Uint8Array {
  const f64 = (name: string, dims: (number | string)[]) => ({ name, elemType: ONNX_DOUBLE, dims });
  const logPy = exact
    ? [
      { op: 'LogSoftmax', inputs: ['Z'], outputs: ['L'], attrs: [{ name: 'axis', i: 1 }] },
      { op: 'GatherElements', inputs: ['L', 'y'], outputs: ['Ly'], attrs: [{ name: 'axis', i: 1 }] },
    ]
    : [
      { op: 'GatherElements', inputs: ['P', 'y'], outputs: ['Py'], attrs: [{ name: 'axis', i: 1 }] },
      { op: 'Log', inputs: ['Py'], outputs: ['Ly'] },
    ];
  return encodeOnnxModel({
    opset: 18,
    inputs: [f64('X', ['n', K]), f64('W', [K, K]), f64('b', [K]), { name: 'y', elemType: ONNX_INT64, dims: ['n', 1] }],
    outputs: [f64('S', []), f64('GP', [K, K]), f64('sP', [K])],
    initializers: [{ name: 'axis0', dims: [1], values: [0] }],
    nodes: [
      { op: 'Gemm', inputs: ['X', 'W', 'b'], outputs: ['Z'], attrs: [{ name: 'transB', i: 1 }] },
      { op: 'Softmax', inputs: ['Z'], outputs: ['P'], attrs: [{ name: 'axis', i: 1 }] },
      ...logPy,
      { op: 'ReduceSum', inputs: ['Ly'], outputs: ['S'], attrs: [{ name: 'keepdims', i: 0 }] },
      { op: 'Gemm', inputs: ['P', 'X'], outputs: ['GP'], attrs: [{ name: 'transA', i: 1 }] },
      { op: 'ReduceSum', inputs: ['P', 'axis0'], outputs: ['sP'], attrs: [{ name: 'keepdims', i: 0 }] },
    ],
  });
}

/**
 * A {@link LinearSoftmaxKernel} on onnxruntime, or null when onnxruntime-node cannot load here. `threads`:
 * onnxruntime intra-op threads (default: the available cores). Cost: one session build (~10 ms) and Yᵀ·X;
 * then per evaluation two DGEMMs of N·K² multiply-adds and N·K exponentials.
 */
export function createOrtLinearSoftmaxKernel(X: Float64Array, labels: Int32Array, N: number, K: number, threads: number = os.availableParallelism()): LinearSoftmaxKernel | null {
  const ort = loadNative();
  if (ort === null) return null;
  const options = { intraOpNumThreads: Math.max(1, threads), interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all', extra: { session: { intra_op: { allow_spinning: '0' } } } };
  const open = (exact: boolean): NativeSession | null => {
    const bytes = graphBytes(K, exact);
    const s = new ort.binding.InferenceSession();
    try { s.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, options); } catch { return null; }
    return s;
  };
  const session = open(false);
  if (session === null) return null;
  let exactSession: NativeSession | null = null;
  // Yᵀ·X (per-class sums of the features) and the class counts, once
  const classSums = new Float64Array(K * K);
  const counts = new Float64Array(K);
  for (let i = 0; i < N; i++) {
    const y = labels[i] as number;
    counts[y] = (counts[y] as number) + 1;
    const o = i * K, c = y * K;
    for (let j = 0; j < K; j++) classSums[c + j] = (classSums[c + j] as number) + (X[o + j] as number);
  }
  const per = blockRows(K);
  const blocks: { x: OrtTensor; y: OrtTensor }[] = [];
  for (let start = 0; start < N; start += per) {
    const n = Math.min(per, N - start);
    const xb = X.subarray(start * K, (start + n) * K); // a view: the binding honours byteOffset
    const yb = new BigInt64Array(n);
    for (let i = 0; i < n; i++) yb[i] = BigInt(labels[start + i] as number);
    blocks.push({ x: new ort.Tensor('float64', xb, [n, K]), y: new ort.Tensor('int64', yb, [n, 1]) });
  }
  const Wbuf = new Float64Array(K * K);
  const bbuf = new Float64Array(K);
  const tW = new ort.Tensor('float64', Wbuf, [K, K]);
  const tb = new ort.Tensor('float64', bbuf, [K]);
  const fetches = { S: null, GP: null, sP: null };
  return {
    evaluate(W, b, gW, gb) {
      Wbuf.set(W);
      bbuf.set(b);
      gW.fill(0);
      gb.fill(0);
      let nll = 0;
      for (const blk of blocks) {
        const feeds = { X: blk.x, W: tW, b: tb, y: blk.y };
        let out = session.run(feeds, fetches, {});
        let S = (out['S']?.data as Float64Array)[0] as number;
        if (!Number.isFinite(S)) {
          exactSession ??= open(true);
          if (exactSession === null) throw new Error('onnxruntime: cannot build the LogSoftmax graph');
          out = exactSession.run(feeds, fetches, {});
          S = (out['S']?.data as Float64Array)[0] as number;
        }
        nll -= S;
        const g = out['GP']?.data as Float64Array;
        for (let i = 0; i < g.length; i++) gW[i] = (gW[i] as number) + (g[i] as number);
        const h = out['sP']?.data as Float64Array;
        for (let i = 0; i < h.length; i++) gb[i] = (gb[i] as number) + (h[i] as number);
      }
      for (let i = 0; i < K * K; i++) gW[i] = (gW[i] as number) - (classSums[i] as number);
      for (let k = 0; k < K; k++) gb[k] = (gb[k] as number) - (counts[k] as number);
      return nll;
    },
    dispose() { session.dispose(); exactSession?.dispose(); },
  };
}
