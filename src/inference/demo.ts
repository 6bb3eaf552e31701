/**
 * The engine of `calibra demo`: for one zoo model, compute views logits on a calibration split and on test
 * sets (in-distribution, corruptions, natural shift), fit every calibrator, and evaluate each on each test
 * set with the CA paper's metrics (Liu et al. 2024, arXiv:2404.13016, `ca_paper.*`) and calibra's default
 * ones. Pure orchestration: datasets, corruptions and the classifier are passed in, so it is tested on small
 * inputs. Cost: (1 + #views) model passes per image of every set, plus the calibrator fits.
 */
import { argmaxRow } from '../math/softmax.js';
import type { ImageDataset } from '../datasets/types.js';
import type { Matrix } from '../math/matrix.js';
import { getCalibrator, calibratorSpecs } from '../calibrators/core/registry.js';
import type { CalibrationInput, RawOptions } from '../calibrators/core/types.js';
import { evaluateMetrics } from '../metrics/evaluate.js';
import { isCalibraError } from '../errors.js';
import type { RunOptions } from './onnx-runner.js';
import { computeViewsLogits, type CorruptionStep, type ImageClassifier, type ViewsRun } from './views-pipeline.js';

/** One method row of the demo table. */
export interface DemoMethod {
  readonly label: string;
  /** Calibrator id in src/calibrators/core/registry.ts; the first registered of `id` and `fallbacks` is used. */
  readonly id: string;
  readonly fallbacks?: readonly string[];
  readonly options: RawOptions;
}

/** The demo's methods, in table order (the paper's Table rows plus calibra's extras). */
export const DEMO_METHODS: readonly DemoMethod[] = [
  { label: 'uncalibrated', id: 'none', options: {} },
  { label: 'TS', id: 'ts', options: {} },
  { label: 'ETS', id: 'ets', options: {} },
  { label: 'IRM', id: 'irm', options: {} },
  { label: 'Dirichlet (ODIR)', id: 'dirichlet-odir', fallbacks: ['dirichlet'], options: {} },
  { label: 'spline', id: 'spline', options: {} },
  { label: 'PTS', id: 'pts', options: {} },
  { label: 'CE-trained', id: 'ca', options: { loss: 'ce' } },
  { label: 'CA (robust)', id: 'ca', options: { mode: 'robust' } },
  { label: 'CA (faithful)', id: 'ca', options: { mode: 'faithful' } },
];

/** The five reported metrics, by preset: the CA paper's code (`ca-paper`) and calibra's `default`. */
export const DEMO_METRICS = ['ece', 'brier', 'ks', 'auroc', 'nll'] as const;
export type DemoMetric = (typeof DEMO_METRICS)[number];
/** Metric ids per preset. The paper's Brier is top-label (mean (c − a)²); the default is the multiclass one. */
export const DEMO_METRIC_IDS: Readonly<Record<'paper' | 'default', Readonly<Record<DemoMetric, string>>>> = {
  paper: { ece: 'ca_paper.ece', brier: 'ca_paper.bs', ks: 'ca_paper.ks', auroc: 'ca_paper.auc', nll: 'nll' },
  default: { ece: 'ece', brier: 'brier', ks: 'ks', auroc: 'auroc', nll: 'nll' },
};

/** A set of images to evaluate on. */
export interface DemoTestSet {
  readonly id: string;
  readonly kind: 'id' | 'corruption' | 'natural';
  readonly dataset: ImageDataset;
  readonly indices?: ArrayLike<number>;
  readonly corruption?: CorruptionStep;
}

/** Everything the engine needs for one model. */
export interface DemoModelPlan {
  readonly modelId: string;
  readonly description: string;
  readonly classifier: ImageClassifier;
  readonly calibration: { readonly dataset: ImageDataset; readonly indices: ArrayLike<number>; readonly note: string };
  readonly testSets: readonly DemoTestSet[];
  readonly views: readonly string[];
  readonly methods: readonly DemoMethod[];
  readonly seed: number;
  readonly run?: RunOptions;
  /** Receives each method's calibrated probabilities on each test set (e.g. to build the HTML report). */
  readonly onPredictions?: (methodLabel: string, testSetId: string, probs: Matrix<Float64Array>, labels: Int32Array) => void;
}

/** How a method fared. */
export interface DemoMethodStatus {
  readonly label: string;
  readonly id: string;
  readonly options: RawOptions;
  readonly status: 'ok' | 'missing' | 'failed';
  readonly message?: string;
  readonly fitSeconds?: number;
  readonly warnings?: readonly string[];
}

/** Metric values of one method on one test set. */
export interface DemoCell {
  readonly paper: Readonly<Record<DemoMetric, number>>;
  readonly default: Readonly<Record<DemoMetric, number>>;
  readonly accuracy: number;
}

/** The demo result for one model (also the JSON written to the output folder). */
export interface DemoModelResult {
  readonly model: string;
  readonly description: string;
  readonly calibration: { readonly n: number; readonly accuracy: number; readonly note: string };
  readonly testSets: readonly { readonly id: string; readonly kind: DemoTestSet['kind']; readonly n: number; readonly accuracy: number; readonly note: string }[];
  readonly methods: readonly DemoMethodStatus[];
  /** results[methodLabel][testSetId]. */
  readonly results: Readonly<Record<string, Readonly<Record<string, DemoCell>>>>;
}

/** Progress: stage name and fraction of the whole model's work. */
export type DemoProgress = (fraction: number, message: string) => void;

function accuracyOf(logits: Matrix, labels: Int32Array): number {
  let ok = 0;
  for (let i = 0; i < logits.rows; i++) {
    if (argmaxRow(logits.data, logits.cols, i) === labels[i]) ok++;
  }
  return ok / logits.rows;
}

function inputOf(run: ViewsRun): CalibrationInput {
  return { logits: run.original, views: { names: run.views.names, logits: run.views.logits } };
}

function evaluateCell(probs: Matrix, labels: Int32Array): DemoCell {
  const paperIds = Object.values(DEMO_METRIC_IDS.paper);
  const defIds = Object.values(DEMO_METRIC_IDS.default);
  const values = evaluateMetrics(probs, labels, [...new Set([...paperIds, ...defIds, 'accuracy'])]);
  const pick = (ids: Readonly<Record<DemoMetric, string>>): Record<DemoMetric, number> => {
    const out = {} as Record<DemoMetric, number>;
    for (const m of DEMO_METRICS) out[m] = values[ids[m]] as number;
    return out;
  };
  return { paper: pick(DEMO_METRIC_IDS.paper), default: pick(DEMO_METRIC_IDS.default), accuracy: values['accuracy'] as number };
}

/** Resolves a method to a registered calibrator id, or null when none is registered. */
export function resolveMethodId(m: DemoMethod): string | null {
  for (const id of [m.id, ...(m.fallbacks ?? [])]) if (calibratorSpecs.some((s) => s.id === id)) return id;
  return null;
}

/**
 * Runs the whole demo for one model. Methods that are not registered are listed as 'missing'; a method
 * whose fit throws is listed as 'failed' with the message, and the others still run.
 */
export async function runDemoModel(plan: DemoModelPlan, onProgress: DemoProgress = () => undefined): Promise<DemoModelResult> {
  const sets = plan.testSets.length + 1;
  const fitShare = 0.25;
  const stage = (k: number, name: string) => (f: number): void => onProgress(((k + f) / sets) * (1 - fitShare), name);
  const calRun = await computeViewsLogits(plan.classifier, plan.calibration.dataset, { views: plan.views, seed: plan.seed, indices: plan.calibration.indices }, { ...plan.run, onProgress: stage(0, 'calibration views') });
  const testRuns: ViewsRun[] = [];
  for (let t = 0; t < plan.testSets.length; t++) {
    const ts = plan.testSets[t] as DemoTestSet;
    testRuns.push(await computeViewsLogits(plan.classifier, ts.dataset, {
      views: plan.views, seed: plan.seed + 1,
      ...(ts.indices !== undefined ? { indices: ts.indices } : {}),
      ...(ts.corruption !== undefined ? { corruption: ts.corruption } : {}),
    }, { ...plan.run, onProgress: stage(t + 1, `test ${ts.id}`) }));
  }

  const statuses: DemoMethodStatus[] = [];
  const results: Record<string, Record<string, DemoCell>> = {};
  const calInput = { ...inputOf(calRun), labels: calRun.labels };
  for (let mi = 0; mi < plan.methods.length; mi++) {
    const m = plan.methods[mi] as DemoMethod;
    onProgress(1 - fitShare + (fitShare * mi) / plan.methods.length, `fit ${m.label}`);
    const id = resolveMethodId(m);
    if (id === null) { statuses.push({ label: m.label, id: m.id, options: m.options, status: 'missing', message: `no calibrator '${m.id}' is registered` }); continue; }
    const t0 = Date.now();
    try {
      const fit = getCalibrator(id).fit(calInput, m.options, { seed: plan.seed });
      const fitSeconds = (Date.now() - t0) / 1000;
      const row: Record<string, DemoCell> = {};
      plan.testSets.forEach((ts, t) => {
        const run = testRuns[t] as ViewsRun;
        const probs = fit.model.predictProba(inputOf(run));
        row[ts.id] = evaluateCell(probs, run.labels);
        plan.onPredictions?.(m.label, ts.id, probs, run.labels);
      });
      results[m.label] = row;
      statuses.push({ label: m.label, id, options: m.options, status: 'ok', fitSeconds, warnings: fit.warnings });
    } catch (e) {
      const message = isCalibraError(e) ? `${e.code}: ${e.message}` : (e as Error).message;
      statuses.push({ label: m.label, id, options: m.options, status: 'failed', message });
    }
  }
  onProgress(1, 'done');
  return {
    model: plan.modelId,
    description: plan.description,
    calibration: { n: calRun.labels.length, accuracy: accuracyOf(calRun.original, calRun.labels), note: plan.calibration.note },
    testSets: plan.testSets.map((ts, t) => {
      const run = testRuns[t] as ViewsRun;
      return { id: ts.id, kind: ts.kind, n: run.labels.length, accuracy: accuracyOf(run.original, run.labels), note: ts.dataset.note };
    }),
    methods: statuses,
    results,
  };
}
