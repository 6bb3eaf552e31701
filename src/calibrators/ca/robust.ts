/**
 * Robust training of the CA calibrator (a documented redesign, docs/ca.md "Robust mode"):
 * 1. temperature scaling is fitted first (NLL, all calibration rows) and the network starts at T(x) = T_TS for
 *    every sample (output weights 0, output bias at the head's raw value for T_TS), so CA can only improve on TS
 *    by learning per-sample deviations g(x) = ln T(x) − ln T_TS (with the `exp` head);
 * 2. a seeded held-out split (default 20 %) is set aside; the rest trains with a fixed budget of Adam steps on
 *    seeded mini-batches of min(batchSize, rows), so 500 samples get as many updates as 50 000;
 * 3. a small penalty λ·mean (r − r_TS)² keeps the deviation near 0 where the data do not ask for one;
 * 4. every `evalEvery` steps (and at step 0, i.e. TS itself) the held-out split is scored; the parameters with
 *    the best held-out criterion (default: the CA loss, the training objective itself) are kept, but only if
 *    their gain over the TS start exceeds `seRule` standard errors of the paired per-sample difference (else
 *    the TS start is kept: with few or uninformative samples CA falls back to TS instead of fitting noise);
 * 5. `rescale=nll`: one global factor c on every T(x) is refitted by NLL (temperature scaling of the CA-scaled
 *    logits), so the CA loss shapes the per-sample deviations while the overall level stays NLL-calibrated (the
 *    unweighted CA loss alone settles at a lower, over-confident level: docs/ca.md "How robust mode was chosen").
 * Cost: O(steps·B·(H·F + C) + (steps/evalEvery)·N_held·(H·F + C)) plus one TS fit; independent of N in the steps.
 */
import { Adam } from '../../math/adam.js';
import { Rng } from '../../math/rng.js';
import { fitTemperature } from '../scaling/temperature.js';
import { forwardRaw, headTemperature, initAtTemperature, paramCount, paramOffsets, type NetShape } from './network.js';
import type { CaOptions } from './options.js';
import { batchLossGrad, CaWorkspace, guardedWarning, scoreSet, type CaCurves, type CaTrainData, type CaTrainHooks, type CaTrainResult } from './training.js';

/** What robust training adds to a training result. */
export interface CaRobustResult extends CaTrainResult {
  /** The temperature-scaling solution every T(x) starts from. */
  readonly tTs: number;
  /** Row ids of the held-out split (empty when the set is too small to split). */
  readonly heldOut: Int32Array;
  /** The global factor of rescale=nll (1 when not applied). */
  readonly rescale: number;
}

/** Smallest calibration set that is split into training and held-out parts. */
export const MIN_SPLIT_ROWS = 20;

/**
 * Trains the network robustly (module doc). Deterministic for a given seed: Rng(seed) draws the hidden-layer
 * init, then the held-out split, then the mini-batch orders. Cost: see the module doc.
 */
export function trainRobust(shape: NetShape, d: CaTrainData, opts: CaOptions, hooks: CaTrainHooks = {}): CaRobustResult {
  const warnings: string[] = [];
  const ts = fitTemperature(d.logits, d.labels);
  for (const w of ts.warnings) warnings.push(`temperature-scaling start: ${w}`);
  const rng = new Rng(opts.seed);
  const init = initAtTemperature(shape, rng, ts.temperature);
  const params = hooks.initParams !== undefined ? Float64Array.from(hooks.initParams) : init;
  const startParams = Float64Array.from(params);
  const r0 = params[paramOffsets(shape).b2] as number;
  const N = d.logits.rows;
  let trainIds: Int32Array, heldIds: Int32Array;
  if (N >= MIN_SPLIT_ROWS && opts.select !== 'none') {
    const perm = rng.permutation(N);
    const nHeld = Math.max(1, Math.round(opts.holdout * N));
    heldIds = perm.slice(0, nHeld).sort();
    trainIds = perm.slice(nHeld).sort();
  } else {
    trainIds = Int32Array.from({ length: N }, (_, i) => i);
    heldIds = new Int32Array(0);
    if (opts.select !== 'none') warnings.push(`robust mode: only ${N} calibration rows (< ${MIN_SPLIT_ROWS}), no held-out split; kept the last step`);
  }
  const B = Math.min(opts.batchSize, trainIds.length);
  const ws = new CaWorkspace(shape, d.logits.cols, Math.max(B, heldIds.length));
  const grad = new Float64Array(paramCount(shape));
  const adam = new Adam(grad.length, { lr: opts.lr });
  const penalty = opts.penalty > 0 ? { lambda: opts.penalty, r0 } : undefined;
  const curves: CaCurves = { step: [], trainLoss: [], trainNll: [], heldOutLoss: [], heldOutNll: [], heldOutEce: [] };
  const stepLosses: number[] = [];
  const select = heldIds.length > 0 ? opts.select : 'none';
  // Scores the held-out split (the training batch losses are the train curve: scoring all training rows at
  // every evaluation would cost O(N) and break the N-independent budget).
  let lastTrain = NaN;
  const crit = new Float64Array(heldIds.length), crit0 = new Float64Array(heldIds.length);
  const perLoss = select === 'loss' ? crit : undefined, perNll = select === 'nll' ? crit : undefined;
  const record = (): number => {
    curves.step.push(adam.steps);
    curves.trainLoss.push(lastTrain);
    curves.trainNll.push(NaN);
    if (select === 'none') return 0;
    const ho = scoreSet(shape, params, d, heldIds, opts, ws, perLoss, perNll);
    curves.heldOutLoss.push(ho.loss);
    curves.heldOutNll.push(ho.nll);
    curves.heldOutEce.push(ho.ece);
    return select === 'nll' ? ho.nll : select === 'ece' ? ho.ece : ho.loss;
  };
  /** Standard error of the mean paired held-out difference (current − step 0) of the criterion. */
  const pairedSe = (): number => {
    const n = crit.length;
    let m = 0;
    for (let b = 0; b < n; b++) m += (crit[b] as number) - (crit0[b] as number);
    m /= n;
    let v = 0;
    for (let b = 0; b < n; b++) { const e = (crit[b] as number) - (crit0[b] as number) - m; v += e * e; }
    return n > 1 ? Math.sqrt(v / (n - 1) / n) : Infinity;
  };
  const start = record();
  crit0.set(crit);
  let best = start;
  let bestSe = 0;
  let selectedStep = 0;
  const bestParams = Float64Array.from(params);
  let order = rng.shuffle(Int32Array.from(trainIds));
  let at = 0;
  let window = 0, windowN = 0;
  for (let step = 1; step <= opts.steps; step++) {
    if (at + B > order.length) { order = rng.shuffle(order); at = 0; }
    const batchLoss = batchLossGrad(shape, params, d, order, at, at + B, opts, ws, grad, penalty);
    window += batchLoss;
    windowN++;
    stepLosses.push(batchLoss);
    at += B;
    adam.step(params, grad);
    if (step % opts.evalEvery === 0 || step === opts.steps) {
      lastTrain = window / windowN;
      window = 0; windowN = 0;
      const score = record();
      if (select === 'none' || score < best) { best = score; selectedStep = step; bestParams.set(params); bestSe = select === 'ece' ? 0 : pairedSe(); }
      hooks.onProgress?.(step / opts.steps, `step ${step}`);
    }
  }
  // The one-standard-error rule: leave the TS start only when the held-out gain exceeds seRule paired SEs.
  const lastEval = curves.step[curves.step.length - 1] as number;
  const converged = select === 'none' || opts.steps === 0 || selectedStep < lastEval;
  if (select !== 'none' && selectedStep > 0 && start - best <= opts.seRule * bestSe) {
    warnings.push(`robust mode: the best held-out ${select} (step ${selectedStep}, ${best.toPrecision(5)} vs ${start.toPrecision(5)} at the TS start) is within ${opts.seRule} standard error(s) of the start; kept the temperature-scaling start`);
    selectedStep = 0;
    bestParams.set(startParams);
  }
  params.set(bestParams);
  const rescale = opts.rescale === 'nll' && selectedStep > 0 ? rescaleByNll(shape, params, d) : 1;
  if (opts.rescale === 'nll' && selectedStep > 0 && shape.head === 'sigmoid') warnings.push('robust mode: rescale=nll needs head exp or clamp; the sigmoid head is left as trained');
  const guarded = ws.guard[0] as number;
  if (guarded > 0) warnings.push(guardedWarning(guarded));
  if (!converged) warnings.push(`robust mode: held-out ${select} still improving at the last of ${opts.steps} steps; raise steps`);
  return { params, curves, stepLosses, steps: adam.steps, selectedStep, guardedBatches: guarded, converged, warnings, tTs: ts.temperature, heldOut: heldIds, rescale };
}

/** Largest number of logit entries the rescale fit reads (larger sets use an evenly strided row subsample). */
export const RESCALE_MAX_ENTRIES = 4e6;

/**
 * Fits c in T(x) → c·T(x) by NLL (fitTemperature on the rows' logits divided by their T) and folds it into the
 * output layer: exp head b2 += ln c (exact), clamp head w2, b2 *= c (exact inside the clamp range); the sigmoid
 * head cannot express it and is left unchanged. Returns c (1 when unchanged). Cost O(min(N, 4e6/C)·C) per solver pass.
 */
function rescaleByNll(shape: NetShape, params: Float64Array, d: CaTrainData): number {
  if (shape.head === 'sigmoid') return 1;
  const N = d.logits.rows, C = d.logits.cols;
  const S = Math.min(N, Math.max(1000, Math.floor(RESCALE_MAX_ENTRIES / C)));
  const rows = Int32Array.from({ length: S }, (_, j) => Math.floor((j * N) / S));
  const T = new Float64Array(S);
  const pre = new Float64Array(shape.hidden);
  const scaled = new Float64Array(S * C);
  const labels = new Int32Array(S);
  for (let j = 0; j < S; j++) {
    const i = rows[j] as number;
    T[j] = headTemperature(shape.head, forwardRaw(shape, params, d.x, i * shape.features, pre));
    const inv = 1 / (T[j] as number);
    for (let k = 0; k < C; k++) scaled[j * C + k] = (d.logits.data[i * C + k] as number) * inv;
    labels[j] = d.labels[i] as number;
  }
  const c = fitTemperature({ data: scaled, rows: S, cols: C }, labels).temperature;
  const o = paramOffsets(shape);
  if (shape.head === 'exp') params[o.b2] = (params[o.b2] as number) + Math.log(c);
  else {
    for (let h = 0; h < shape.hidden; h++) params[o.w2 + h] = (params[o.w2 + h] as number) * c;
    params[o.b2] = (params[o.b2] as number) * c;
  }
  return c;
}

