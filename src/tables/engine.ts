/**
 * The embedded DuckDB engine (`@duckdb/node-api`, its Linux binary inside the npm package), loaded with a
 * dynamic `import()` only when a table is evaluated, so `calibra evaluate --logits x.npy` never pays for it.
 * One in-memory database per command; `memory_limit` bounds what DuckDB holds (it spills sorts and large
 * aggregates to a temporary folder) and `threads` sets its parallelism.
 */
import { CalibraError } from '../errors.js';

/** A value read back from the engine: numbers, strings, booleans, null (BIGINTs beyond 2^53 as strings). */
export type TableValue = number | string | boolean | null;

/** What the table code needs from an engine. */
export interface TableEngine {
  /** Runs `sql` and returns every row as an object of column name → value. */
  all(sql: string): Promise<Array<Record<string, TableValue>>>;
  /** Runs `sql`, passing each chunk of rows (as columns) to `onChunk`; memory is one chunk at a time. */
  stream(sql: string, onChunk: (columns: TableValue[][], rows: number) => void): Promise<void>;
  /** Runs a statement without reading a result. */
  run(sql: string): Promise<void>;
  /** Appends `rows` rows, given column by column, to an existing table (Arrow IPC import). */
  append(table: string, columns: readonly AppendColumn[], rows: number): Promise<void>;
  close(): void;
}

/** One column of rows to append, with its DuckDB kind. */
export type AppendColumn =
  | { readonly kind: 'bigint' | 'double'; readonly values: ReadonlyArray<number | null> }
  | { readonly kind: 'boolean'; readonly values: ReadonlyArray<boolean | null> }
  | { readonly kind: 'varchar'; readonly values: ReadonlyArray<string | null> }
  | { readonly kind: 'double[]'; readonly values: ReadonlyArray<readonly number[] | null> };

/** Settings of the engine. */
export interface EngineOptions {
  /** DuckDB worker threads (default: DuckDB's, the number of cores). */
  readonly threads?: number;
  /** DuckDB memory limit in MB (default 1024). */
  readonly memoryMb?: number;
}

/** Converts one engine value to a plain JS value (DATE/TIMESTAMP/DECIMAL... as their SQL text). */
function plain(v: unknown): TableValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  return String(v);
}

/**
 * Opens an in-memory DuckDB with the given settings. Throws E_UNSUPPORTED with the fix when the package
 * or its binary cannot be loaded. Cost: about 50–150 ms the first time (loading the native library).
 */
export async function openEngine(opts: EngineOptions = {}): Promise<TableEngine> {
  let api: typeof import('@duckdb/node-api');
  try {
    api = await import('@duckdb/node-api');
  } catch (e) {
    throw new CalibraError('E_UNSUPPORTED', `cannot load DuckDB (@duckdb/node-api): ${(e as Error).message}`, { fix: 'run npm ci in the calibra folder (the package ships its Linux binary)' });
  }
  const config: Record<string, string> = { memory_limit: `${Math.max(16, Math.round(opts.memoryMb ?? 1024))}MB`, preserve_insertion_order: 'true', autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' };
  if (opts.threads !== undefined) config['threads'] = String(opts.threads);
  const instance = await api.DuckDBInstance.create(':memory:', config);
  const con = await instance.connect();
  return {
    async all(sql) {
      const reader = await con.runAndReadAll(sql);
      const names = reader.columnNames();
      const cols = reader.getColumnsJS();
      const out: Array<Record<string, TableValue>> = [];
      for (let r = 0; r < reader.currentRowCount; r++) {
        const row: Record<string, TableValue> = {};
        names.forEach((n, j) => { row[n] = plain(cols[j]?.[r]); });
        out.push(row);
      }
      return out;
    },
    async stream(sql, onChunk) {
      const result = await con.stream(sql);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        const cols: TableValue[][] = [];
        for (let j = 0; j < chunk.columnCount; j++) cols.push(chunk.getColumnValues(j).map(plain));
        onChunk(cols, chunk.rowCount);
      }
    },
    async run(sql) { await con.run(sql); },
    async append(table, columns, rows) {
      const appender = await con.createAppender(table);
      for (let r = 0; r < rows; r++) {
        for (const col of columns) {
          const v = col.values[r];
          if (v === null || v === undefined) appender.appendNull();
          else if (col.kind === 'bigint') appender.appendBigInt(BigInt(v as number));
          else if (col.kind === 'double') appender.appendDouble(v as number);
          else if (col.kind === 'varchar') appender.appendVarchar(v as string);
          else if (col.kind === 'boolean') appender.appendBoolean(v as boolean);
          else appender.appendList(api.listValue([...(v as readonly number[])]), api.LIST(api.DOUBLE));
        }
        appender.endRow();
      }
      appender.flushSync();
      appender.closeSync();
    },
    close() { con.closeSync(); instance.closeSync(); },
  };
}
