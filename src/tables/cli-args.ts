/**
 * The table options shared by `calibra evaluate --table`, `calibra report --table` and `calibra sql`:
 * `--table`, `--db-table`, `--label-col`, one of `--confidence-col --pred-col` | `--probs-col` |
 * `--logits-col`, `--by`, `--where`. Parsed here once.
 */
import { CalibraError } from '../errors.js';
import { getValue, listValue, type ParsedArgs } from '../cli/args.js';
import type { TableEvaluateOptions } from './evaluate-table.js';

/** The value keys of the table options (for `parseArgs`). */
export const TABLE_VALUE_KEYS = ['table', 'db-table', 'label-col', 'confidence-col', 'pred-col', 'probs-col', 'logits-col', 'by', 'where'] as const;

/** Usage lines of the table options. */
export const TABLE_USAGE = `  --table FILE_OR_GLOB   a table of predictions: .parquet, .csv/.tsv, .jsonl/.ndjson/.json, .arrow/.feather/.ipc,
                       .duckdb (one table, or --db-table NAME); globs such as 'logs/*.parquet' read every file
  --label-col NAME       integer labels 0..K-1
  --confidence-col NAME --pred-col NAME   top-label confidence and predicted class, or
  --probs-col NAME       a LIST column of K probabilities (one number: P(y=1) of a binary problem), or
  --logits-col NAME      a LIST column of K logits (one number: the logit of class 1)
  --by COL[,COL]         metrics per slice (every combination of the columns' values), plus the whole table
  --where SQL            keep the rows where this DuckDB SQL predicate holds (your own SQL, run as written)
`;

/** The table part of the options, or a usage error naming what is missing. */
export function tableOptions(args: ParsedArgs, command: string): Pick<TableEvaluateOptions, 'table' | 'dbTable' | 'label' | 'input' | 'by' | 'where'> {
  const table = getValue(args, 'table');
  if (table === undefined) throw new CalibraError('E_USAGE', 'missing --table', { where: `calibra ${command}`, fix: 'add --table FILE_OR_GLOB' });
  const label = getValue(args, 'label-col');
  if (label === undefined) throw new CalibraError('E_USAGE', 'missing --label-col', { where: `calibra ${command}`, fix: 'name the column of integer labels, e.g. --label-col label' });
  const conf = getValue(args, 'confidence-col');
  const pred = getValue(args, 'pred-col');
  const probs = getValue(args, 'probs-col');
  const logits = getValue(args, 'logits-col');
  const given = [conf !== undefined || pred !== undefined, probs !== undefined, logits !== undefined].filter(Boolean).length;
  if (given !== 1) throw new CalibraError('E_USAGE', 'give exactly one of --confidence-col/--pred-col, --probs-col and --logits-col', { where: `calibra ${command}`, fix: 'e.g. --confidence-col confidence --pred-col pred' });
  let input: TableEvaluateOptions['input'];
  if (probs !== undefined) input = { kind: 'probs', column: probs };
  else if (logits !== undefined) input = { kind: 'logits', column: logits };
  else {
    if (conf === undefined || pred === undefined) throw new CalibraError('E_USAGE', '--confidence-col and --pred-col go together', { where: `calibra ${command}`, fix: 'give both (the top-label probability and the predicted class)' });
    input = { kind: 'top', confidence: conf, pred };
  }
  const by = listValue(args, 'by') ?? [];
  if (new Set(by).size !== by.length) throw new CalibraError('E_USAGE', '--by names a column twice', { where: `calibra ${command}`, fix: 'name each column once' });
  const dbTable = getValue(args, 'db-table');
  const where = getValue(args, 'where') ?? null;
  return { table, label, input, by, where, ...(dbTable !== undefined ? { dbTable } : {}) };
}
