/**
 * Input checks shared by the binning calibrators (H4 area): shapes, finiteness, label range, and the
 * small option readers that turn `RawOptions` (strings from `--option k=v`, or JSON values) into typed settings.
 * Every failure is a CalibraError naming the field and the fix.
 */
import { CalibraError } from '../../errors.js';
import type { Matrix } from '../../math/matrix.js';
import type { CalibratorJSON, LabelledInput, RawOptions } from './types.js';

/**
 * Checks a labelled calibration set: N ≥ 1, K ≥ 2, labels.length = N, every logit finite, every label in [0, K).
 * Cost: O(N·K).
 */
export function checkLabelled(data: LabelledInput, method: string): void {
  checkLogits(data.logits, method);
  const { rows, cols } = data.logits;
  if (data.labels.length !== rows) {
    throw new CalibraError('E_SHAPE', `${method}: ${rows} rows of logits but ${data.labels.length} labels`, { fix: 'give one label per row' });
  }
  for (let i = 0; i < rows; i++) {
    const y = data.labels[i] as number;
    if (y < 0 || y >= cols) {
      throw new CalibraError('E_LABEL_RANGE', `${method}: label ${y} is outside [0, ${cols})`, { where: `row ${i}`, fix: `labels must be class indices below the number of columns (${cols})` });
    }
  }
}

/** Checks logits: at least one row, at least 2 columns, all finite. Cost: O(N·K). */
export function checkLogits(logits: Matrix, method: string): void {
  if (logits.rows < 1) throw new CalibraError('E_EMPTY', `${method}: no rows to calibrate`, { fix: 'give at least one sample' });
  if (logits.cols < 2) throw new CalibraError('E_SHAPE', `${method}: need at least 2 classes, got ${logits.cols} column(s)`, { fix: 'for a binary problem give N×2 logits or an N-vector of P(y=1) as probabilities' });
  const d = logits.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i] as number)) {
      const r = Math.floor(i / logits.cols);
      throw new CalibraError('E_NON_FINITE', `${method}: non-finite logit ${String(d[i])}`, { where: `row ${r}, column ${i - r * logits.cols}`, fix: 'remove or repair non-finite values' });
    }
  }
}

/** Checks that input to a fitted model has the model's class count. */
export function checkPredictInput(logits: Matrix, numClasses: number, method: string): void {
  if (logits.cols !== numClasses) {
    throw new CalibraError('E_SHAPE', `${method}: model was fitted on ${numClasses} classes, input has ${logits.cols} columns`, { fix: 'apply the model to logits of the same classifier' });
  }
  checkLogits(logits, method);
}

/** Throws E_OPTION when `options` holds a key that `known` does not list. */
export function checkOptionKeys(options: RawOptions, known: readonly string[], method: string): void {
  for (const k of Object.keys(options)) {
    if (!known.includes(k)) {
      throw new CalibraError('E_OPTION', `${method}: unknown option '${k}'`, { fix: `known options: ${known.length > 0 ? known.join(', ') : '(none)'}` });
    }
  }
}

/** A numeric option (strings are parsed), within [min, max], integral when asked. */
export function numberOption(options: RawOptions, key: string, fallback: number, method: string, bounds: { min?: number; max?: number; integer?: boolean } = {}): number {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
  const bad = !Number.isFinite(v) || (bounds.integer === true && !Number.isInteger(v)) || (bounds.min !== undefined && v < bounds.min) || (bounds.max !== undefined && v > bounds.max);
  if (bad) {
    const range = `${bounds.integer === true ? 'an integer' : 'a number'}${bounds.min !== undefined ? ` ≥ ${bounds.min}` : ''}${bounds.max !== undefined ? ` ≤ ${bounds.max}` : ''}`;
    throw new CalibraError('E_OPTION', `${method}: option ${key}=${String(raw)} is not ${range}`, { fix: `give ${key} as ${range}` });
  }
  return v;
}

/** A string option restricted to `choices`. */
export function choiceOption<T extends string>(options: RawOptions, key: string, choices: readonly T[], fallback: T, method: string): T {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const s = String(raw);
  if (!(choices as readonly string[]).includes(s)) {
    throw new CalibraError('E_OPTION', `${method}: option ${key}=${s} is not one of ${choices.join(', ')}`, { fix: `give ${key} as one of ${choices.join('|')}` });
  }
  return s as T;
}

/** A boolean option: true/false, 1/0, yes/no. */
export function booleanOption(options: RawOptions, key: string, fallback: boolean, method: string): boolean {
  const raw = options[key];
  if (raw === undefined) return fallback;
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).toLowerCase();
  if (s === 'true' || s === '1' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'no') return false;
  throw new CalibraError('E_OPTION', `${method}: option ${key}=${String(raw)} is not a boolean`, { fix: `give ${key}=true or ${key}=false` });
}

/** The fit-diagnostics block of the JSON envelope. */
export function fitBlock(converged: boolean, iterations: number, loss: number | null, warnings: readonly string[]): CalibratorJSON['fit'] {
  return { converged, iterations, loss, warnings: [...warnings] };
}
