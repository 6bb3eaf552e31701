/**
 * The one interface every calibrator implements (see ../shared/spec/calibrators.md §1).
 *
 * Every method receives logits. Where a user only has probabilities, the CLI passes `ln p` (clipped at a
 * named epsilon) as logits and the probabilities themselves as `probs`, which probability-space methods read
 * bit for bit (softmax(ln p) is only p to an ulp or two, and a zero would become ~1e-12).
 * Views-based methods (CA) also receive the logits of each transformed view.
 */
import type { Matrix } from '../../math/matrix.js';

/** Logits of each transformed view, in a recorded order (CA calibration). */
export interface ViewLogits {
  readonly names: readonly string[];
  /** One N×K matrix per view, same order as `names`. */
  readonly logits: readonly Matrix[];
}

/** What a calibrator is fitted on or applied to. */
export interface CalibrationInput {
  /** N×K logits (or log-probabilities ln max(p, 1e-12) when the input was probabilities). */
  readonly logits: Matrix;
  /**
   * The user's probabilities, when the input was probabilities: methods that read probabilities use these
   * values exactly (src/calibrators/probabilities.ts), logit-space methods use `logits`.
   */
  readonly probs?: Matrix;
  /** Transformed views, for views-based methods. */
  readonly views?: ViewLogits;
}

/** A labelled calibration set. Labels are in [0, K). */
export interface LabelledInput extends CalibrationInput {
  readonly labels: Int32Array;
}

/** Option values as they come from the CLI (`--option k=v`) or JSON. */
export type RawOptions = Readonly<Record<string, string | number | boolean>>;

/** Which multiclass reduction a binary map uses (calibrators.md §1.2). */
export type Reduction = 'none' | 'ovr' | 'top-label' | 'pooled';

/** The JSON envelope of a fitted model (calibrators.md §1.3). */
export interface CalibratorJSON {
  readonly format: 'calibra.calibrator';
  readonly version: number;
  readonly method: string;
  readonly input: 'logits' | 'probs' | 'scores' | 'views';
  readonly numClasses: number;
  readonly reduction: Reduction;
  readonly options: Readonly<Record<string, unknown>>;
  readonly params: Readonly<Record<string, unknown>>;
  readonly fit: { readonly converged: boolean; readonly iterations: number; readonly loss: number | null; readonly warnings: readonly string[] };
  readonly seed: number | null;
}

/** An immutable fitted model: there is no "not fitted yet" state. */
export interface FittedCalibrator {
  readonly method: string;
  readonly numClasses: number;
  /** True when predictProba never changes the argmax of the input logits. */
  readonly preservesArgmax: boolean;
  /** Calibrated probabilities, N×K, rows summing to 1. Writes into `out` when given. */
  predictProba(input: CalibrationInput, out?: Float64Array): Matrix<Float64Array>;
  /** Per-sample temperatures, for methods that have one (TS, PTS, CA); `calibra apply --temperatures` writes them. */
  predictTemperatures?(input: CalibrationInput): Float64Array;
  toJSON(): CalibratorJSON;
}

/** Diagnostics every fit reports (STYLE.md: converged, iterations, loss, warnings). */
export interface FitResult {
  readonly model: FittedCalibrator;
  readonly converged: boolean;
  readonly iterations: number;
  readonly loss: number | null;
  readonly warnings: readonly string[];
  /** Optional per-epoch or per-iteration loss curve. */
  readonly lossCurve?: readonly number[];
  /** Optional one-line summary of method-specific diagnostics (CA: spread of T, its AUROC, steps), shown by `calibra fit` and the report. */
  readonly summary?: string;
}

/** Context passed to fit: the seed and an optional progress callback (fraction in [0, 1]). */
export interface FitContext {
  readonly seed: number;
  readonly onProgress?: (fraction: number, message?: string) => void;
}

/** A calibration method: metadata, option handling, fit and load. */
export interface CalibratorSpec {
  /** Stable id used by the CLI and the model JSON, e.g. "ts", "isotonic". */
  readonly id: string;
  /** Human name with the paper, e.g. "Temperature scaling (Guo et al. 2017)". */
  readonly title: string;
  /** What the method reads. */
  readonly input: 'logits' | 'probs' | 'views';
  /** Whether the fitted map keeps every argmax (calibrators.md §1.4). */
  readonly preservesArgmax: boolean;
  /** Documented defaults, shown by `calibra fit --help`. */
  readonly defaults: Readonly<Record<string, string | number | boolean>>;
  fit(data: LabelledInput, options: RawOptions, ctx: FitContext): FitResult;
  /** Loads a model from its JSON; throws CalibraError E_MODEL_VERSION / E_MODEL_INVALID. */
  load(json: CalibratorJSON): FittedCalibrator;
}
