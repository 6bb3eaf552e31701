/**
 * Exports the columns of a generated log (bench/tables/generate.ts) to .npy files for the numpy/pandas
 * reference, which cannot read Parquet on this machine (Debian 12 has python3-pandas but no pyarrow or
 * fastparquet): confidence.npy (float32), pred.npy and label.npy (int32), region.npy and
 * model_version.npy (int8 codes in sorted order of the names).
 *
 *   npx tsx bench/tables/export-npy.ts LOG.parquet OUT_DIR
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeNpyHeader } from '../../src/data/npy.js';
import { openEngine } from '../../src/tables/engine.js';

const [file, out] = process.argv.slice(2);
if (file === undefined || out === undefined) { process.stderr.write('usage: tsx bench/tables/export-npy.ts LOG.parquet OUT_DIR\n'); process.exit(2); }
fs.mkdirSync(out, { recursive: true });
const engine = await openEngine({ memoryMb: 1024 });
const n = Number((await engine.all(`SELECT COUNT(*) AS n FROM read_parquet('${file}')`))[0]?.['n']);
const conf = new Float32Array(n); const pred = new Int32Array(n); const label = new Int32Array(n);
const region = new Int8Array(n); const mv = new Int8Array(n);
let i = 0;
await engine.stream(`SELECT confidence, pred, label, dense_rank() OVER (ORDER BY region) - 1 AS r, dense_rank() OVER (ORDER BY model_version) - 1 AS m, file_row_number FROM read_parquet('${file}', file_row_number = true) ORDER BY file_row_number`, (cols, rows) => {
  for (let r = 0; r < rows; r++, i++) {
    conf[i] = Number(cols[0]?.[r]); pred[i] = Number(cols[1]?.[r]); label[i] = Number(cols[2]?.[r]); region[i] = Number(cols[3]?.[r]); mv[i] = Number(cols[4]?.[r]);
  }
});
engine.close();
const save = (name: string, descr: string, a: ArrayBufferView): void => {
  fs.writeFileSync(path.join(out, name), Buffer.concat([Buffer.from(encodeNpyHeader(descr, [n])), Buffer.from(a.buffer, a.byteOffset, a.byteLength)]));
};
save('confidence.npy', '<f4', conf); save('pred.npy', '<i4', pred); save('label.npy', '<i4', label); save('region.npy', '|i1', region); save('model_version.npy', '|i1', mv);
process.stdout.write(`exported ${n} rows to ${out}\n`);
