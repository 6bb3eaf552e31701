/**
 * `ca`: correctness-aware calibration (Liu, Wang, Zou, Zou, Zheng 2024, "Optimizing Calibration by Gaining
 * Aware of Prediction Correctness", arXiv 2404.13016). A small MLP maps the probabilities that transformed
 * views give the original top-k classes to a per-sample temperature, trained with the CA loss.
 * Modes: `robust` (default: TS start, fixed step budget, held-out selection; robust.ts) and `faithful` (the
 * published loop; training.ts); ablations: loss=ce|mse, viewsUsed=none, k, weighting.
 * Cost of fit: faithful O(epochs·N·(H·F + C)); robust O(TS fit + steps·B·(H·F + C) + evals·N_held·(H·F + C)).
 */
import { CalibraError } from '../../errors.js';
import { argmaxRows } from '../../math/softmax.js';
import { checkLabelled } from '../core/checks.js';
import type { CalibratorJSON, CalibratorSpec, FitContext, FitResult, LabelledInput, RawOptions } from '../core/types.js';
import { caFeatures, featureCount, selectViews } from './features.js';
import { CA_ID, CaModel, caModelFromJSON } from './model.js';
import { predictTemperaturesInto, type NetShape } from './network.js';
import { CA_DEFAULTS, resolveCaOptions, type CaOptions } from './options.js';
import { caDiagnostics, collapseWarning, formatCaDiagnostics, type CaDiagnostics } from './diagnostics.js';
import { trainRobust } from './robust.js';
import { trainCa, type CaCurves, type CaTrainHooks, type CaTrainResult } from './training.js';

/** FitResult of `ca`, with the training curves, the resolved options and the diagnostics. */
export interface CaFitResult extends FitResult {
  readonly model: CaModel;
  readonly options: CaOptions;
  readonly curves: CaCurves;
  readonly stepLosses: readonly number[];
  /** Adam step whose weights were kept (robust: held-out selection; faithful: the last step). */
  readonly selectedStep: number;
  readonly diagnostics: CaDiagnostics;
  /** Robust mode: the calibration rows held out for selection (the diagnostics are computed on them); empty in faithful mode. */
  readonly heldOut: Int32Array;
}

/**
 * Fits CA on a labelled views set. `lossCurve` is the training loss at each curve point (faithful: per epoch,
 * index 0 = initialisation; robust: the mean mini-batch loss of each `evalEvery` window); `curves` also holds
 * the held-out loss/NLL/ECE of robust mode; `diagnostics` the spread of T and its AUROC for wrong-vs-right.
 * @example
 * const n = 40, C = 4;
 * const logits = { data: Float64Array.from({ length: n * C }, (_, i) => 3 * Math.sin(i)), rows: n, cols: C };
 * const labels = Int32Array.from({ length: n }, (_, i) => i % C);
 * const views = { names: ['rotation', 'greyscale', 'colorjitter'], logits: [logits, logits, logits] };
 * const T = fitCa({ logits, labels, views }, { mode: 'faithful', epochs: 1 }, { seed: 0 }).model.predictTemperatures({ logits, views });
 * T.length // => 40
 * T.every((t) => t >= 0.1 && t <= 10) // => true
 */
export function fitCa(data: LabelledInput, raw: RawOptions, ctx: FitContext, hooks: CaTrainHooks = {}): CaFitResult {
  checkLabelled(data, CA_ID);
  const opts = resolveCaOptions(raw, ctx.seed);
  if (opts.k > data.logits.cols) throw new CalibraError('E_OPTION', `ca: k=${opts.k} is larger than the number of classes ${data.logits.cols}`, { fix: `give k ≤ ${data.logits.cols}` });
  const views = selectViews(data.views, opts.viewsUsed, data.logits);
  const x = caFeatures(data.logits, views, opts.k);
  const pred = argmaxRows(data.logits);
  const correct = new Uint8Array(pred.length);
  for (let i = 0; i < pred.length; i++) correct[i] = pred[i] === data.labels[i] ? 1 : 0;
  const shape: NetShape = { features: featureCount(views.length, opts.k), hidden: opts.hidden, head: opts.head };
  const onProgress = hooks.onProgress ?? ctx.onProgress;
  const td = { x: x.data, logits: data.logits, labels: data.labels, pred, correct };
  const h = { ...hooks, ...(onProgress !== undefined ? { onProgress } : {}) };
  let res: CaTrainResult, tTs: number | null = null, rescale: number | null = null, heldOut: Int32Array = new Int32Array(0);
  if (opts.mode === 'robust') {
    const r = trainRobust(shape, td, opts, h);
    res = r; tTs = r.tTs; rescale = r.rescale; heldOut = r.heldOut;
  } else {
    res = trainCa(shape, td, opts, h);
  }
  const lossCurve = res.curves.trainLoss;
  const at = res.curves.step.indexOf(res.selectedStep);
  const lossAt = at >= 0 ? lossCurve[at] : undefined;
  const loss = lossAt !== undefined && Number.isFinite(lossAt) ? lossAt : null;
  const T = predictTemperaturesInto(shape, res.params, x.data, x.rows, new Float64Array(x.rows));
  const onHeld = heldOut.length > 0;
  const Tsub = onHeld ? Float64Array.from(heldOut, (i) => T[i] as number) : T;
  const csub = onHeld ? Uint8Array.from(heldOut, (i) => correct[i] as number) : correct;
  const diagnostics = caDiagnostics(Tsub, csub, { tTs, rescale, on: onHeld ? 'held-out' : 'calibration', steps: res.steps, selectedStep: res.selectedStep });
  const warnings = [...res.warnings];
  const cw = collapseWarning(diagnostics);
  if (cw !== null) warnings.push(cw);
  const options: Record<string, unknown> = { ...opts, viewsUsed: opts.viewsUsed.join(',') };
  const model = new CaModel({ numClasses: data.logits.cols, viewsUsed: opts.viewsUsed, k: opts.k, shape, params: res.params, options, fit: { converged: res.converged, iterations: res.steps, loss, warnings }, seed: opts.seed, diagnostics });
  return { model, converged: res.converged, iterations: res.steps, loss, warnings, lossCurve, summary: formatCaDiagnostics(diagnostics), options: opts, curves: res.curves, stepLosses: res.stepLosses, selectedStep: res.selectedStep, diagnostics, heldOut };
}

/**
 * The registered `ca` spec (input: views). Options: mode, loss, weighting, head, viewsUsed, k, hidden, lr,
 * epochs, steps, evalEvery, penalty, batchSize, seed, holdout, select, seRule, rescale (see docs/ca.md).
 */
export const caSpec: CalibratorSpec = {
  id: CA_ID,
  title: 'Correctness-aware calibration (Liu et al. 2024, arXiv 2404.13016)',
  input: 'views',
  preservesArgmax: true,
  defaults: CA_DEFAULTS,
  fit: (data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult => fitCa(data, options, ctx),
  load: (json: CalibratorJSON): CaModel => caModelFromJSON(json),
};
