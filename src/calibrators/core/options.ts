/**
 * Option readers of the calibrators: they turn `RawOptions` (strings from `--option k=v`, or JSON values)
 * into typed settings and name the bad option and the fix. {@link OptionReader} is the table-driven reader
 * (defaults, then unknown keys refused); the functions below read one option at a time.
 */
import { CalibraError } from '../../errors.js';
import type { CalibratorJSON, RawOptions } from './types.js';

/** The one boolean spelling every method accepts: true/false, 1/0, yes/no (any case); undefined otherwise. */
export function parseBoolean(raw: string | number | boolean | undefined): boolean | undefined {
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).toLowerCase();
  if (s === 'true' || s === '1' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'no') return false;
  return undefined;
}

/** Parses and validates options against a table of defaults; unknown keys are an error. */
export class OptionReader {
  private readonly used = new Set<string>();
  constructor(private readonly method: string, private readonly raw: RawOptions, private readonly defaults: Readonly<Record<string, string | number | boolean>>) {}

  /** A number option; strings are parsed. */
  number(key: string, check: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {}): number {
    this.used.add(key);
    const v = this.raw[key] ?? this.defaults[key];
    const x = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    const bad = !Number.isFinite(x) || (check.integer === true && !Number.isInteger(x))
      || (check.min !== undefined && (check.exclusiveMin === true ? x <= check.min : x < check.min))
      || (check.max !== undefined && x > check.max);
    if (bad) {
      const range = `${check.integer === true ? 'an integer' : 'a number'}${check.min !== undefined ? ` ${check.exclusiveMin === true ? '>' : '>='} ${check.min}` : ''}${check.max !== undefined ? ` <= ${check.max}` : ''}`;
      throw new CalibraError('E_OPTION', `${this.method}: option ${key}=${String(v)} must be ${range}`, { where: `option '${key}'` });
    }
    return x;
  }

  /** A boolean option (true/false, 1/0, yes/no; see {@link parseBoolean}). */
  bool(key: string): boolean {
    this.used.add(key);
    const v = this.raw[key] ?? this.defaults[key];
    const b = parseBoolean(v);
    if (b === undefined) throw new CalibraError('E_OPTION', `${this.method}: option ${key}=${String(v)} must be true or false`, { where: `option '${key}'`, fix: `give ${key}=true or ${key}=false` });
    return b;
  }

  /** One of a fixed set of strings. */
  choice<T extends string>(key: string, allowed: readonly T[]): T {
    this.used.add(key);
    const v = String(this.raw[key] ?? this.defaults[key]);
    const hit = allowed.find((a) => a === v);
    if (hit === undefined) throw new CalibraError('E_OPTION', `${this.method}: option ${key}=${v} must be one of ${allowed.join(', ')}`, { where: `option '${key}'` });
    return hit;
  }

  /** Throws E_OPTION naming the first option that no reader asked for. */
  finish(): void {
    for (const key of Object.keys(this.raw)) {
      if (!this.used.has(key)) {
        throw new CalibraError('E_OPTION', `${this.method}: unknown option '${key}'`, { where: `option '${key}'`, fix: `known options: ${Object.keys(this.defaults).join(', ') || '(none)'}` });
      }
    }
  }
}

/** Recovers options stored in a model JSON as RawOptions (only scalar values survive). */
export function storedOptions(json: CalibratorJSON): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(json.options)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
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

/** A boolean option (true/false, 1/0, yes/no; see {@link parseBoolean}). */
export function booleanOption(options: RawOptions, key: string, fallback: boolean, method: string): boolean {
  const raw = options[key];
  if (raw === undefined) return fallback;
  const b = parseBoolean(raw);
  if (b === undefined) throw new CalibraError('E_OPTION', `${method}: option ${key}=${String(raw)} is not a boolean`, { fix: `give ${key}=true or ${key}=false` });
  return b;
}
