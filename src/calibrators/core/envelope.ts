/**
 * The one model envelope (calibrators.md §1.3): every fitted model's `toJSON()` is built by {@link envelope}
 * and every loader checks it with {@link checkEnvelope}, so the format name, version and field rules are
 * written once. Which methods exist is the registry's business (core/model-file.ts checks that).
 */
import { CalibraError } from '../../errors.js';
import { readArray, readBoolean, readChoice, readNumber, readObject } from './model-fields.js';
import type { CalibratorJSON, Reduction } from './types.js';

/** The format name every calibra model file carries. */
export const MODEL_FORMAT = 'calibra.calibrator';
/** The model-file version this build writes and reads. */
export const MODEL_VERSION = 1;

const INPUTS: readonly CalibratorJSON['input'][] = ['logits', 'probs', 'scores', 'views'];
const REDUCTIONS: readonly Reduction[] = ['none', 'ovr', 'top-label', 'pooled'];

/** Fit diagnostics as stored in the envelope (STYLE.md: converged, iterations, loss, warnings). */
export interface FitDiagnostics {
  readonly converged: boolean;
  readonly iterations: number;
  readonly loss: number | null;
  readonly warnings: readonly string[];
}

/** The fit-diagnostics block of the envelope (a copy; `warnings` is not shared). */
export function fitBlock(converged: boolean, iterations: number, loss: number | null, warnings: readonly string[]): CalibratorJSON['fit'] {
  return { converged, iterations, loss, warnings: [...warnings] };
}

/** What a model stores besides the format name and version. */
export interface EnvelopeFields {
  readonly method: string;
  readonly input: CalibratorJSON['input'];
  readonly numClasses: number;
  readonly reduction: Reduction;
  readonly options: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly fit: FitDiagnostics;
  readonly seed: number | null;
}

/**
 * Builds the §1.3 envelope of a fitted model.
 * @example envelope({method: 'ts', input: 'logits', numClasses: 3, reduction: 'none', options: {}, params: {T: 1.5}, fit: fitBlock(true, 7, 0.4, []), seed: null}).format // => "calibra.calibrator"
 */
export function envelope(f: EnvelopeFields): CalibratorJSON {
  return {
    format: MODEL_FORMAT, version: MODEL_VERSION, method: f.method, input: f.input, numClasses: f.numClasses, reduction: f.reduction,
    options: f.options, params: f.params, fit: fitBlock(f.fit.converged, f.fit.iterations, f.fit.loss, f.fit.warnings), seed: f.seed,
  };
}

/**
 * Checks every envelope field of a parsed model file and returns the typed envelope; with `method`, also that
 * the file is a model of that method. Throws CalibraError E_MODEL_INVALID (naming the field) or E_MODEL_VERSION.
 * Cost: O(number of fit warnings).
 */
export function checkEnvelope(value: unknown, method?: string): CalibratorJSON {
  const obj = readObject(value, '(top level)');
  if (obj['format'] !== MODEL_FORMAT) {
    throw new CalibraError('E_MODEL_INVALID', `not a calibra model file: format is ${JSON.stringify(obj['format']) ?? 'missing'}, expected "${MODEL_FORMAT}"`, { where: "field 'format'", fix: 'give the .json file written by calibra fit' });
  }
  const version = obj['version'];
  if (version !== MODEL_VERSION) {
    throw new CalibraError('E_MODEL_VERSION', `model file version ${JSON.stringify(version) ?? 'missing'} is not supported; this calibra reads version ${MODEL_VERSION}`, { where: "field 'version'", fix: 'refit the model with this version of calibra (calibra fit ...)' });
  }
  const stored = obj['method'];
  if (typeof stored !== 'string' || (method !== undefined && stored !== method)) {
    throw new CalibraError('E_MODEL_INVALID', `model method is ${JSON.stringify(stored) ?? 'missing'}${method !== undefined ? `, expected "${method}"` : ''}`, { where: "field 'method'", fix: method !== undefined ? `load it with the '${String(stored)}' method, or give a '${method}' model` : 'give the .json file written by calibra fit' });
  }
  const numClasses = readNumber(obj['numClasses'], 'numClasses', { integer: true, min: 2 });
  const input = readChoice(obj['input'], 'input', INPUTS);
  const reduction = readChoice(obj['reduction'], 'reduction', REDUCTIONS);
  const options = readObject(obj['options'], 'options');
  const params = readObject(obj['params'], 'params');
  const fitObj = readObject(obj['fit'], 'fit');
  const warnings = readArray(fitObj['warnings'], 'fit.warnings').map((w, i) => {
    if (typeof w !== 'string') throw new CalibraError('E_MODEL_INVALID', 'expected a string', { where: `field 'fit.warnings[${i}]'`, fix: 'refit the model' });
    return w;
  });
  const loss = fitObj['loss'] === null ? null : readNumber(fitObj['loss'], 'fit.loss');
  const seed = obj['seed'] === null ? null : readNumber(obj['seed'], 'seed', { integer: true });
  return {
    format: MODEL_FORMAT, version: MODEL_VERSION, method: stored, input, numClasses, reduction, options, params,
    fit: { converged: readBoolean(fitObj['converged'], 'fit.converged'), iterations: readNumber(fitObj['iterations'], 'fit.iterations', { integer: true, min: 0 }), loss, warnings },
    seed,
  };
}
