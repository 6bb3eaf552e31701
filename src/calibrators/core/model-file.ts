/**
 * Model files: the JSON envelope of calibrators.md §1.3 written with shortest-round-trip numbers (so
 * parse(serialize(m)) gives back the same float64 bits, -0 included), and a loader that checks the envelope
 * (format, version, method, class count) before handing the learned values to the method's own `load`.
 */
import { CalibraError } from '../../errors.js';
import { getCalibrator, calibratorSpecs } from './registry.js';
import type { CalibratorJSON, FittedCalibrator, Reduction } from './types.js';
import { readArray, readBoolean, readChoice, readNumber, readObject } from './model-fields.js';

/** The format name every calibra model file carries. */
export const MODEL_FORMAT = 'calibra.calibrator';
/** The model-file version this build writes and reads. */
export const MODEL_VERSION = 1;

const INPUTS: readonly CalibratorJSON['input'][] = ['logits', 'probs', 'scores', 'views'];
const REDUCTIONS: readonly Reduction[] = ['none', 'ovr', 'top-label', 'pooled'];

/**
 * Parses and checks a model file, then loads it with its method's spec.
 * Errors (all CalibraError with `source` set): E_FORMAT (not JSON), E_MODEL_INVALID (other format name,
 * unknown method, a missing or malformed field, learned values that break the method's rules),
 * E_MODEL_VERSION (another version). Cost: O(size of the file).
 * @example loadModelJson(readFileSync('ts.json', 'utf8'), 'ts.json').predictProba({logits})
 */
export function loadModelJson(text: string, source: string): FittedCalibrator {
  try {
    return loadModelObject(parseJson(text), source);
  } catch (e) {
    if (e instanceof CalibraError) throw e.withSource(source);
    throw e;
  }
}

/** Like {@link loadModelJson} for an already-parsed object. */
export function loadModelObject(value: unknown, source: string): FittedCalibrator {
  try {
    const json = checkEnvelope(value);
    return getCalibrator(json.method).load(json);
  } catch (e) {
    if (e instanceof CalibraError) throw e.withSource(source);
    throw e;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CalibraError('E_FORMAT', `not a JSON model file (${(e as Error).message})`, { fix: 'give the .json file written by calibra fit' });
  }
}

/** Checks every envelope field; returns the typed envelope. Throws E_MODEL_INVALID / E_MODEL_VERSION. */
export function checkEnvelope(value: unknown): CalibratorJSON {
  const obj = readObject(value, '(top level)');
  if (obj['format'] !== MODEL_FORMAT) {
    throw new CalibraError('E_MODEL_INVALID', `not a calibra model file: format is ${JSON.stringify(obj['format']) ?? 'missing'}, expected "${MODEL_FORMAT}"`, { where: "field 'format'", fix: 'give the .json file written by calibra fit' });
  }
  const version = obj['version'];
  if (version !== MODEL_VERSION) {
    throw new CalibraError('E_MODEL_VERSION', `model file version ${JSON.stringify(version) ?? 'missing'} is not supported; this calibra reads version ${MODEL_VERSION}`, { where: "field 'version'", fix: 'refit the model with this version of calibra (calibra fit ...)' });
  }
  const method = obj['method'];
  if (typeof method !== 'string' || !calibratorSpecs.some((s) => s.id === method)) {
    throw new CalibraError('E_MODEL_INVALID', `unknown method ${JSON.stringify(method) ?? 'missing'}`, { where: "field 'method'", fix: `known methods: ${calibratorSpecs.map((s) => s.id).join(', ')}` });
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
    format: MODEL_FORMAT, version: MODEL_VERSION, method, input, numClasses, reduction, options, params,
    fit: { converged: readBoolean(fitObj['converged'], 'fit.converged'), iterations: readNumber(fitObj['iterations'], 'fit.iterations', { integer: true, min: 0 }), loss, warnings },
    seed,
  };
}

/**
 * The model's JSON text: two-space indented, arrays of numbers on one line, every number written
 * shortest-round-trip (ECMAScript Number→String) and -0 as `-0`, so `loadModelJson(serializeModel(m))`
 * predicts bit-identically. Typed arrays are written as arrays. Throws E_NUMERIC on a non-finite number.
 * Cost: O(size of the model).
 */
export function serializeModel(model: FittedCalibrator | CalibratorJSON): string {
  const json = 'toJSON' in model ? model.toJSON() : model;
  return write(json, '', 'model') + '\n';
}

function writeNumber(v: number, path: string): string {
  if (!Number.isFinite(v)) throw new CalibraError('E_NUMERIC', `cannot save non-finite value ${v}`, { where: `field '${path}'`, fix: 'the fit diverged; check the warnings and the input' });
  return Object.is(v, -0) ? '-0' : String(v);
}

function write(v: unknown, indent: string, path: string): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return writeNumber(v, path);
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    const arr = v as unknown as ArrayLike<number>;
    const parts: string[] = [];
    for (let i = 0; i < arr.length; i++) parts.push(writeNumber(Number(arr[i]), `${path}[${i}]`));
    return `[${parts.join(', ')}]`;
  }
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    const arr = v as readonly unknown[];
    if (arr.length === 0) return '[]';
    if (arr.every((x) => typeof x === 'number')) return `[${arr.map((x, i) => writeNumber(x as number, `${path}[${i}]`)).join(', ')}]`;
    return `[\n${arr.map((x, i) => inner + write(x, inner, `${path}[${i}]`)).join(',\n')}\n${indent}]`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${write(x, inner, path === 'model' ? k : `${path}.${k}`)}`).join(',\n')}\n${indent}}`;
  }
  throw new CalibraError('E_NUMERIC', `cannot save a value of type ${typeof v}`, { where: `field '${path}'` });
}
