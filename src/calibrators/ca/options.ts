/**
 * Settings of correctness-aware (CA) calibration (Liu et al. 2024, arXiv 2404.13016), kept apart from the
 * learned values: one place that validates `RawOptions` and fills the documented defaults per mode.
 * Cost: O(number of options).
 */
import { CalibraError } from '../../errors.js';
import { checkOptionKeys, choiceOption, numberOption } from '../core/options.js';
import type { RawOptions } from '../core/types.js';

/** Training mode: `faithful` reproduces the published loop; `robust` (default) is the documented fix. */
export type CaMode = 'faithful' | 'robust';
/** Training objective: CA (the paper), CE ("CE only" ablation) or full-vector Brier/MSE. */
export type CaLoss = 'ca' | 'ce' | 'mse';
/** Per-batch sample weights: `balanced` (correct 1−acc, wrong acc, as the published code) or `none` (plain mean). */
export type CaWeighting = 'balanced' | 'none';
/**
 * How the network output r becomes T: `clamp` = clamp(r, 0.1, 10) (published); `sigmoid` = exp(ln0.1 + ln100·σ(r)),
 * smooth, T(0) = 1; `exp` = exp(clamp(r, ln 0.1, ln 10)), so r = ln T_TS + g(x) scales the TS temperature (robust default).
 */
export type CaHead = 'clamp' | 'sigmoid' | 'exp';
/** Robust mode's final global rescale of T(x): `nll` refits one factor c by NLL, `none` keeps T(x) as trained. */
export type CaRescale = 'nll' | 'none';
/** Held-out selection criterion of robust mode (`none`: keep the last step). */
export type CaSelect = 'loss' | 'ece' | 'nll' | 'none';

/** The default transformed views, in order (ca-method.md §2.1). */
export const DEFAULT_VIEWS: readonly string[] = ['rotation', 'greyscale', 'colorjitter'];

/** Fully resolved CA settings. */
export interface CaOptions {
  readonly mode: CaMode;
  readonly loss: CaLoss;
  readonly weighting: CaWeighting;
  readonly head: CaHead;
  /** Names of the transformed views used as features, in order; empty = "CA only" (original-only features). */
  readonly viewsUsed: readonly string[];
  /** Top-k classes of the original logits read from each view. */
  readonly k: number;
  /** Hidden width of the MLP. */
  readonly hidden: number;
  readonly lr: number;
  /** Faithful: number of epochs (robust trains for `steps` instead). */
  readonly epochs: number;
  /** Robust: number of Adam steps (the budget does not grow with N). */
  readonly steps: number;
  /** Robust: the held-out split is scored every `evalEvery` steps (step 0 = the TS start is a candidate). */
  readonly evalEvery: number;
  /** Robust: weight of the penalty mean_i (r_i − r_TS)² that keeps the deviation g = ln T − ln T_TS small. */
  readonly penalty: number;
  /** Mini-batch size (robust: min(batchSize, training rows)). */
  readonly batchSize: number;
  readonly seed: number;
  /** Robust: fraction of the calibration set held out for selection. */
  readonly holdout: number;
  readonly select: CaSelect;
  /** Robust: keep the selected step only if its held-out gain over the TS start exceeds this many paired standard errors (0 = plain argmin). */
  readonly seRule: number;
  readonly rescale: CaRescale;
}

/** Option keys accepted by `ca` (for `--option k=v` and the CLI flags). */
export const CA_OPTION_KEYS: readonly string[] = ['mode', 'loss', 'weighting', 'head', 'viewsUsed', 'k', 'hidden', 'lr', 'epochs', 'steps', 'evalEvery', 'penalty', 'batchSize', 'seed', 'holdout', 'select', 'seRule', 'rescale'];

/** Robust-mode defaults (chosen by the calibration-split experiments of docs/ca.md, "How robust mode was chosen"). */
export const ROBUST_DEFAULTS = { head: 'exp', lr: 3e-3, steps: 500, evalEvery: 25, penalty: 1e-2, batchSize: 256, holdout: 0.2, select: 'loss', seRule: 1, rescale: 'nll' } as const;

/** Defaults shown by `calibra fit --help` (robust mode; faithful mode switches to the published values). */
export const CA_DEFAULTS: Readonly<Record<string, string | number | boolean>> = {
  mode: 'robust', loss: 'ca', weighting: 'none (robust) | balanced (faithful)', head: `${ROBUST_DEFAULTS.head} (robust) | clamp (faithful)`,
  viewsUsed: DEFAULT_VIEWS.join(','), k: 4, hidden: 5, lr: `${ROBUST_DEFAULTS.lr} (robust) | 1e-4 (faithful)`, epochs: '10 (faithful)',
  steps: `${ROBUST_DEFAULTS.steps} (robust)`, evalEvery: ROBUST_DEFAULTS.evalEvery, penalty: ROBUST_DEFAULTS.penalty,
  batchSize: `${ROBUST_DEFAULTS.batchSize} (robust) | 1000 (faithful)`, holdout: ROBUST_DEFAULTS.holdout, select: ROBUST_DEFAULTS.select, seRule: ROBUST_DEFAULTS.seRule, rescale: `${ROBUST_DEFAULTS.rescale} (robust)`,
};

/** Parses a view list: "rotation,greyscale", "" or "none" (= no views, "CA only"). */
export function parseViewList(raw: string | number | boolean | undefined): readonly string[] {
  if (raw === undefined) return DEFAULT_VIEWS;
  const s = String(raw).trim();
  if (s === '' || s === 'none') return [];
  const names = s.split(',').map((x) => x.trim());
  for (const n of names) {
    if (n === '') throw new CalibraError('E_OPTION', `ca: option viewsUsed='${s}' has an empty view name`, { fix: 'give viewsUsed as comma-separated view names, e.g. rotation,greyscale,colorjitter, or none' });
  }
  if (new Set(names).size !== names.length) throw new CalibraError('E_OPTION', `ca: option viewsUsed='${s}' repeats a view`, { fix: 'list each view once' });
  return names;
}

/**
 * Validates `raw` and fills the defaults of its mode (faithful: clamp head, balanced weights, lr 1e-4, batch 1000,
 * 10 epochs; robust: {@link ROBUST_DEFAULTS}, no weights).
 * @example resolveCaOptions({mode: 'faithful'}, 0).lr // => 1e-4
 */
export function resolveCaOptions(raw: RawOptions, seed: number): CaOptions {
  const m = 'ca';
  checkOptionKeys(raw, CA_OPTION_KEYS, m);
  const mode = choiceOption<CaMode>(raw, 'mode', ['faithful', 'robust'], 'robust', m);
  const faithful = mode === 'faithful';
  const R = ROBUST_DEFAULTS;
  return {
    mode,
    loss: choiceOption<CaLoss>(raw, 'loss', ['ca', 'ce', 'mse'], 'ca', m),
    weighting: choiceOption<CaWeighting>(raw, 'weighting', ['balanced', 'none'], faithful ? 'balanced' : 'none', m),
    head: choiceOption<CaHead>(raw, 'head', ['clamp', 'sigmoid', 'exp'], faithful ? 'clamp' : R.head, m),
    viewsUsed: parseViewList(raw['viewsUsed']),
    k: numberOption(raw, 'k', 4, m, { min: 1, integer: true }),
    hidden: numberOption(raw, 'hidden', 5, m, { min: 1, max: 4096, integer: true }),
    lr: numberOption(raw, 'lr', faithful ? 1e-4 : R.lr, m, { min: 0 }),
    epochs: numberOption(raw, 'epochs', 10, m, { min: 1, integer: true }),
    steps: numberOption(raw, 'steps', R.steps, m, { min: 0, max: 1e7, integer: true }),
    evalEvery: numberOption(raw, 'evalEvery', R.evalEvery, m, { min: 1, integer: true }),
    penalty: numberOption(raw, 'penalty', R.penalty, m, { min: 0 }),
    batchSize: numberOption(raw, 'batchSize', faithful ? 1000 : R.batchSize, m, { min: 1, integer: true }),
    seed: numberOption(raw, 'seed', seed, m, { min: 0, max: 4294967295, integer: true }),
    holdout: numberOption(raw, 'holdout', R.holdout, m, { min: 0.01, max: 0.9 }),
    select: choiceOption<CaSelect>(raw, 'select', ['loss', 'ece', 'nll', 'none'], R.select, m),
    seRule: numberOption(raw, 'seRule', R.seRule, m, { min: 0 }),
    rescale: choiceOption<CaRescale>(raw, 'rescale', ['nll', 'none'], R.rescale, m),
  };
}
