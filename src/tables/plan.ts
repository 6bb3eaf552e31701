/**
 * Where each metric id of a table evaluation is computed. Binned and summed ids are GROUP BY aggregates of
 * per-bin sums in the engine (`cells`, `classCells`); ids that need the confidence order are window
 * queries in the engine (`order`, `mass`); the kernel ids and the CA paper's sample-based ids are computed in
 * memory from the fetched (confidence, correct) pairs of each slice (`fetched`, 9 bytes a row); the ids
 * that need the whole probability matrix per class are refused.
 */
import { CalibraError } from '../errors.js';
import { parseMetricIds } from '../metrics/evaluate.js';
import type { MetricSpec } from '../metrics/ids.js';

/** How the table gives its predictions. */
export type TableInputKind = 'top' | 'probs' | 'logits';

/** Ids computed from the per-row sums and top-label bins (`sums`, `top-bins`, `cond-bins`). */
const CELL_NEEDS = new Set(['sums', 'top-bins', 'cond-bins']);
/** Rank-based ids computed by window queries over tie blocks of confidence. */
export const ORDER_IDS = new Set(['auroc', 'ca_paper.auc', 'aupr_success', 'aupr_error', 'fpr95', 'ks', 'aurc', 'eaurc']);
/** Equal-mass ids: a window row number over (confidence, row order), then per-bin sums. */
export const MASS_IDS = new Set(['ece_em', 'mce_em', 'dece']);
/** Ids computed in memory from the (confidence, correct) pairs. */
export const FETCHED_IDS = new Set(['confidence', 'smece', 'mmce', 'kde_ece', 'ca_paper.ece', 'ca_paper.ace', 'ca_paper.mce', 'ca_paper.ks', 'netcal.ace', 'tl_ece_em']);
/** Ids that need p_y or the whole probability row (not available from confidence + predicted class). */
const NEED_PROBS = new Set(['brier', 'nll', 'cw_ece']);
/** Ids that need the whole N×K matrix (refused on tables). */
const MATRIX_IDS = new Set(['cw_ece_em', 'ca_paper.sce']);

/** The ids of one evaluation, split by where they are computed. */
export interface TablePlan {
  readonly specs: readonly MetricSpec[];
  readonly cells: readonly MetricSpec[];
  readonly classCells: readonly MetricSpec[];
  readonly order: readonly MetricSpec[];
  readonly mass: readonly MetricSpec[];
  readonly fetched: readonly MetricSpec[];
  /** Ids of the default preset dropped because the input cannot give them (top-label input). */
  readonly dropped: readonly string[];
}

/** Whether an id can be computed from `kind` input. */
function available(s: MetricSpec, kind: TableInputKind): boolean {
  return !(kind === 'top' && NEED_PROBS.has(s.base));
}

/**
 * Splits `ids` for `kind` input. `explicit` ids that the input cannot give are an error (E_OPTION naming
 * the id and the fix); ids of a preset that it cannot give are dropped and listed. Throws for the matrix ids.
 */
export function planTableMetrics(ids: readonly string[], explicit: ReadonlySet<string>, kind: TableInputKind): TablePlan {
  const all = parseMetricIds(ids);
  const dropped: string[] = [];
  const specs: MetricSpec[] = [];
  for (const s of all) {
    if (MATRIX_IDS.has(s.base)) {
      if (!explicit.has(s.id)) { dropped.push(s.id); continue; }
      throw new CalibraError('E_OPTION', `${s.id} needs the whole N×K probability matrix and is not computed on tables`, { where: 'metrics', fix: 'drop it, or export the probabilities to .npy and use calibra evaluate --probs' });
    }
    if (!available(s, kind)) {
      if (!explicit.has(s.id)) { dropped.push(s.id); continue; }
      throw new CalibraError('E_OPTION', `${s.id} needs the probability of every class, but the table gives only a confidence and a predicted class`, { where: 'metrics', fix: 'give --probs-col or --logits-col (a LIST column), or drop it' });
    }
    specs.push(s);
  }
  return {
    specs,
    cells: specs.filter((s) => CELL_NEEDS.has(s.need)),
    classCells: specs.filter((s) => s.need === 'class-bins'),
    order: specs.filter((s) => ORDER_IDS.has(s.base)),
    mass: specs.filter((s) => MASS_IDS.has(s.base)),
    fetched: specs.filter((s) => FETCHED_IDS.has(s.base)),
    dropped,
  };
}
