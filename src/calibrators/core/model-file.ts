/**
 * Model files: the JSON envelope of calibrators.md §1.3 (core/envelope.ts) written with shortest-round-trip numbers (so
 * parse(serialize(m)) gives back the same float64 bits, -0 included), and a loader that checks the envelope
 * (format, version, method, class count) before handing the learned values to the method's own `load`.
 */
import { CalibraError } from '../../errors.js';
import { getCalibrator, calibratorSpecs } from './registry.js';
import { checkEnvelope } from './envelope.js';
import type { CalibratorJSON, FittedCalibrator } from './types.js';

/**
 * Parses and checks a model file, then loads it with its method's spec.
 * Errors (all CalibraError with `source` set): E_FORMAT (not JSON), E_MODEL_INVALID (other format name,
 * unknown method, a missing or malformed field, learned values that break the method's rules),
 * E_MODEL_VERSION (another version). Cost: O(size of the file).
 * @example
 * import { getCalibrator } from './registry.js';
 * const logits = { data: Float64Array.of(2, 0, 0, 1, 1, 0), rows: 3, cols: 2 }, labels = Int32Array.of(0, 1, 0);
 * const text = serializeModel(getCalibrator('ts').fit({ logits, labels }, {}, { seed: 0 }).model); // what `calibra fit` writes to ts.json
 * loadModelJson(text, 'ts.json').predictProba({ logits }).rows // => 3
 * loadModelJson('{"format": "calibra.calibrator", "version": 99}', 'ts.json') // throws E_MODEL_VERSION
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
    if (!calibratorSpecs.some((s) => s.id === json.method)) {
      throw new CalibraError('E_MODEL_INVALID', `unknown method ${JSON.stringify(json.method)}`, { where: "field 'method'", fix: `known methods: ${calibratorSpecs.map((s) => s.id).join(', ')}` });
    }
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
