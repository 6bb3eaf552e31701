/**
 * The fitted CA calibrator: an immutable per-sample temperature network plus the view names and order it was
 * fitted with. `predictTemperatures` gives T_i from sample i's own views only (no test-set statistics);
 * `predictProba` returns softmax(z_i / T_i), which keeps every argmax since T_i > 0.
 * Cost of predict: O(N·(C·(V + k) + H·F)).
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { softmaxPerRowTemperature } from '../../math/softmax.js';
import { checkPredictInput } from '../core/checks.js';
import { envelope } from '../core/envelope.js';
import type { CalibrationInput, CalibratorJSON, FittedCalibrator } from '../core/types.js';
import { caFeatures, featureCount, selectViews } from './features.js';
import { paramCount, paramOffsets, predictTemperaturesInto, T_MAX, T_MIN, type NetShape } from './network.js';
import type { CaHead } from './options.js';
import type { CaDiagnostics } from './diagnostics.js';

/** Method id. */
export const CA_ID = 'ca';

/** Everything a fitted CA model holds. */
export interface CaModelState {
  readonly numClasses: number;
  /** View names used as features, in feature order (empty = "CA only"). */
  readonly viewsUsed: readonly string[];
  readonly k: number;
  readonly shape: NetShape;
  readonly params: Float64Array;
  /** The resolved settings, stored as given (JSON values). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly fit: CalibratorJSON['fit'];
  readonly seed: number;
  /** Fit diagnostics (spread of T, AUROC of T for wrong-vs-right, steps); absent in files from older versions. */
  readonly diagnostics?: CaDiagnostics;
}

/** A fitted CA model (FittedCalibrator plus per-sample temperatures). */
export class CaModel implements FittedCalibrator {
  readonly method = CA_ID;
  readonly preservesArgmax = true;
  readonly numClasses: number;
  private readonly state: CaModelState;

  constructor(state: CaModelState) {
    this.state = { ...state, params: Float64Array.from(state.params) };
    this.numClasses = state.numClasses;
  }

  /** The view names the model reads, in order. */
  get viewsUsed(): readonly string[] { return this.state.viewsUsed; }

  /** The fit diagnostics stored with the model (undefined for files written before they existed). */
  get diagnostics(): CaDiagnostics | undefined { return this.state.diagnostics; }

  /**
   * Per-sample temperatures T_i ∈ [0.1, 10]; T_i depends only on sample i's original logits and views.
   * Throws E_VIEWS_MISMATCH when a view the model was fitted with is missing.
   */
  predictTemperatures(input: CalibrationInput): Float64Array {
    checkPredictInput(input.logits, this.numClasses, CA_ID);
    const s = this.state;
    const views = selectViews(input.views, s.viewsUsed, input.logits);
    const x = caFeatures(input.logits, views, s.k);
    return predictTemperaturesInto(s.shape, s.params, x.data, x.rows, new Float64Array(x.rows));
  }

  /** softmax(z_i / T_i) per row, N×K. */
  predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array> {
    const T = this.predictTemperatures(input);
    return softmaxPerRowTemperature(input.logits, T, out);
  }

  /** The JSON envelope; numbers are written shortest-round-trip, so load(toJSON()) is bit-identical. */
  toJSON(): CalibratorJSON {
    const s = this.state;
    const o = paramOffsets(s.shape);
    const F = s.shape.features, H = s.shape.hidden;
    const W1: number[][] = [];
    for (let h = 0; h < H; h++) W1.push(Array.from(s.params.subarray(o.W1 + h * F, o.W1 + (h + 1) * F)));
    return envelope({
      method: CA_ID, input: 'views', numClasses: s.numClasses, reduction: 'none',
      options: { ...s.options },
      params: {
        viewsUsed: [...s.viewsUsed], k: s.k, hidden: H, head: s.shape.head, tMin: T_MIN, tMax: T_MAX,
        W1, b1: Array.from(s.params.subarray(o.b1, o.b1 + H)), w2: Array.from(s.params.subarray(o.w2, o.w2 + H)), b2: s.params[o.b2] as number,
        ...(s.diagnostics !== undefined ? { diagnostics: diagnosticsJSON(s.diagnostics) } : {}),
      },
      fit: s.fit,
      seed: s.seed,
    });
  }
}

/** Diagnostics as JSON (NaN, e.g. an AUROC with one class only, becomes null). */
function diagnosticsJSON(d: CaDiagnostics): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) out[k] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
  return out;
}

function diagnosticsFromJSON(v: unknown): CaDiagnostics | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || v === null) throw invalid('diagnostics', 'expected an object');
  const o = v as Record<string, unknown>;
  const num = (k: string, nullable = false): number => {
    const x = o[k];
    if (typeof x === 'number' && Number.isFinite(x)) return x;
    if (nullable && x === null) return Number.NaN;
    throw invalid(`diagnostics.${k}`, 'expected a finite number');
  };
  const on = o['on'];
  if (on !== 'held-out' && on !== 'calibration') throw invalid('diagnostics.on', "expected 'held-out' or 'calibration'");
  if (typeof o['collapsed'] !== 'boolean') throw invalid('diagnostics.collapsed', 'expected true or false');
  return {
    tTs: o['tTs'] === null ? null : num('tTs'), rescale: o['rescale'] === null ? null : num('rescale'), tMean: num('tMean'), tSd: num('tSd'), tP5: num('tP5'), tP50: num('tP50'), tP95: num('tP95'),
    tAurocWrong: num('tAurocWrong', true), on, rows: num('rows'), steps: num('steps'), selectedStep: num('selectedStep'), collapsed: o['collapsed'],
  };
}

function invalid(field: string, what: string): CalibraError {
  return new CalibraError('E_MODEL_INVALID', `ca model: ${what}`, { where: `field 'params.${field}'`, fix: 'refit with calibra fit --method ca, or restore the file written by calibra' });
}

function numberArray(v: unknown, n: number, field: string): number[] {
  if (!Array.isArray(v) || v.length !== n || !v.every((e) => typeof e === 'number' && Number.isFinite(e))) throw invalid(field, `expected ${n} finite numbers`);
  return v as number[];
}

/** Rebuilds a CaModel from its JSON envelope, checking every field. Throws E_MODEL_INVALID. */
export function caModelFromJSON(json: CalibratorJSON): CaModel {
  const p = json.params;
  const views = p['viewsUsed'];
  if (!Array.isArray(views) || !views.every((v) => typeof v === 'string')) throw invalid('viewsUsed', 'expected a list of view names');
  const k = p['k'], hidden = p['hidden'], head = p['head'];
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > json.numClasses) throw invalid('k', `expected an integer in [1, ${json.numClasses}]`);
  if (typeof hidden !== 'number' || !Number.isInteger(hidden) || hidden < 1) throw invalid('hidden', 'expected a positive integer');
  if (head !== 'clamp' && head !== 'sigmoid' && head !== 'exp') throw invalid('head', "expected 'clamp', 'sigmoid' or 'exp'");
  if (p['tMin'] !== T_MIN || p['tMax'] !== T_MAX) throw invalid('tMin', `expected tMin ${T_MIN} and tMax ${T_MAX}`);
  const shape: NetShape = { features: featureCount(views.length, k), hidden, head: head as CaHead };
  // the declared sizes (hidden, k, numClasses) are checked against the arrays the file holds before
  // anything of their size is allocated
  const W1 = p['W1'];
  if (!Array.isArray(W1) || W1.length !== hidden) throw invalid('W1', `expected ${hidden} rows`);
  W1.forEach((row: unknown, h) => { if (!Array.isArray(row) || row.length !== shape.features) throw invalid(`W1[${h}]`, `expected ${shape.features} finite numbers`); });
  const params = new Float64Array(paramCount(shape));
  const o = paramOffsets(shape);
  W1.forEach((row: unknown, h) => params.set(numberArray(row, shape.features, `W1[${h}]`), o.W1 + h * shape.features));
  params.set(numberArray(p['b1'], hidden, 'b1'), o.b1);
  params.set(numberArray(p['w2'], hidden, 'w2'), o.w2);
  params.set(numberArray([p['b2']], 1, 'b2'), o.b2);
  const seed = json.seed ?? 0;
  const diagnostics = diagnosticsFromJSON(p['diagnostics']);
  return new CaModel({ numClasses: json.numClasses, viewsUsed: views as string[], k, shape, params, options: json.options, fit: json.fit, seed, ...(diagnostics !== undefined ? { diagnostics } : {}) });
}
