/**
 * The `--table` path of `calibra evaluate` (loaded by a dynamic import, so a user of .npy files never
 * loads DuckDB): parses the table options, evaluates, and formats.
 */
import { CalibraError, termSafe } from '../errors.js';
import { EDGE_RULES, type EdgeRule } from '../metrics/binning.js';
import { presetMetricIds } from '../metrics/ids.js';
import { getValue, numberValue, type ParsedArgs, metricListValue } from '../cli/args.js';
import type { CliIo } from '../cli/io.js';
import { evaluateTable, type TableEvaluateOptions } from './evaluate-table.js';
import { tableOptions } from './cli-args.js';
import { tableCsv, tableJson, tableText } from './format.js';

/** Options for a table evaluation from parsed CLI arguments (shared by evaluate and report). */
export function tableEvaluateOptions(args: ParsedArgs, command: string, defaultIds?: readonly string[]): TableEvaluateOptions {
  for (const k of ['logits', 'probs', 'labels', 'ci', 'bootstrap', 'chunk-rows']) {
    if (getValue(args, k) !== undefined) throw new CalibraError('E_USAGE', `--${k} does not go with --table`, { where: `calibra ${command}`, fix: `drop --${k}${k === 'ci' || k === 'bootstrap' ? ' (bootstrap intervals are computed for files only)' : ''}` });
  }
  const preset = getValue(args, 'preset');
  const listed = metricListValue(args) ?? [];
  const base = preset !== undefined || listed.length === 0 ? (preset !== undefined || defaultIds === undefined ? presetMetricIds(preset ?? 'default') : [...defaultIds]) : [];
  const ids = [...new Set([...base, ...listed])];
  const edgesText = getValue(args, 'edges') ?? 'right';
  if (!(EDGE_RULES as readonly string[]).includes(edgesText)) throw new CalibraError('E_USAGE', `unknown edge rule ${JSON.stringify(edgesText)}`, { where: `calibra ${command}`, fix: `use one of ${EDGE_RULES.join(', ')}` });
  const threads = getValue(args, 'threads') === undefined ? undefined : numberValue(args, 'threads', command, 1, { min: 1, max: 256, integer: true });
  return {
    ...tableOptions(args, command),
    ids, explicit: new Set(listed), edges: edgesText as EdgeRule,
    memoryMb: numberValue(args, 'max-memory', command, 1024, { min: 16 }),
    ...(threads !== undefined ? { threads } : {}),
  };
}

/** Runs `calibra evaluate --table ...` and returns what to print. */
export async function runTableEvaluate(args: ParsedArgs, io: CliIo, format: 'table' | 'json' | 'csv'): Promise<string> {
  const opts = tableEvaluateOptions(args, 'evaluate');
  const r = await evaluateTable(opts);
  if (r.dropped.length > 0 && !args.flags.has('quiet')) io.stderr(`calibra: note: left out ${termSafe(r.dropped.join(', '))} (the table gives no probability per class; use --probs-col or --logits-col for them)\n`);
  return format === 'json' ? tableJson(r) : format === 'csv' ? tableCsv(r, opts.by) : tableText(r, opts.by);
}
