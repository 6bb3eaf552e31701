/**
 * CA calibrator inputs (Liu et al. 2024, arXiv 2404.13016; ca-method.md §2.1): the top-k classes of the
 * original logits (descending), and the softmax probability each transformed view gives those classes,
 * concatenated in view order ([p_rot(c1..ck), p_grey(c1..ck), p_cj(c1..ck)], 3×4 = 12 numbers by default).
 * With no views ("CA only" ablation) the features are the original softmax's own top-k probabilities
 * (PTS-style inputs from the original only, Tomani et al. 2022, as probabilities rather than logits).
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import { logSumExpRow } from '../../math/softmax.js';
import { topKRow } from '../../math/top-k.js';
import type { ViewLogits } from '../core/types.js';

/** Number of features for `numViews` views and top-`k` (k when there are no views). */
export function featureCount(numViews: number, k: number): number {
  return numViews === 0 ? k : numViews * k;
}

/**
 * A spelling-insensitive key for view names: lower case, no '-', '_' or spaces, colour→color, grayscale→greyscale,
 * so `colour-jitter` (src/views ids) and `colorjitter` (the views-file array name) match.
 * @example viewKey('Colour-Jitter') // => 'colorjitter'
 */
export function viewKey(name: string): string {
  return name.toLowerCase().replace(/[-_ ]/g, '').replace('colour', 'color').replace('grayscale', 'greyscale');
}

/**
 * The view matrices named by `viewsUsed`, looked up by name in `views` (exactly, else by {@link viewKey}). Throws E_VIEWS_MISMATCH naming the
 * expected and the given views, and E_SHAPE when a view's shape differs from the original logits.
 * Cost: O(V·views.names.length).
 */
export function selectViews(views: ViewLogits | undefined, viewsUsed: readonly string[], original: Matrix): Matrix[] {
  if (viewsUsed.length === 0) return [];
  const got = views?.names ?? [];
  const out: Matrix[] = [];
  for (const name of viewsUsed) {
    let at = got.indexOf(name);
    if (at < 0) at = got.findIndex((g) => viewKey(g) === viewKey(name));
    const m = at >= 0 ? views?.logits[at] : undefined;
    if (m === undefined) {
      throw new CalibraError('E_VIEWS_MISMATCH', `ca: the model expects views [${viewsUsed.join(', ')}] but the input has [${got.join(', ')}] (missing '${name}')`, {
        where: `view '${name}'`,
        fix: `give a views file with arrays ${viewsUsed.join(', ')} (e.g. from calibra views), or fit with --views-used ${got.length > 0 ? got.join(',') : 'none'}`,
      });
    }
    if (m.rows !== original.rows || m.cols !== original.cols) {
      throw new CalibraError('E_SHAPE', `ca: view '${name}' is ${m.rows}×${m.cols} but the original logits are ${original.rows}×${original.cols}`, { where: `view '${name}'`, fix: 'every view must hold the logits of the same samples and classes as the original' });
    }
    for (let i = 0; i < m.data.length; i++) {
      if (!Number.isFinite(m.data[i] as number)) {
        const r = Math.floor(i / m.cols);
        throw new CalibraError('E_NON_FINITE', `ca: non-finite logit ${String(m.data[i])} in view '${name}'`, { where: `view '${name}', row ${r}, column ${i - r * m.cols}`, fix: 'remove or repair non-finite values' });
      }
    }
    out.push(m);
  }
  return out;
}

/**
 * The N×F feature matrix (F = V·k, or k with no views). Row i depends only on sample i.
 * Cost: O(N·C·(V + k)) time, one N×F Float64Array.
 * @example
 * const logits = { data: new Float64Array(2 * 5).fill(0.5), rows: 2, cols: 5 };
 * caFeatures(logits, [logits, logits, logits], 4).cols // => 12
 */
export function caFeatures(original: Matrix, viewMatrices: readonly Matrix[], k: number): Matrix<Float64Array> {
  const { rows, cols } = original;
  if (k > cols) throw new CalibraError('E_OPTION', `ca: k=${k} is larger than the number of classes ${cols}`, { fix: `give k ≤ ${cols}` });
  const V = viewMatrices.length;
  const F = featureCount(V, k);
  const out = new Float64Array(rows * F);
  const idx = new Int32Array(k);
  const vals = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    topKRow(original.data, cols, r, k, idx, vals);
    const o = r * F;
    if (V === 0) {
      const lse = logSumExpRow(original.data, cols, r);
      for (let j = 0; j < k; j++) out[o + j] = Math.exp((vals[j] as number) - lse);
      continue;
    }
    for (let v = 0; v < V; v++) {
      const m = viewMatrices[v] as Matrix;
      const lse = logSumExpRow(m.data, cols, r);
      const base = r * cols;
      for (let j = 0; j < k; j++) out[o + v * k + j] = Math.exp((m.data[base + (idx[j] as number)] as number) - lse);
    }
  }
  return { data: out, rows, cols: F };
}
