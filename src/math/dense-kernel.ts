/**
 * The dense kernel behind the full-W linear-softmax objective (matrix scaling, full and ODIR Dirichlet):
 * Z = X·Wᵀ + b, the row softmax, Σ −ln p_y, and the gradient sums Gᵂ = (P − Y)ᵀ·X, gᵇ = Σ (P − Y), in
 * float64. calibra's own code (src/calibrators) asks {@link linearSoftmaxKernel} for one; when a native
 * provider is registered (Node: onnxruntime's CPU GEMM, src/math/ort-linear-softmax.ts, registered by the
 * CLI and calibra/node) and the problem is big enough to pay for it, that is used, else the caller's
 * pure-JS loops (the browser build, small problems). Browser-safe: this file only holds the registration.
 */

/** Sums over every row for the current parameters. */
export interface LinearSoftmaxKernel {
  /**
   * Writes Σᵢ (pᵢ − e_yᵢ) xᵢᵀ into `gW` (K×K row-major) and Σᵢ (pᵢ − e_yᵢ) into `gb` (both overwritten) and
   * returns Σᵢ −ln pᵢ[yᵢ], where pᵢ = softmax(W xᵢ + b). Unscaled sums (the caller divides by N).
   */
  evaluate(W: Float64Array, b: Float64Array, gW: Float64Array, gb: Float64Array): number;
  /** Frees the native session and buffers. */
  dispose(): void;
}

/** Makes a kernel over fixed features X (N×K row-major float64) and labels, or null when it cannot. */
export type LinearSoftmaxKernelFactory = (X: Float64Array, labels: Int32Array, N: number, K: number) => LinearSoftmaxKernel | null;

/** Below this many multiply-adds per evaluation (N·K²) the JS loops win over a native call's overhead. */
export const NATIVE_MIN_WORK = 2e7;

let provider: LinearSoftmaxKernelFactory | null = null;
let minWork = NATIVE_MIN_WORK;

/** Registers (or with null removes) the native kernel provider, used from `threshold` multiply-adds per evaluation. */
export function setLinearSoftmaxKernelProvider(f: LinearSoftmaxKernelFactory | null, threshold: number = NATIVE_MIN_WORK): void {
  provider = f;
  minWork = threshold;
}

/** A native kernel for this problem, or null (none registered, too small, or it failed to start). Cost: one session build. */
export function linearSoftmaxKernel(X: Float64Array, labels: Int32Array, N: number, K: number): LinearSoftmaxKernel | null {
  if (provider === null || N * K * K < minWork) return null;
  return provider(X, labels, N, K);
}
