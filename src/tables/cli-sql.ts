/** The work of `calibra sql` (loaded lazily): options → the statement text. */
import * as fs from 'node:fs';
import { CalibraError } from '../errors.js';
import { EDGE_RULES, type EdgeRule } from '../metrics/binning.js';
import { presetMetricIds } from '../metrics/ids.js';
import { getValue, type ParsedArgs, metricListValue } from '../cli/args.js';
import { DIALECT_NAMES, dialectOf, type DialectName } from './dialect.js';
import { tableOptions } from './cli-args.js';
import { FETCHED_IDS, planTableMetrics } from './plan.js';
import type { TableQuerySource } from './query.js';
import { fileRelation, formatOf } from './source.js';
import { evaluationSql } from './sql-query.js';
import { VERSION } from '../version.js';

/** Options of one `calibra sql` call, parsed. */
export interface SqlRequest {
  readonly dialect: DialectName;
  readonly src: TableQuerySource;
  readonly ids: readonly string[];
  readonly explicit: ReadonlySet<string>;
  readonly edges: EdgeRule;
}

/** Parses `calibra sql` arguments into a request (no engine is opened). */
export function sqlRequest(args: ParsedArgs): SqlRequest {
  const name = getValue(args, 'dialect') ?? '';
  if (!(DIALECT_NAMES as readonly string[]).includes(name)) throw new CalibraError('E_USAGE', `unknown dialect ${JSON.stringify(name)}`, { where: 'calibra sql', fix: `use one of ${DIALECT_NAMES.join(', ')}` });
  const dialect = name as DialectName;
  const d = dialectOf(dialect);
  const t = tableOptions(args, 'sql');
  const scalar = args.flags.has('binary');
  if (scalar && t.input.kind === 'top') throw new CalibraError('E_USAGE', '--binary goes with --probs-col or --logits-col', { where: 'calibra sql', fix: 'drop --binary' });
  const orderCol = getValue(args, 'order-col');
  let from: string;
  let ordinal: string | null = orderCol === undefined ? null : d.ident(orderCol);
  const format = formatOf(t.table);
  if (dialect === 'duckdb') {
    const rel = format === null ? null : fileRelation(t.table, format);
    if (rel === null) throw new CalibraError('E_USAGE', `--dialect duckdb prints queries over .parquet, .csv/.tsv and .jsonl/.ndjson/.json files, not ${JSON.stringify(t.table)}`, { where: 'calibra sql', fix: 'give such a file or glob (calibra evaluate --table also reads .arrow and .duckdb)' });
    from = rel.from;
    ordinal = orderCol === undefined ? rel.ordinal : ordinal;
  } else if (dialect === 'spark' && (format === 'parquet' || format === 'json' || format === 'csv')) {
    from = `${format}.${d.ident(t.table)}`;
  } else {
    from = t.table.split('.').map((p) => d.ident(p)).join('.');
  }
  const src: TableQuerySource = { from, ordinal, where: t.where, label: t.label, by: t.by, input: t.input.kind === 'top' ? t.input : { ...t.input, scalar } };
  const preset = getValue(args, 'preset');
  const listed = metricListValue(args) ?? [];
  const base = preset !== undefined || listed.length === 0 ? presetMetricIds(preset ?? 'default').filter((id) => !FETCHED_IDS.has(id.split('@')[0] as string)) : [];
  const edgesText = getValue(args, 'edges') ?? 'right';
  if (!(EDGE_RULES as readonly string[]).includes(edgesText)) throw new CalibraError('E_USAGE', `unknown edge rule ${JSON.stringify(edgesText)}`, { where: 'calibra sql', fix: `use one of ${EDGE_RULES.join(', ')}` });
  return { dialect, src, ids: [...new Set([...base, ...listed])], explicit: new Set(listed), edges: edgesText as EdgeRule };
}

/** The statement for a request, with a header comment. */
export function sqlText(r: SqlRequest): string {
  const plan = planTableMetrics(r.ids, r.explicit, r.src.input.kind);
  const body = evaluationSql(dialectOf(r.dialect), r.src, plan, r.edges);
  const notes = [
    `-- calibra ${VERSION} sql, dialect ${r.dialect}: ${plan.specs.map((s) => s.id).join(', ')}`,
    '-- result: level (0 = whole table, 1 = slice), slice columns, metric, value; metric n = rows',
  ];
  if (r.dialect !== 'duckdb') notes.push(`-- not executed in calibra's tests: written from the ${r.dialect === 'spark' ? 'Spark SQL' : 'GoogleSQL'} function reference`);
  if (r.src.ordinal === null && plan.mass.length > 0) notes.push('-- equal-mass ids without --order-col: ties of confidence fall in an arbitrary order (the value can differ from calibra\'s only when tied confidences straddle a bin boundary)');
  if (r.src.where !== null) notes.push('-- the WHERE predicate is the --where text as given');
  if (plan.dropped.length > 0) notes.push(`-- left out (need a probability per class): ${plan.dropped.join(', ')}`);
  return `${notes.join('\n')}\n${body};\n`;
}

/** `calibra sql`: the text to print. */
export async function printSql(args: ParsedArgs): Promise<string> {
  const r = sqlRequest(args);
  if (r.dialect === 'duckdb' && r.src.input.kind !== 'top' && !args.flags.has('binary') && !/[*?[]/.test(getValue(args, 'table') ?? '') && fs.existsSync(getValue(args, 'table') ?? '')) {
    // a file at hand: detect a scalar (binary) probability/logit column like evaluate does
    const { openEngine } = await import('./engine.js');
    const { resolveSource } = await import('./source.js');
    const { checkColumns, describeColumns } = await import('./check.js');
    const engine = await openEngine();
    try {
      const src = await resolveSource(engine, getValue(args, 'table') as string);
      const t = tableOptions(args, 'sql');
      const { scalar } = checkColumns(await describeColumns(engine, src), src, { ...r.src, input: t.input });
      if (scalar) return sqlText({ ...r, src: { ...r.src, input: { ...(t.input as { kind: 'probs' | 'logits'; column: string }), scalar } } });
    } finally {
      engine.close();
    }
  }
  return sqlText(r);
}
