/**
 * Isotonic regression calibration (`isotonic`): Zadrozny & Elkan, KDD 2002, with scikit-learn 1.2's exact
 * semantics (PAV, ties in x merged within float64 resolution, `out_of_bounds='clip'`, optional
 * `y_min`/`y_max`; calibrators.md §7.2). One-vs-rest with scikit-learn's normalisation (default; `independent`
 * switch; all-zero rows become uniform) or top-label. Cost: fit O(K·N log N), predict O(N·K·log N_thresholds).
 */
import { fitReducedMaps, loadMaps, reducedMapModel } from './reduced-maps.js';
import type { BinaryReduction } from '../core/reduction.js';
import { checkLabelled } from '../core/checks.js';
import { checkEnvelope, fitBlock } from '../core/envelope.js';
import { booleanOption, checkOptionKeys, choiceOption, numberOption } from '../core/options.js';
import { IsotonicScoreMap } from './isotonic-map.js';
import { readBoolean, readChoice, readNumberOrNull, readObject } from '../core/model-fields.js';
import { CalibraError } from '../../errors.js';
import type { CalibratorJSON, CalibratorSpec, FitContext, FittedCalibrator, FitResult, LabelledInput, RawOptions } from '../core/types.js';

const ID = 'isotonic';

/** Settings of isotonic calibration. */
export interface IsotonicCalibratorOptions {
  /** `ovr` (default, as scikit-learn's CalibratedClassifierCV) or `top-label`. */
  readonly reduction: BinaryReduction;
  /** OvR only: skip the row normalisation. Default false. */
  readonly independent: boolean;
  /** Lower clip of the fitted values (scikit-learn `y_min`), null for none (default). */
  readonly yMin: number | null;
  /** Upper clip of the fitted values (scikit-learn `y_max`), null for none (default). */
  readonly yMax: number | null;
  /** Always `clip`: queries outside the calibration range take the end values. */
  readonly outOfBounds: 'clip';
}

function readOptions(raw: RawOptions): IsotonicCalibratorOptions {
  checkOptionKeys(raw, ['reduction', 'independent', 'yMin', 'yMax', 'outOfBounds'], ID);
  choiceOption(raw, 'outOfBounds', ['clip'] as const, 'clip', ID);
  const yMin = raw['yMin'] === undefined ? null : numberOption(raw, 'yMin', 0, ID, { min: 0, max: 1 });
  const yMax = raw['yMax'] === undefined ? null : numberOption(raw, 'yMax', 1, ID, { min: 0, max: 1 });
  if (yMin !== null && yMax !== null && yMin > yMax) throw new CalibraError('E_OPTION', `${ID}: yMin=${yMin} is above yMax=${yMax}`, { fix: 'give yMin ≤ yMax' });
  return {
    reduction: choiceOption(raw, 'reduction', ['ovr', 'top-label'] as const, 'ovr', ID),
    independent: booleanOption(raw, 'independent', false, ID),
    yMin, yMax, outOfBounds: 'clip',
  };
}


/** `isotonic`: isotonic regression (PAV) with scikit-learn 1.2 semantics; OvR (normalised) or top-label. Not argmax-preserving. */
export const isotonicRegression: CalibratorSpec = {
  id: ID,
  title: 'Isotonic regression (Zadrozny & Elkan 2002; scikit-learn semantics)',
  input: 'probs',
  preservesArgmax: false,
  defaults: { reduction: 'ovr', independent: false, outOfBounds: 'clip' },
  fit(data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult {
    const o = readOptions(options);
    checkLabelled(data, ID);
    const r = fitReducedMaps(data, o.reduction, o.independent, (s, t) => ({ map: IsotonicScoreMap.fit(s, t, { yMin: o.yMin, yMax: o.yMax }) }), (d, t) => ctx.onProgress?.(d / t));
    const fit = fitBlock(true, 0, null, r.warnings);
    return { model: reducedMapModel(ID, o, r, data.logits.cols, fit), converged: true, iterations: 0, loss: null, warnings: r.warnings };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    checkEnvelope(json, ID);
    const opts = readObject(json.options, 'options');
    const o: IsotonicCalibratorOptions = {
      reduction: readChoice(opts['reduction'], 'options.reduction', ['ovr', 'top-label'] as const),
      independent: readBoolean(opts['independent'], 'options.independent'),
      yMin: readNumberOrNull(opts['yMin'], 'options.yMin'),
      yMax: readNumberOrNull(opts['yMax'], 'options.yMax'),
      outOfBounds: readChoice(opts['outOfBounds'], 'options.outOfBounds', ['clip'] as const),
    };
    readChoice(json.reduction, 'reduction', [o.reduction]);
    const maps = loadMaps(json.params, o.reduction, json.numClasses, (m, f) => IsotonicScoreMap.load(m, f, o.yMin ?? 0, o.yMax ?? 1));
    return reducedMapModel(ID, o, { reduction: o.reduction, independent: o.independent, maps }, json.numClasses, json.fit);
  },
};
