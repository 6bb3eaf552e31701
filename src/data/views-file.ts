/**
 * Views files (issue 5/CA): one `.npz` holding the logits of the original images, of each transformed
 * view, and the labels. Node only (reads and writes files); layout documented in docs/data-formats.md:
 *
 * - `original`: N×K logits of the untransformed inputs;
 * - one N×K array per view, named after the view (`rotation`, `greyscale`, `colorjitter`, ...);
 * - `labels`: N integer labels;
 * - `view_names`: a 1-D string array (`<U` dtype) listing the views in their order. When present it is
 *   authoritative (names and order), and other members are ignored. When absent (an archive written by
 *   hand with `np.savez`), the views are every other member in archive order, which is the keyword order.
 */
import { CalibraError, listForMessage } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import type { ViewLogits } from '../calibrators/core/types.js';
import { writeFileAtomic, type WriteOptions } from './atomic.js';
import type { NpyNumericData } from './dtype.js';
import type { NpyInput } from './npy.js';
import { encodeNpz, parseNpz } from './npz.js';
import { arrayToLabels, arrayToLogits } from './validate.js';
import { readInputFile } from './read-file.js';

/** Member names with a fixed meaning; they cannot be view names. */
export const VIEWS_RESERVED_NAMES: readonly string[] = ['original', 'labels', 'view_names'];

/** A loaded views file. */
export interface ViewsFile {
  readonly original: Matrix<Float64Array>;
  readonly views: ViewLogits;
  readonly labels: Int32Array;
}

/** What {@link saveViewsFile} writes. Extra arrays (e.g. the per-image random draws) are stored after. */
export interface ViewsFileInput {
  readonly original: Matrix;
  readonly views: ViewLogits;
  readonly labels: Int32Array;
  readonly extra?: readonly (readonly [string, NpyInput])[];
}

const NAME = /^[A-Za-z0-9_.:@+-]{1,64}$/;

function fail(code: 'E_FORMAT' | 'E_SHAPE' | 'E_VIEWS_MISMATCH', message: string, source: string, where: string | undefined, fix: string): never {
  throw new CalibraError(code, message, { source, ...(where !== undefined ? { where } : {}), fix });
}

/**
 * Loads a views file: `{original, views: {names, logits}, labels}`; every view must have the shape of
 * `original`, logits must be finite and labels in [0, K). Cost: O(file size).
 * @example
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * const file = `${mkdtempSync(`${tmpdir()}/calibra-`)}/val-views.npz`;
 * const m = { data: new Float64Array(4), rows: 2, cols: 2 };
 * saveViewsFile(file, { original: m, views: { names: ['rotation', 'greyscale', 'colorjitter'], logits: [m, m, m] }, labels: Int32Array.of(0, 1) });
 * loadViewsFile(file).views.names // => ['rotation', 'greyscale', 'colorjitter']
 */
export function loadViewsFile(file: string, opts: { readonly maxBytes?: number } = {}): ViewsFile {
  const bytes = readInputFile(file, opts.maxBytes);
  const { names, arrays } = parseNpz(bytes, { source: file, share: true, ...(opts.maxBytes !== undefined ? { maxBytes: opts.maxBytes } : {}) });
  const stored = new Set(names);
  const fix = 'write it with `calibra views`, or np.savez(f, original=o, rotation=r, greyscale=g, colorjitter=c, labels=y)';
  for (const need of ['original', 'labels']) {
    if (!stored.has(need)) fail('E_FORMAT', `the views file has no array "${need}" (arrays: ${listForMessage(names)})`, file, undefined, fix);
  }
  const numeric = (name: string): { shape: readonly number[]; data: NpyNumericData } => {
    const a = arrays.get(name);
    if (a === undefined || a.kind !== 'numeric') fail('E_FORMAT', `array "${name}" must be numeric`, file, `array "${name}"`, fix);
    return a;
  };
  const orig = numeric('original');
  if (orig.shape.length !== 2 || (orig.shape[1] as number) < 2) fail('E_SHAPE', `"original" must be an N×K matrix with K >= 2, got shape (${orig.shape.join(', ')})`, file, 'array "original"', fix);
  const original = located(() => arrayToLogits(orig, file), 'original');
  let viewNames: string[];
  const listed = arrays.get('view_names');
  if (listed !== undefined) {
    if (listed.kind !== 'string' || listed.shape.length !== 1) fail('E_FORMAT', '"view_names" must be a 1-D string array', file, 'array "view_names"', 'np.savez(..., view_names=np.array(["rotation", "greyscale", "colorjitter"]))');
    viewNames = [...listed.data];
    for (const n of viewNames) {
      if (!stored.has(n)) fail('E_VIEWS_MISMATCH', `"view_names" lists ${JSON.stringify(n)} but the archive has no such array (arrays: ${listForMessage(names)})`, file, 'array "view_names"', 'list only views that are stored, or store the missing view');
    }
  } else {
    viewNames = names.filter((n) => !VIEWS_RESERVED_NAMES.includes(n));
  }
  if (viewNames.length === 0) fail('E_FORMAT', 'the views file holds no views', file, undefined, fix);
  const seen = new Set<string>();
  for (const n of viewNames) {
    if (!NAME.test(n) || VIEWS_RESERVED_NAMES.includes(n) || seen.has(n)) fail('E_FORMAT', `bad or repeated view name ${JSON.stringify(n)}`, file, 'array "view_names"', 'view names are distinct words of letters, digits and _.:@+- other than original, labels, view_names');
    seen.add(n);
  }
  const logits = viewNames.map((n) => {
    const a = numeric(n);
    if (a.shape.length !== 2 || a.shape[0] !== original.rows || a.shape[1] !== original.cols) {
      fail('E_SHAPE', `view "${n}" has shape (${a.shape.join(', ')}) but "original" is (${original.rows}, ${original.cols})`, file, `array "${n}"`, 'every view needs the logits of the same N images over the same K classes');
    }
    return located(() => arrayToLogits(a, file), n);
  });
  const labels = located(() => arrayToLabels(numeric('labels'), original.cols, file), 'labels');
  if (labels.length !== original.rows) fail('E_SHAPE', `"labels" has ${labels.length} entries but "original" has ${original.rows} rows`, file, 'array "labels"', 'store one label per image');
  return { original, views: { names: viewNames, logits }, labels };
}

function located<T>(fn: () => T, array: string): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof CalibraError)) throw e;
    throw new CalibraError(e.code, e.message, { ...(e.source !== undefined ? { source: e.source } : {}), where: `array "${array}"${e.where !== undefined ? `, ${e.where}` : ''}`, ...(e.fix !== undefined ? { fix: e.fix } : {}) });
  }
}

/**
 * Writes a views file atomically: `original`, the views in order, `labels`, `view_names`, then any extra
 * arrays. Stored (uncompressed) unless `compress`. Cost: O(N*K*(views+1)).
 */
export function saveViewsFile(file: string, input: ViewsFileInput, opts: WriteOptions & { readonly compress?: boolean } = {}): void {
  const { original, views, labels } = input;
  if (views.names.length !== views.logits.length) throw new CalibraError('E_SHAPE', `${views.names.length} view names but ${views.logits.length} view matrices`, { source: file, fix: 'give one name per view' });
  if (labels.length !== original.rows) throw new CalibraError('E_SHAPE', `${labels.length} labels for ${original.rows} rows`, { source: file, fix: 'give one label per row' });
  const entries: (readonly [string, NpyInput])[] = [['original', { shape: [original.rows, original.cols], data: original.data }]];
  views.names.forEach((name, i) => {
    const m = views.logits[i] as Matrix;
    if (!NAME.test(name) || VIEWS_RESERVED_NAMES.includes(name)) throw new CalibraError('E_OPTION', `bad view name ${JSON.stringify(name)}`, { source: file, fix: 'use letters, digits and _.:@+-; not original, labels or view_names' });
    if (m.rows !== original.rows || m.cols !== original.cols) throw new CalibraError('E_SHAPE', `view "${name}" is ${m.rows}×${m.cols}, original is ${original.rows}×${original.cols}`, { source: file, fix: 'every view needs the same shape as original' });
    entries.push([name, { shape: [m.rows, m.cols], data: m.data }]);
  });
  entries.push(['labels', { shape: [labels.length], data: labels }], ['view_names', { shape: [views.names.length], data: views.names }]);
  for (const e of input.extra ?? []) entries.push(e);
  writeFileAtomic(file, encodeNpz(entries, { compress: opts.compress ?? false }), { force: opts.force ?? false });
}
