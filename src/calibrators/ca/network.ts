/**
 * The CA temperature network (Liu et al. 2024, `Temperature_adaptive`; ca-method.md §2.3):
 *   h = ReLU(W1 x + b1),  r = w2·h + b2,  T = head(r)
 * with head `clamp`: T = clamp(r, 0.1, 10) (published), `sigmoid`: T = exp(ln 0.1 + ln 100 · σ(r)), a smooth
 * map onto (0.1, 10) with T(0) = 1, or `exp`: T = exp(clamp(r, ln 0.1, ln 10)), so that with r = ln T_TS + g(x)
 * the network's deviation g multiplies the temperature-scaling solution (robust mode; a documented deviation).
 * Parameters live in one flat Float64Array: W1 (H×F row-major), b1 (H), w2 (H), b2 (1) — 71 for F=12, H=5.
 * Forward and backward are hand-derived and allocation-free (callers pass work buffers).
 */
import type { Rng } from '../../math/rng.js';
import type { CaHead } from './options.js';

/** Lower and upper temperature bounds of both heads (the published clamp range). */
export const T_MIN = 0.1;
export const T_MAX = 10;
const LN_T_MIN = Math.log(T_MIN);
const LN_T_MAX = Math.log(T_MAX);
const LN_RANGE = LN_T_MAX - LN_T_MIN;

/** Shape of a temperature network. */
export interface NetShape {
  readonly features: number;
  readonly hidden: number;
  readonly head: CaHead;
}

/** Number of parameters: H·F + 2H + 1. */
export function paramCount(s: NetShape): number {
  return s.hidden * s.features + 2 * s.hidden + 1;
}

/** Offsets of W1, b1, w2, b2 in the flat parameter vector. */
export function paramOffsets(s: NetShape): { W1: number; b1: number; w2: number; b2: number } {
  const hf = s.hidden * s.features;
  return { W1: 0, b1: hf, w2: hf + s.hidden, b2: hf + 2 * s.hidden };
}

/**
 * PyTorch's default nn.Linear initialisation through the seeded Rng: weights kaiming_uniform(a=√5), i.e.
 * U(−1/√fan_in, 1/√fan_in), and biases U(−1/√fan_in, 1/√fan_in). Draw order: W1 row-major, b1, w2, b2.
 * Cost: O(#params).
 */
export function initPyTorchDefault(s: NetShape, rng: Rng): Float64Array {
  const p = new Float64Array(paramCount(s));
  const o = paramOffsets(s);
  const b1 = 1 / Math.sqrt(s.features);
  const b2 = 1 / Math.sqrt(s.hidden);
  for (let i = 0; i < s.hidden * s.features; i++) p[o.W1 + i] = rng.uniform(-b1, b1);
  for (let i = 0; i < s.hidden; i++) p[o.b1 + i] = rng.uniform(-b1, b1);
  for (let i = 0; i < s.hidden; i++) p[o.w2 + i] = rng.uniform(-b2, b2);
  p[o.b2] = rng.uniform(-b2, b2);
  return p;
}

/**
 * The raw output r at which `head` gives temperature T (T clipped into [0.1, 10]): the inverse of headTemperature.
 * @example headTemperature('exp', headRawFor('exp', 1.7)) // ~> 1.700000000000
 */
export function headRawFor(head: CaHead, T: number): number {
  const t = Math.min(T_MAX, Math.max(T_MIN, T));
  if (head === 'clamp') return t;
  if (head === 'exp') return Math.log(t);
  const u = Math.min(1 - 1e-12, Math.max(1e-12, (Math.log(t) - LN_T_MIN) / LN_RANGE));
  return Math.log(u / (1 - u));
}

/**
 * Robust-mode initialisation from a base temperature (the temperature-scaling fit): PyTorch default for the
 * hidden layer, output weights exactly 0 and the output bias at headRawFor(head, T0), so every sample starts
 * at T(x) = T0 and the network can only learn per-sample deviations from it. Draw order as initPyTorchDefault.
 */
export function initAtTemperature(s: NetShape, rng: Rng, T0: number): Float64Array {
  const p = initPyTorchDefault(s, rng);
  const o = paramOffsets(s);
  for (let i = 0; i < s.hidden; i++) p[o.w2 + i] = 0;
  p[o.b2] = headRawFor(s.head, T0);
  return p;
}

/**
 * Raw output r for the feature row at `x[xOff..xOff+F)`; writes the hidden pre-activations into `pre` (length H).
 * Cost: O(H·F).
 */
export function forwardRaw(s: NetShape, p: Float64Array, x: Float64Array, xOff: number, pre: Float64Array): number {
  const F = s.features, H = s.hidden;
  const o = paramOffsets(s);
  let r = p[o.b2] as number;
  for (let h = 0; h < H; h++) {
    let a = p[o.b1 + h] as number;
    const w = o.W1 + h * F;
    for (let f = 0; f < F; f++) a += (p[w + f] as number) * (x[xOff + f] as number);
    pre[h] = a;
    if (a > 0) r += (p[o.w2 + h] as number) * a;
  }
  return r;
}

/** The temperature T = head(r). */
export function headTemperature(head: CaHead, r: number): number {
  if (head === 'clamp') return r < T_MIN ? T_MIN : r > T_MAX ? T_MAX : r;
  if (head === 'exp') return Math.exp(r < LN_T_MIN ? LN_T_MIN : r > LN_T_MAX ? LN_T_MAX : r);
  return Math.exp(LN_T_MIN + LN_RANGE / (1 + Math.exp(-r)));
}

/** dT/dr. For `clamp` it is 1 on [0.1, 10] inclusive and 0 outside, as torch.clamp's backward; for `exp`, T on [ln 0.1, ln 10] and 0 outside. */
export function headDerivative(head: CaHead, r: number, T: number): number {
  if (head === 'clamp') return r >= T_MIN && r <= T_MAX ? 1 : 0;
  if (head === 'exp') return r >= LN_T_MIN && r <= LN_T_MAX ? T : 0;
  const s = 1 / (1 + Math.exp(-r));
  return T * LN_RANGE * s * (1 - s);
}

/**
 * Adds gr·∂r/∂θ to `grad` for one sample, given the `pre` written by forwardRaw (ReLU gradient at 0 is 0).
 * Cost: O(H·F), no allocation.
 */
export function backwardAccumulate(s: NetShape, p: Float64Array, x: Float64Array, xOff: number, pre: Float64Array, gr: number, grad: Float64Array): void {
  const F = s.features, H = s.hidden;
  const o = paramOffsets(s);
  grad[o.b2] = (grad[o.b2] as number) + gr;
  for (let h = 0; h < H; h++) {
    const a = pre[h] as number;
    if (!(a > 0)) continue;
    grad[o.w2 + h] = (grad[o.w2 + h] as number) + gr * a;
    const gh = gr * (p[o.w2 + h] as number);
    grad[o.b1 + h] = (grad[o.b1 + h] as number) + gh;
    const w = o.W1 + h * F;
    for (let f = 0; f < F; f++) grad[w + f] = (grad[w + f] as number) + gh * (x[xOff + f] as number);
  }
}

/** Per-sample temperatures of every feature row into `out` (length N). Cost: O(N·H·F). */
export function predictTemperaturesInto(s: NetShape, p: Float64Array, x: Float64Array, rows: number, out: Float64Array): Float64Array {
  const pre = new Float64Array(s.hidden);
  for (let i = 0; i < rows; i++) out[i] = headTemperature(s.head, forwardRaw(s, p, x, i * s.features, pre));
  return out;
}
