/**
 * Input handling shared by `calibra fit`, `apply` and `compare`: one of --logits / --probs / --views, labels,
 * probabilities kept as given plus logits ln p clipped at 1e-12 (`probabilityInput`), and the `.npy` header of a
 * streamed float64 output.
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { probabilityInput } from '../../calibrators/core/probabilities.js';
import { checkLabelsMatch, loadLabels, loadLogits, loadProbs, loadViewsFile } from '../../data/files.js';
import type { CalibrationInput, ViewLogits } from '../../calibrators/core/types.js';
import { csvHeaderValue, getValue, type ParsedArgs } from '../args.js';

/**
 * Probabilities given with --probs reach every method twice (src/calibrators/probabilities.ts): as they are
 * (`CalibrationInput.probs`, which binning and probability-space methods read bit for bit) and as logits
 * ln(max(p, 1e-12)) for logit-space methods.
 */
export { PROBS_LOG_EPSILON, probabilityInput } from '../../calibrators/core/probabilities.js';

/** The CalibrationInput of a loaded input (logits, the probabilities when given, the views when given). */
export function calibrationInput(loaded: { readonly logits: Matrix; readonly probs?: Matrix; readonly views?: ViewLogits }): CalibrationInput {
  return { logits: loaded.logits, ...(loaded.probs !== undefined ? { probs: loaded.probs } : {}), ...(loaded.views !== undefined ? { views: loaded.views } : {}) };
}

/** What a command reads: logits (given or from probabilities), optional views, optional labels. */
export interface LoadedInput {
  readonly logits: Matrix<Float64Array>;
  /** The user's probabilities (kind 'probs'), kept bit for bit. */
  readonly probs?: Matrix;
  readonly views?: ViewLogits;
  readonly labels?: Int32Array;
  /** The file the logits came from (for messages). */
  readonly source: string;
  readonly kind: 'logits' | 'probs' | 'views';
}

/** Option names of the three input kinds, e.g. prefix 'val-' gives --val-logits, --val-probs, --val-views. */
export function inputKeys(prefix = ''): { logits: string; probs: string; views: string; labels: string } {
  return { logits: `${prefix}logits`, probs: `${prefix}probs`, views: `${prefix}views`, labels: `${prefix}labels` };
}

/**
 * Which one of --logits / --probs / --views (with the prefix) is given, and its file; E_USAGE unless exactly one.
 */
export function inputChoice(args: ParsedArgs, command: string, prefix = ''): { kind: 'logits' | 'probs' | 'views'; file: string } {
  const keys = inputKeys(prefix);
  const given = [keys.logits, keys.probs, keys.views].filter((k) => getValue(args, k) !== undefined);
  if (given.length !== 1) {
    throw new CalibraError('E_USAGE', given.length === 0 ? `missing --${keys.logits}, --${keys.probs} or --${keys.views}` : `give only one of ${given.map((k) => `--${k}`).join(', ')}`, { where: `calibra ${command}`, fix: `give exactly one of --${keys.logits} F, --${keys.probs} F, --${keys.views} F` });
  }
  const key = given[0] as string;
  return { kind: key === keys.logits ? 'logits' : key === keys.probs ? 'probs' : 'views', file: getValue(args, key) as string };
}

/**
 * Loads exactly one of --logits / --probs / --views (with the given prefix) and, when `labelsRequired` or
 * given, --labels (`shared`: logits in a SharedArrayBuffer, for worker threads). Labels from a views file are used unless --labels is also given. Errors: E_USAGE naming
 * the options, plus the data layer's errors naming the file. Cost: O(file sizes).
 */
export function loadInput(args: ParsedArgs, command: string, opts: { prefix?: string; labels: 'required' | 'optional' | 'none'; shared?: boolean }): LoadedInput {
  const keys = inputKeys(opts.prefix);
  const { kind, file } = inputChoice(args, command, opts.prefix);
  const labelsFile = getValue(args, keys.labels);
  const csv = { csvHeader: csvHeaderValue(args, command) };
  if (kind === 'views') {
    const v = loadViewsFile(file);
    let labels = v.labels;
    if (labelsFile !== undefined && opts.labels !== 'none') {
      labels = loadLabels(labelsFile, v.original.cols, csv);
      checkLabelsMatch(v.original, labels, file, labelsFile);
    }
    return { logits: v.original, views: v.views, labels, source: file, kind: 'views' };
  }
  // shared: .npy logits go straight into a SharedArrayBuffer that worker threads read without a copy
  const given = kind === 'logits' ? { logits: loadLogits(file, { ...csv, shared: opts.shared === true }) } : probabilityInput(loadProbs(file, { ...csv, shared: opts.shared === true }));
  const logits = given.logits;
  if (labelsFile === undefined) {
    if (opts.labels === 'required') throw new CalibraError('E_USAGE', `missing --${keys.labels}`, { where: `calibra ${command}`, fix: `add --${keys.labels} FILE (integer labels or one-hot)` });
    return { ...given, source: file, kind };
  }
  const labels = loadLabels(labelsFile, logits.cols, csv);
  checkLabelsMatch(logits, labels, file, labelsFile);
  return { ...given, labels, source: file, kind };
}

/**
 * The `.npy` v1.0 header of a little-endian float64 C-order array of `shape`, padded to 64 bytes as numpy
 * (and `encodeNpy`) do; the data follows directly. Lets a command stream rows into a file whose row count is
 * known in advance. Cost: O(1).
 */
export function npyFloat64Header(shape: readonly number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0] as number},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '<f8', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const total = Math.ceil((10 + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length & 0xff, (dict.length >> 8) & 0xff], 0);
  for (let i = 0; i < dict.length; i++) out[10 + i] = dict.charCodeAt(i);
  return out;
}

/** The bytes of a Float64Array in little-endian order (the platform order on every Node target). */
export function float64Bytes(a: Float64Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
