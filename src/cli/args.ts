/**
 * A small argv parser: `--key value`, `--key=value`, boolean `--flag`, repeatable keys, and positionals.
 * Which keys are flags (take no value) and which may repeat is declared by the command.
 */
import { CalibraError } from '../errors.js';
import { didYouMean, foldName } from '../suggest.js';
import { parseMetricId } from '../metrics/ids.js';

export interface ArgSpec {
  /** Keys that take no value. */
  readonly flags?: readonly string[];
  /** Keys that take a value. */
  readonly values?: readonly string[];
  /** Value keys that may be given more than once (collected in order). */
  readonly repeatable?: readonly string[];
}

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly flags: ReadonlySet<string>;
  readonly values: ReadonlyMap<string, readonly string[]>;
}

export function parseArgs(given: readonly string[], spec: ArgSpec, command: string): ParsedArgs {
  let argv = given;
  const flagSet = new Set(spec.flags ?? []);
  const valueSet = new Set([...(spec.values ?? []), ...(spec.repeatable ?? [])]);
  const repeatable = new Set(spec.repeatable ?? []);
  const positionals: string[] = [];
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('--') || a === '--') { positionals.push(a); continue; }
    const eq = a.indexOf('=');
    const key = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    if (flagSet.has(key)) {
      if (eq >= 0) throw new CalibraError('E_USAGE', `--${key} takes no value`, { fix: `write --${key} alone`, where: `calibra ${command}` });
      flags.add(key);
      continue;
    }
    if (!valueSet.has(key)) {
      const names = [...flagSet, ...valueSet];
      const folded = names.find((k) => foldName(k) === foldName(key));
      if (folded !== undefined) { argv = [...argv.slice(0, i), `--${folded}${eq >= 0 ? a.slice(eq) : ''}`, ...argv.slice(i + 1)]; i--; continue; }
      const known = names.map((k) => `--${k}`).join(', ');
      throw new CalibraError('E_USAGE', `unknown option --${key}`, { where: `calibra ${command}`, fix: `${didYouMean(key, names, (k) => `--${k}`)}known options: ${known}; see calibra ${command} --help` });
    }
    let value: string;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) {
        throw new CalibraError('E_USAGE', `--${key} needs a value`, { where: `calibra ${command}`, fix: `write --${key} VALUE` });
      }
      value = next;
      i++;
    }
    const list = values.get(key) ?? [];
    if (list.length > 0 && !repeatable.has(key)) {
      throw new CalibraError('E_USAGE', `--${key} given twice`, { where: `calibra ${command}`, fix: `give --${key} once` });
    }
    list.push(value);
    values.set(key, list);
  }
  return { positionals, flags, values };
}

/** The single value of `key`, or undefined. */
export function getValue(args: ParsedArgs, key: string): string | undefined {
  return args.values.get(key)?.[0];
}

/** The single value of `key`; a usage error naming the key when absent. */
export function requireValue(args: ParsedArgs, key: string, command: string): string {
  const v = getValue(args, key);
  if (v === undefined) throw new CalibraError('E_USAGE', `missing --${key}`, { where: `calibra ${command}`, fix: `add --${key} ...; see calibra ${command} --help` });
  return v;
}

/** A numeric option with bounds; a usage error naming the key and the allowed range. */
export function numberValue(args: ParsedArgs, key: string, command: string, fallback: number, opts: { min?: number; max?: number; integer?: boolean } = {}): number {
  const raw = getValue(args, key);
  if (raw === undefined) return fallback;
  const v = Number(raw);
  const bad = !Number.isFinite(v) || (opts.integer === true && !Number.isInteger(v)) || (opts.min !== undefined && v < opts.min) || (opts.max !== undefined && v > opts.max);
  if (bad) {
    const range = `${opts.integer === true ? 'an integer' : 'a number'}${opts.min !== undefined ? ` >= ${opts.min}` : ''}${opts.max !== undefined ? ` <= ${opts.max}` : ''}`;
    throw new CalibraError('E_USAGE', `--${key} ${JSON.stringify(raw)} is not valid`, { where: `calibra ${command}`, fix: `give ${range}` });
  }
  return v;
}

/**
 * A value out of a fixed list (`--format table|json`), compared case-insensitively; an unknown one is E_USAGE
 * with "did you mean" and the list.
 */
export function choiceValue<T extends string>(args: ParsedArgs, key: string, command: string, choices: readonly T[], fallback: T): T {
  const raw = getValue(args, key);
  if (raw === undefined) return fallback;
  const hit = choices.find((c) => foldName(c) === foldName(raw));
  if (hit === undefined) throw new CalibraError('E_USAGE', `unknown --${key} ${JSON.stringify(raw)}`, { where: `calibra ${command}`, fix: `${didYouMean(raw, choices)}use ${choices.join(', ')}` });
  return hit;
}

/** Comma-separated list value (also accepts repeated keys). */
export function listValue(args: ParsedArgs, key: string): string[] | undefined {
  const all = args.values.get(key);
  if (all === undefined) return undefined;
  return all.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * `--metrics` ids in their canonical spelling (aliases and other cases resolved: `ECE,log-loss` → `ece,nll`),
 * or undefined when the option is absent. Unknown ids throw E_OPTION with "did you mean".
 */
export function metricListValue(args: ParsedArgs, key = 'metrics'): string[] | undefined {
  const raw = listValue(args, key);
  return raw === undefined ? undefined : raw.map((id) => parseMetricId(id).id);
}

/** `--option k=v` pairs into a record (numbers and booleans parsed). */
export function keyValueOptions(args: ParsedArgs, key: string, command: string): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const pair of args.values.get(key) ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CalibraError('E_USAGE', `--${key} ${JSON.stringify(pair)} is not k=v`, { where: `calibra ${command}`, fix: `write --${key} name=value` });
    const k = pair.slice(0, eq);
    const v = pair.slice(eq + 1);
    out[k] = v === 'true' ? true : v === 'false' ? false : v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}

/** How `.csv` inputs' first row is read: `--header yes|no|auto` (default auto; see docs/data-formats.md). */
export function csvHeaderValue(args: ParsedArgs, command: string): 'yes' | 'no' | 'auto' {
  const v = getValue(args, 'header') ?? 'auto';
  if (v !== 'yes' && v !== 'no' && v !== 'auto') throw new CalibraError('E_USAGE', `--header ${JSON.stringify(v)} is not valid`, { where: `calibra ${command}`, fix: 'give --header yes (the first row of every .csv input names the columns), no (it is data) or auto (guess; ambiguous files are refused)' });
  return v;
}
