/**
 * Histogram binning (`histogram`): Zadrozny & Elkan, ICML 2001; equal-width variant as in Guo et al. 2017.
 * Each bin's calibrated value is the fraction of positives among the calibration scores in it
 * (calibrators.md §7.1). Binary map used one-vs-rest (default) or top-label.
 * Cost: fit O(N·K·log B) (equal-width) or O(N·K·log N) (equal-mass); predict O(N·K·log B).
 */
import { binMeans, equalMassEdges, equalWidthEdges, HistogramMap, type EmptyBinRule } from './histogram-map.js';
import { fitReducedMaps, loadMaps, reducedMapModel } from './reduced-maps.js';
import type { BinaryReduction } from '../core/reduction.js';
import { checkLabelled } from '../core/checks.js';
import { checkEnvelope, fitBlock } from '../core/envelope.js';
import { booleanOption, checkOptionKeys, choiceOption, numberOption } from '../core/options.js';
import { readBoolean, readChoice, readNumber, readObject } from '../core/model-fields.js';
import type { CalibratorJSON, CalibratorSpec, FitContext, FittedCalibrator, FitResult, LabelledInput, RawOptions } from '../core/types.js';

const ID = 'histogram';

/** Settings of histogram binning, with defaults. */
export interface HistogramOptions {
  /** Number of bins B (default 10, Zadrozny & Elkan). */
  readonly bins: number;
  /** `equal-width` (edges b/B, default) or `equal-mass` (verified_calibration's `get_equal_bins`). */
  readonly scheme: 'equal-width' | 'equal-mass';
  /** Value of a bin with no calibration score: its midpoint (`center`, default, netcal) or 0 (`zero`). */
  readonly emptyBin: EmptyBinRule;
  /** `ovr` (default) or `top-label`. */
  readonly reduction: BinaryReduction;
  /** OvR only: skip the row normalisation (rows then need not sum to 1). Default false. */
  readonly independent: boolean;
}

const DEFAULTS: HistogramOptions = { bins: 10, scheme: 'equal-width', emptyBin: 'center', reduction: 'ovr', independent: false };

/** Reads and checks histogram options; unknown keys are E_OPTION. */
export function histogramOptions(raw: RawOptions): HistogramOptions {
  checkOptionKeys(raw, Object.keys(DEFAULTS), ID);
  return {
    bins: numberOption(raw, 'bins', DEFAULTS.bins, ID, { integer: true, min: 1, max: 100000 }),
    scheme: choiceOption(raw, 'scheme', ['equal-width', 'equal-mass'] as const, DEFAULTS.scheme, ID),
    emptyBin: choiceOption(raw, 'emptyBin', ['center', 'zero'] as const, DEFAULTS.emptyBin, ID),
    reduction: choiceOption(raw, 'reduction', ['ovr', 'top-label'] as const, DEFAULTS.reduction, ID),
    independent: booleanOption(raw, 'independent', DEFAULTS.independent, ID),
  };
}

/**
 * Fits one binary histogram map: edges by the scheme, value = mean target per bin.
 * @example
 * // fixture B of calibrators.md §0
 * const s = Float64Array.of(0.05, 0.12, 0.12, 0.25, 0.33, 0.40, 0.40, 0.58, 0.66, 0.72, 0.85, 0.93);
 * const t = [0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1];
 * fitHistogramMap(s, t, {bins: 5, scheme: 'equal-width', emptyBin: 'center'}).values // => [1 / 3, 1 / 2, 1, 1 / 2, 1]
 */
export function fitHistogramMap(scores: Float64Array, targets: ArrayLike<number>, o: Pick<HistogramOptions, 'bins' | 'scheme' | 'emptyBin'>): HistogramMap {
  const edges = o.scheme === 'equal-width' ? equalWidthEdges(o.bins) : equalMassEdges(scores, o.bins);
  return new HistogramMap(edges, binMeans(edges, scores, targets, o.emptyBin));
}


/** `histogram`: histogram binning, equal-width or equal-mass, one-vs-rest or top-label. Not argmax-preserving. */
export const histogramBinning: CalibratorSpec = {
  id: ID,
  title: 'Histogram binning (Zadrozny & Elkan 2001)',
  input: 'probs',
  preservesArgmax: false,
  defaults: { ...DEFAULTS },
  fit(data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult {
    const o = histogramOptions(options);
    checkLabelled(data, ID);
    const r = fitReducedMaps(data, o.reduction, o.independent, (s, t) => ({ map: fitHistogramMap(s, t, o) }), (d, t) => ctx.onProgress?.(d / t));
    const fit = fitBlock(true, 0, null, r.warnings);
    return { model: reducedMapModel(ID, o, r, data.logits.cols, fit), converged: true, iterations: 0, loss: null, warnings: r.warnings };
  },
  load(json: CalibratorJSON): FittedCalibrator {
    checkEnvelope(json, ID);
    const opts = readObject(json.options, 'options');
    const o: HistogramOptions = {
      bins: readNumber(opts['bins'], 'options.bins', { integer: true, min: 1 }),
      scheme: readChoice(opts['scheme'], 'options.scheme', ['equal-width', 'equal-mass'] as const),
      emptyBin: readChoice(opts['emptyBin'], 'options.emptyBin', ['center', 'zero'] as const),
      reduction: readChoice(opts['reduction'], 'options.reduction', ['ovr', 'top-label'] as const),
      independent: readBoolean(opts['independent'], 'options.independent'),
    };
    readChoice(json.reduction, 'reduction', [o.reduction]);
    const maps = loadMaps(json.params, o.reduction, json.numClasses, HistogramMap.load);
    return reducedMapModel(ID, o, { reduction: o.reduction, independent: o.independent, maps }, json.numClasses, json.fit);
  },
};
