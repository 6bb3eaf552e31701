import { DuckDBInstance } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import fs from 'node:fs';
const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
const q = async (s) => { try { const r = await c.runAndReadAll(s); console.log(JSON.stringify(r.getRowObjectsJson()).slice(0, 600)); } catch (e) { console.log('ERR', e.message.slice(0, 300)); } };
await q("select file_index, file_row_number, confidence from read_parquet('/tmp/tbench/log1e5.parquet', file_row_number=true) limit 2");
await q("select count(*) from glob('/tmp/tbench/*.parquet')");
await q("select * from glob('/tmp/tbench/*.parquet')");
// arrow file
const t = arrow.tableFromArrays({ a: Float32Array.from([0.5, 0.7]), y: Int32Array.from([1, 0]) });
fs.writeFileSync('/tmp/t.arrow', arrow.tableToIPC(t, 'file'));
fs.writeFileSync('/tmp/t.arrows', arrow.tableToIPC(t, 'stream'));
for (const f of ['/tmp/t.arrow', '/tmp/t.arrows']) {
  const reader = await arrow.RecordBatchReader.from(fs.createReadStream(f));
  await reader.open();
  console.log(f, reader.schema.fields.map(x => `${x.name}:${x.type}`));
  for await (const b of reader) console.log(b.numRows, b.getChildAt(0).toArray());
}
