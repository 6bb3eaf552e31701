/**
 * The faithful training loop of the CA calibrator (Liu et al. 2024; ca-method.md §3) and the batch loss and
 * scoring kernels both loops share (robust mode: robust.ts). Faithful: the published loop — Adam (PyTorch
 * semantics), batch 1000, lr 1e-4, 10 epochs, a fresh seeded shuffle every epoch, PyTorch-default init, clamp
 * head, class-balanced CA loss, no held-out split.
 * Cost per epoch: O(N·(H·F + C)); buffers are allocated once per fit.
 */
import { Adam } from '../../math/adam.js';
import type { Matrix } from '../../math/matrix.js';
import { Rng } from '../../math/rng.js';
import { batchWeights, LOG_EPS, sampleLoss } from './losses.js';
import { backwardAccumulate, forwardRaw, headDerivative, headTemperature, initPyTorchDefault, paramCount, T_MAX, T_MIN, type NetShape } from './network.js';
import type { CaOptions } from './options.js';

/** The calibration set as the loops see it: features, original logits, labels, unchanged predictions. */
export interface CaTrainData {
  /** N×F features, row-major. */
  readonly x: Float64Array;
  readonly logits: Matrix;
  readonly labels: Int32Array;
  /** argmax of the original logits. */
  readonly pred: Int32Array;
  /** 1 where pred = label. */
  readonly correct: Uint8Array;
}

/**
 * Training curves. Faithful: one point per epoch; robust: one point every `evalEvery` steps. Index 0 is the
 * initialisation (before any step); `step[i]` is the number of Adam steps taken at point i.
 */
export interface CaCurves {
  readonly step: number[];
  readonly trainLoss: number[];
  readonly trainNll: number[];
  /** Robust mode only (empty in faithful mode). */
  readonly heldOutLoss: number[];
  readonly heldOutNll: number[];
  readonly heldOutEce: number[];
}

/** What a training run returns. */
export interface CaTrainResult {
  readonly params: Float64Array;
  readonly curves: CaCurves;
  /** Mini-batch loss of every Adam step, in order (for golden comparisons). */
  readonly stepLosses: number[];
  readonly steps: number;
  /** Adam step whose weights were kept (robust: the selected step; faithful: the last step). */
  readonly selectedStep: number;
  /** Batches whose balanced weights were all 0 and fell back to unit weights. */
  readonly guardedBatches: number;
  readonly converged: boolean;
  readonly warnings: string[];
}

/** Test hooks: explicit initial parameters and explicit per-epoch orders (golden comparison with PyTorch). */
export interface CaTrainHooks {
  readonly initParams?: Float64Array;
  readonly order?: (epoch: number) => Int32Array;
  readonly onProgress?: (fraction: number, message?: string) => void;
}

/** Work buffers of one fit (allocated once; the loops do not allocate). */
export class CaWorkspace {
  readonly pre: Float64Array;
  readonly probs: Float64Array;
  readonly dT = new Float64Array(1);
  readonly w: Float64Array;
  readonly guard = new Int32Array(1);
  constructor(shape: NetShape, classes: number, maxBatch: number) {
    this.pre = new Float64Array(shape.hidden);
    this.probs = new Float64Array(classes);
    this.w = new Float64Array(maxBatch);
  }
}

/** Robust mode's penalty λ·mean_b (r_b − r0)² on the network's deviation from the TS start r0. */
export interface CaPenalty { readonly lambda: number; readonly r0: number }

/**
 * Weighted loss of samples ids[start..end) (plus the optional penalty) and, when `grad` is given, its exact
 * gradient (grad is overwritten). Cost: O((end−start)·(H·F + C)), no allocation.
 */
export function batchLossGrad(shape: NetShape, params: Float64Array, d: CaTrainData, ids: Int32Array, start: number, end: number, opts: Pick<CaOptions, 'loss' | 'weighting'>, ws: CaWorkspace, grad: Float64Array | null, penalty?: CaPenalty): number {
  const sumW = batchWeights(opts.weighting, d.correct, ids, start, end, ws.w, ws.guard);
  if (grad !== null) grad.fill(0);
  const F = shape.features, C = d.logits.cols;
  let total = 0;
  for (let b = start; b < end; b++) {
    const i = ids[b] as number;
    const r = forwardRaw(shape, params, d.x, i * F, ws.pre);
    const T = headTemperature(shape.head, r);
    const l = sampleLoss(opts.loss, d.logits.data, C, i, d.labels[i] as number, d.pred[i] as number, T, ws.probs, ws.dT);
    const wi = (ws.w[b - start] as number) / sumW;
    total += wi * l;
    let gr = grad !== null ? wi * (ws.dT[0] as number) * headDerivative(shape.head, r, T) : 0;
    if (penalty !== undefined) {
      const dev = r - penalty.r0, pw = penalty.lambda / (end - start);
      total += pw * dev * dev;
      gr += 2 * pw * dev;
    }
    if (grad !== null && gr !== 0) backwardAccumulate(shape, params, d.x, i * F, ws.pre, gr, grad);
  }
  return total;
}

/**
 * Loss (whole set as one batch), NLL and 15-bin equal-width top-label ECE of the calibrated set ids, in one
 * pass: each sample's temperature and softmax(z/T) are computed once and serve all three. When `perSample` is
 * given, it receives each sample's share of the loss (|ids|·w_b/Σw·l_b, mean = loss) and `perSampleNll` its
 * −ln p_y. Cost: O(N·(H·F + C)).
 */
export function scoreSet(shape: NetShape, params: Float64Array, d: CaTrainData, ids: Int32Array, opts: Pick<CaOptions, 'loss' | 'weighting'>, ws: CaWorkspace, perSample?: Float64Array, perSampleNll?: Float64Array): { loss: number; nll: number; ece: number } {
  if (ids.length === 0) return { loss: NaN, nll: NaN, ece: NaN };
  const sumW = batchWeights(opts.weighting, d.correct, ids, 0, ids.length, ws.w, ws.guard);
  const bins = 15;
  const cnt = new Float64Array(bins), conf = new Float64Array(bins), acc = new Float64Array(bins);
  const C = d.logits.cols, F = shape.features;
  let loss = 0;
  let nll = 0;
  for (let b = 0; b < ids.length; b++) {
    const i = ids[b] as number;
    const T = headTemperature(shape.head, forwardRaw(shape, params, d.x, i * F, ws.pre));
    const l = sampleLoss(opts.loss, d.logits.data, C, i, d.labels[i] as number, d.pred[i] as number, T, ws.probs, ws.dT);
    const share = ((ws.w[b] as number) / sumW) * l;
    loss += share;
    const nl = -Math.log(Math.max(ws.probs[d.labels[i] as number] as number, LOG_EPS));
    nll += nl;
    if (perSample !== undefined) perSample[b] = share * ids.length;
    if (perSampleNll !== undefined) perSampleNll[b] = nl;
    const c = ws.probs[d.pred[i] as number] as number;
    const bin = Math.min(bins - 1, Math.max(0, Math.ceil(c * bins) - 1));
    cnt[bin] = (cnt[bin] as number) + 1;
    conf[bin] = (conf[bin] as number) + c;
    acc[bin] = (acc[bin] as number) + (d.correct[i] as number);
  }
  let ece = 0;
  for (let k = 0; k < bins; k++) ece += Math.abs((conf[k] as number) - (acc[k] as number));
  return { loss, nll: nll / ids.length, ece: ece / ids.length };
}

/** Fraction of samples in ids whose raw output lies outside the clamp range (zero gradient). */
function deadFraction(shape: NetShape, params: Float64Array, d: CaTrainData, ids: Int32Array, ws: CaWorkspace): number {
  if (shape.head !== 'clamp') return 0;
  let dead = 0;
  for (let b = 0; b < ids.length; b++) {
    const r = forwardRaw(shape, params, d.x, (ids[b] as number) * shape.features, ws.pre);
    if (r < T_MIN || r > T_MAX) dead++;
  }
  return dead / ids.length;
}

/**
 * The faithful loop (module doc) on `d`. Deterministic for a given seed: init draws come first from
 * Rng(seed), then one permutation per epoch. Cost: O(epochs·N·(H·F + C)).
 */
export function trainCa(shape: NetShape, d: CaTrainData, opts: CaOptions, hooks: CaTrainHooks = {}): CaTrainResult {
  const rng = new Rng(opts.seed);
  const init = initPyTorchDefault(shape, rng);
  const params = hooks.initParams !== undefined ? Float64Array.from(hooks.initParams) : init;
  const N = d.logits.rows;
  const trainIds = new Int32Array(N);
  for (let i = 0; i < N; i++) trainIds[i] = i;
  const B = Math.min(opts.batchSize, N);
  const ws = new CaWorkspace(shape, d.logits.cols, N); // whole-set scoring uses one batch of N
  const grad = new Float64Array(paramCount(shape));
  const adam = new Adam(grad.length, { lr: opts.lr });
  const curves: CaCurves = { step: [], trainLoss: [], trainNll: [], heldOutLoss: [], heldOutNll: [], heldOutEce: [] };
  const warnings: string[] = [];
  const stepLosses: number[] = [];
  const record = (): void => {
    const tr = scoreSet(shape, params, d, trainIds, opts, ws);
    curves.step.push(adam.steps);
    curves.trainLoss.push(tr.loss);
    curves.trainNll.push(tr.nll);
  };
  const dead0 = deadFraction(shape, params, d, trainIds, ws);
  record();
  let epoch = 0;
  while (epoch < opts.epochs) {
    const order: Int32Array = hooks.order !== undefined ? hooks.order(epoch) : rng.shuffle(Int32Array.from(trainIds));
    for (let s = 0; s < order.length; s += B) {
      const e = Math.min(order.length, s + B);
      stepLosses.push(batchLossGrad(shape, params, d, order, s, e, opts, ws, grad));
      adam.step(params, grad);
    }
    epoch++;
    record();
    hooks.onProgress?.(epoch / opts.epochs, `epoch ${epoch}`);
  }
  const guarded = ws.guard[0] as number;
  if (guarded > 0) warnings.push(guardedWarning(guarded));
  if (shape.head === 'clamp' && dead0 > 0.5) warnings.push(`at initialisation ${(100 * dead0).toFixed(1)}% of samples had a raw output outside [0.1, 10] (clamp dead zone, zero gradient); robust mode avoids this`);
  let converged = true;
  const deadEnd = deadFraction(shape, params, d, trainIds, ws);
  if (deadEnd > 0.5) { converged = false; warnings.push(`after training ${(100 * deadEnd).toFixed(1)}% of samples sit at the clamp bound (T = 0.1 or 10) with zero gradient; use mode=robust or head=sigmoid`); }
  const tl = curves.trainLoss;
  const last = tl[tl.length - 1] as number, prev = tl[tl.length - 2] as number;
  if (prev - last > 1e-4 * Math.abs(prev)) { converged = false; warnings.push(`faithful mode: training loss still falling after ${epoch} epochs (lr ${opts.lr}, published schedule)`); }
  return { params, curves, stepLosses, steps: adam.steps, selectedStep: adam.steps, guardedBatches: guarded, converged, warnings };
}

/** The warning for batches whose balanced weights were all 0. */
export function guardedWarning(guarded: number): string {
  return `${guarded} batch(es) were all-correct or all-wrong: balanced weights were all 0 (NaN in the published code); used unit weights`;
}
