/**
 * Writes a seeded synthetic prediction log as Parquet, for the tables benchmark (bench/tables/README.md):
 * top-label columns (confidence FLOAT, pred INTEGER, label INTEGER, 10 classes) and four slice columns
 * (day DATE, region VARCHAR, model_version VARCHAR, source VARCHAR). Every value is a function of the row
 * index and the seed through DuckDB's `hash` of `i·64 + stream + seed·2^40`, so the first n rows of a larger log are the same rows, and the
 * same command writes the same file with the pinned DuckDB. The model is miscalibrated on purpose, more in
 * some regions and model versions, so the slices differ.
 *
 *   npx tsx bench/tables/generate.ts OUT.parquet ROWS [SEED]
 */
import { DuckDBInstance } from '@duckdb/node-api';

const [out, rowsText, seedText] = process.argv.slice(2);
if (out === undefined || rowsText === undefined) {
  process.stderr.write('usage: tsx bench/tables/generate.ts OUT.parquet ROWS [SEED]\n');
  process.exit(2);
}
const rows = Number(rowsText);
const seed = Number(seedText ?? '1');
if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(seed) || seed < 0) throw new Error('ROWS and SEED must be integers');

/** A uniform double in [0, 1) from the row index i, the seed and a stream number. */
const u = (stream: number): string => `(CAST(hash(i * 64 + ${stream} + ${seed} * 1099511627776) >> 11 AS DOUBLE) / CAST(9007199254740992 AS DOUBLE))`;

const sql = `
COPY (
  WITH g AS (
    SELECT i, ${u(1)} AS u1, ${u(2)} AS u2, ${u(3)} AS u3, ${u(4)} AS u4, ${u(5)} AS u5, ${u(6)} AS u6, ${u(7)} AS u7, ${u(8)} AS u8
    FROM range(${rows}) t(i)
  ), s AS (
    SELECT i, u3, u4,
      CAST(floor(u1 * 10) AS INTEGER) AS pred,
      CAST(0.1 + 0.9 * sqrt(u2) AS FLOAT) AS confidence,
      DATE '2024-01-01' + CAST(floor(u5 * 30) AS INTEGER) AS day,
      ['eu-west', 'eu-north', 'us-east', 'us-west', 'ap-south', 'ap-east', 'sa-east', 'af-south'][1 + CAST(floor(u6 * 8) AS INTEGER)] AS region,
      ['v1', 'v2', 'v3'][1 + CAST(floor(u7 * 3) AS INTEGER)] AS model_version,
      ['web', 'app', 'api', 'batch'][1 + CAST(floor(u8 * 4) AS INTEGER)] AS source
    FROM g
  )
  SELECT confidence, pred,
    CASE WHEN u3 < least(1.0, pow(CAST(confidence AS DOUBLE), CASE model_version WHEN 'v1' THEN 1.6 WHEN 'v2' THEN 1.2 ELSE 1.0 END)
                              * CASE WHEN region LIKE 'ap-%' THEN 0.9 ELSE 1.0 END)
         THEN pred ELSE CAST((pred + 1 + floor(u4 * 9)) % 10 AS INTEGER) END AS label,
    day, region, model_version, source
  FROM s ORDER BY i
) TO '${out.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`;

const t0 = Date.now();
const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '2GB', preserve_insertion_order: 'true' });
const con = await db.connect();
await con.run(sql);
process.stdout.write(`wrote ${out}: ${rows} rows, seed ${seed}, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
