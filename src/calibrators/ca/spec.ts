/**
 * `ca`: correctness-aware calibration (Liu, Wang, Zou, Zou, Zheng 2024, "Optimizing Calibration by Gaining
 * Aware of Prediction Correctness", arXiv 2404.13016). A small MLP maps the probabilities that transformed
 * views give the original top-k classes to a per-sample temperature, trained with the CA loss.
 * Modes: `robust` (default) and `faithful` (the published loop); ablations: loss=ce|mse, viewsUsed=none.
 * Cost of fit: O(epochs·N·(H·F + C)); 50 000 samples × 10 classes fit in seconds.
 */
import { CalibraError } from '../../errors.js';
import { argmaxRows } from '../../math/softmax.js';
import { checkLabelled } from '../core/checks.js';
import type { CalibratorJSON, CalibratorSpec, FitContext, FitResult, LabelledInput, RawOptions } from '../core/types.js';
import { caFeatures, featureCount, selectViews } from './features.js';
import { CA_ID, CaModel, caModelFromJSON } from './model.js';
import type { NetShape } from './network.js';
import { CA_DEFAULTS, resolveCaOptions, type CaOptions } from './options.js';
import { trainCa, type CaCurves, type CaTrainHooks } from './training.js';

/** FitResult of `ca`, with the per-epoch curves (train and held-out) and the resolved options. */
export interface CaFitResult extends FitResult {
  readonly model: CaModel;
  readonly options: CaOptions;
  readonly curves: CaCurves;
  readonly stepLosses: readonly number[];
  readonly bestEpoch: number;
}

/**
 * Fits CA on a labelled views set. `lossCurve` is the per-epoch training loss (index 0 = initialisation);
 * `curves` also holds the held-out loss/NLL/ECE of robust mode.
 * @example fitCa({logits, labels, views}, {mode: 'faithful'}, {seed: 0}).model.predictTemperatures({logits, views})
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
  const res = trainCa(shape, { x: x.data, logits: data.logits, labels: data.labels, pred, correct }, opts, { ...hooks, ...(onProgress !== undefined ? { onProgress } : {}) });
  const lossCurve = res.curves.trainLoss;
  const loss = lossCurve[res.bestEpoch] ?? null;
  const options: Record<string, unknown> = { ...opts, viewsUsed: opts.viewsUsed.join(',') };
  const model = new CaModel({ numClasses: data.logits.cols, viewsUsed: opts.viewsUsed, k: opts.k, shape, params: res.params, options, fit: { converged: res.converged, iterations: res.steps, loss, warnings: res.warnings }, seed: opts.seed });
  return { model, converged: res.converged, iterations: res.steps, loss, warnings: res.warnings, lossCurve, options: opts, curves: res.curves, stepLosses: res.stepLosses, bestEpoch: res.bestEpoch };
}

/**
 * The registered `ca` spec (input: views). Options: mode, loss, weighting, head, viewsUsed, k, hidden, lr,
 * epochs, batchSize, seed, holdout, patience, select (see docs/ca.md).
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
