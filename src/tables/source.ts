/**
 * `--table FILE_OR_GLOB` as a DuckDB relation: Parquet (`.parquet`, `.pq`), CSV (`.csv`, `.tsv`), JSON
 * (`.jsonl`, `.ndjson` newline-delimited; `.json` an array or newline-delimited), compressed `.gz`/`.zst`
 * CSV and JSON, DuckDB database files (`.duckdb`, `.ddb`, `.db`; one table, or the one `--db-table` names),
 * and Arrow IPC files and streams (`.arrow`, `.feather`, `.ipc`, `.arrows`). Globs (`*`, `?`, `[...]`,
 * `**`) read every matching file in sorted order, as one table.
 *
 * Every source gets a row order `__ord` (file index, then row in the file), so the equal-mass ids break ties
 * like the in-memory stable sort, and errors name the file and row. The bundled DuckDB has no Arrow
 * extension and none can be downloaded offline, so Arrow IPC is read record batch by record batch with the
 * `apache-arrow` package and appended to a temporary DuckDB table (which DuckDB spills to disk beyond its
 * memory limit): it works offline, at the speed of the appender rather than of a native scan.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CalibraError } from '../errors.js';
import { duckdb as d } from './dialect.js';
import type { TableEngine } from './engine.js';

/** A resolved table source. */
export interface ResolvedSource {
  /** What the user wrote (for messages). */
  readonly spec: string;
  readonly format: 'parquet' | 'csv' | 'json' | 'duckdb' | 'arrow';
  /** Relation for the FROM clause. */
  readonly from: string;
  /** Row order expression (file index · 2^40 + row in file, or a row number / rowid). */
  readonly ordinal: string;
  /** Expression of the file index of a row (0 for single-file sources). */
  readonly fileIndex: string;
  /** The files, in the order of `fileIndex`. */
  readonly files: readonly string[];
}

const GLOB = /[*?[]/;

/** The format of a path by its extension (compression suffixes ignored). */
export function formatOf(file: string): ResolvedSource['format'] | null {
  let name = file.toLowerCase();
  for (const z of ['.gz', '.zst']) if (name.endsWith(z)) name = name.slice(0, -z.length);
  const ext = path.extname(name);
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  if (ext === '.csv' || ext === '.tsv') return 'csv';
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'json';
  if (ext === '.duckdb' || ext === '.ddb' || ext === '.db') return 'duckdb';
  if (ext === '.arrow' || ext === '.feather' || ext === '.ipc' || ext === '.arrows') return 'arrow';
  return null;
}

async function listFiles(engine: TableEngine, spec: string): Promise<string[]> {
  if (!GLOB.test(spec)) {
    if (!fs.existsSync(spec)) throw new CalibraError('E_IO', 'no such file', { source: spec, fix: 'check the path given to --table (globs such as logs/*.parquet are allowed)' });
    if (fs.statSync(spec).isDirectory()) throw new CalibraError('E_IO', 'is a folder', { source: spec, fix: `give a file or a glob, e.g. --table '${path.join(spec, '*.parquet')}'` });
    return [spec];
  }
  const rows = await engine.all(`SELECT file FROM glob(${d.str(spec)}) ORDER BY file`);
  const files = rows.map((r) => String(r['file']));
  if (files.length === 0) throw new CalibraError('E_IO', 'no file matches the glob', { source: spec, fix: 'check the pattern (quote it so the shell does not expand it)' });
  return files;
}

/**
 * Resolves `spec` (a file or a glob) for `engine`: checks the files exist, attaches a database file or
 * imports an Arrow file when needed. `dbTable` picks the table of a DuckDB database file.
 */
export async function resolveSource(engine: TableEngine, spec: string, dbTable?: string): Promise<ResolvedSource> {
  const format = formatOf(spec);
  if (format === null) {
    throw new CalibraError('E_FORMAT', `unknown table format ${JSON.stringify(path.extname(spec) || spec)}`, { source: spec, fix: 'use .parquet, .csv, .tsv, .jsonl, .ndjson, .json, .arrow/.feather/.ipc/.arrows or .duckdb (optionally .gz/.zst for CSV and JSON)' });
  }
  const files = await listFiles(engine, spec);
  const rel = fileRelation(spec, format);
  if (rel !== null) return { spec, format, files, ...rel };
  if (files.length !== 1) throw new CalibraError('E_USAGE', `a glob of ${format === 'duckdb' ? 'DuckDB database' : 'Arrow'} files is not supported (${files.length} files match)`, { source: spec, fix: 'give one file' });
  const file = files[0] as string;
  if (format === 'duckdb') return attachDatabase(engine, spec, file, dbTable);
  const { importArrow } = await import('./arrow-import.js');
  await importArrow(engine, file, '__arrow');
  return { spec, format, files, from: '__arrow', ordinal: 'rowid', fileIndex: '0' };
}

/**
 * The DuckDB relation of a Parquet, CSV or JSON file or glob, with its row order and file index (null for
 * the formats that need an engine to resolve: DuckDB database files and Arrow IPC). Pure: used by
 * `calibra sql` to print a query without opening the files.
 */
export function fileRelation(spec: string, format: ResolvedSource['format']): Pick<ResolvedSource, 'from' | 'ordinal' | 'fileIndex'> | null {
  const lit = d.str(spec);
  if (format === 'parquet') return { from: `read_parquet(${lit}, file_row_number = true)`, ordinal: 'CAST(file_index AS BIGINT) * 1099511627776 + file_row_number', fileIndex: 'file_index' };
  if (format === 'csv') {
    const delim = spec.toLowerCase().replace(/\.(gz|zst)$/, '').endsWith('.tsv') ? ", delim = '\\t'" : '';
    return { from: `read_csv(${lit}, header = true${delim})`, ordinal: '(ROW_NUMBER() OVER () - 1)', fileIndex: 'file_index' };
  }
  if (format === 'json') {
    const ndjson = /\.(jsonl|ndjson)(\.(gz|zst))?$/i.test(spec) ? ", format = 'newline_delimited'" : '';
    return { from: `read_json(${lit}${ndjson})`, ordinal: '(ROW_NUMBER() OVER () - 1)', fileIndex: 'file_index' };
  }
  return null;
}

async function attachDatabase(engine: TableEngine, spec: string, file: string, dbTable: string | undefined): Promise<ResolvedSource> {
  try {
    await engine.run(`ATTACH ${d.str(file)} AS __db (READ_ONLY)`);
  } catch (e) {
    throw new CalibraError('E_FORMAT', `not a DuckDB database: ${firstLine(e)}`, { source: spec, fix: 'give a file written by DuckDB, or a .parquet/.csv/.jsonl file' });
  }
  const tables = (await engine.all("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = '__db' ORDER BY schema_name, table_name"))
    .map((r) => ({ schema: String(r['schema_name']), table: String(r['table_name']) }));
  const names = tables.map((t) => (t.schema === 'main' ? t.table : `${t.schema}.${t.table}`));
  let pick: { schema: string; table: string } | undefined;
  if (dbTable !== undefined) {
    pick = tables.find((t) => t.table === dbTable && t.schema === 'main') ?? tables.find((t) => `${t.schema}.${t.table}` === dbTable);
    if (pick === undefined) throw new CalibraError('E_USAGE', `the database has no table ${JSON.stringify(dbTable)}`, { source: spec, fix: `use one of: ${names.join(', ') || '(none)'}` });
  } else if (tables.length === 1) pick = tables[0];
  else throw new CalibraError('E_USAGE', `the database has ${tables.length} tables`, { source: spec, fix: tables.length === 0 ? 'give a database with a table of predictions' : `pick one with --db-table (one of: ${names.join(', ')})` });
  const t = pick as { schema: string; table: string };
  return { spec, format: 'duckdb', files: [file], from: `__db.${d.ident(t.schema)}.${d.ident(t.table)}`, ordinal: 'rowid', fileIndex: '0' };
}

/** The first line of an engine error's message. */
export function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return (m.split('\n')[0] ?? m).trim();
}
