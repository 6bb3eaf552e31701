/**
 * Arrow IPC (file `ARROW1` or stream format) into a temporary DuckDB table, one record batch at a time:
 * the bundled DuckDB cannot read Arrow IPC without its `arrow` extension, which is not in the package and
 * cannot be downloaded offline. Integers become BIGINT, floats DOUBLE (float32 values are exact in
 * float64), lists of numbers DOUBLE[], booleans BOOLEAN, everything else its text (VARCHAR). Memory: one
 * record batch; DuckDB spills the table beyond its memory limit. Compressed IPC bodies (LZ4/ZSTD) are not
 * supported by the `apache-arrow` JavaScript reader: such files fail with a message naming the file.
 */
import * as fs from 'node:fs';
import { CalibraError } from '../errors.js';
import { duckdb as d } from './dialect.js';
import type { AppendColumn, TableEngine } from './engine.js';
import { firstLine } from './source.js';

type ColumnKind = AppendColumn['kind'];

/** DuckDB column kind of an Arrow type id (apache-arrow `Type` enum names). */
function kindOf(typeName: string, childName: string | undefined): ColumnKind {
  if (/^U?Int/.test(typeName)) return 'bigint';
  if (/^Float/.test(typeName)) return 'double';
  if (typeName === 'Bool') return 'boolean';
  if ((typeName === 'List' || typeName === 'FixedSizeList') && childName !== undefined && /^(U?Int|Float)/.test(childName)) return 'double[]';
  return 'varchar';
}

const SQL_TYPE: Record<ColumnKind, string> = { bigint: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN', 'double[]': 'DOUBLE[]', varchar: 'VARCHAR' };

/** Reads `file` into the new temporary table `table`. Cost O(rows · columns) appender calls. */
export async function importArrow(engine: TableEngine, file: string, table: string): Promise<void> {
  const arrow = await import('apache-arrow');
  let reader: Awaited<ReturnType<typeof arrow.RecordBatchReader.from>>;
  try {
    reader = await arrow.RecordBatchReader.from(fs.createReadStream(file));
    await reader.open();
  } catch (e) {
    throw new CalibraError('E_FORMAT', `not an Arrow IPC file or stream: ${firstLine(e)}`, { source: file, fix: 'write it with pyarrow.ipc.new_file / new_stream (uncompressed), or use Parquet' });
  }
  const fields = reader.schema.fields;
  const kinds = fields.map((f) => {
    const t = f.type as { typeId: number; children?: Array<{ type: { typeId: number } }> };
    const child = t.children?.[0]?.type.typeId;
    return kindOf(arrow.Type[t.typeId] ?? '', child === undefined ? undefined : arrow.Type[child]);
  });
  await engine.run(`CREATE TEMP TABLE ${d.ident(table)} (${fields.map((f, j) => `${d.ident(f.name)} ${SQL_TYPE[kinds[j] as ColumnKind]}`).join(', ')})`);
  try {
    for await (const batch of reader) {
      const columns: AppendColumn[] = fields.map((_f, j) => {
        const vec = batch.getChildAt(j);
        const kind = kinds[j] as ColumnKind;
        const values: Array<number | boolean | string | number[] | null> = [];
        for (let r = 0; r < batch.numRows; r++) {
          const v: unknown = vec === null ? null : vec.get(r);
          if (v === null || v === undefined) values.push(null);
          else if (kind === 'double[]') values.push(Array.from(v as Iterable<number | bigint>, Number));
          else if (kind === 'bigint' || kind === 'double') values.push(typeof v === 'bigint' ? Number(v) : (v as number));
          else if (kind === 'boolean') values.push(v as boolean);
          else values.push(String(v));
        }
        return { kind, values } as AppendColumn;
      });
      await engine.append(table, columns, batch.numRows);
    }
  } catch (e) {
    if (e instanceof CalibraError) throw e;
    throw new CalibraError('E_FORMAT', `cannot read the Arrow record batches: ${firstLine(e)}`, { source: file, fix: 'write the file uncompressed (pyarrow: compression=None), or use Parquet' });
  }
}
