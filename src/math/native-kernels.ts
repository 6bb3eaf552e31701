/**
 * Registers calibra's native dense kernels (Node only): the full-W linear-softmax objective on onnxruntime's
 * CPU GEMM (src/math/ort-linear-softmax.ts). Importing this file loads no addon; onnxruntime-node is loaded
 * on the first fit big enough to use it (N·K² >= NATIVE_MIN_WORK). The CLI and `calibra/node` call it; the
 * browser build never does and keeps the pure-JS loops.
 */
import { NATIVE_MIN_WORK, setLinearSoftmaxKernelProvider } from './dense-kernel.js';
import { createOrtLinearSoftmaxKernel } from './ort-linear-softmax.js';

/** Installs the onnxruntime provider, used from `threshold` multiply-adds per evaluation (tests lower it). Idempotent. */
export function registerNativeKernels(threshold: number = NATIVE_MIN_WORK): void {
  setLinearSoftmaxKernelProvider((X, labels, N, K) => createOrtLinearSoftmaxKernel(X, labels, N, K), threshold);
}
