/**
 * Bad tables: one line naming the file, the row, the column and the fix, exit code 2 (through the CLI);
 * identifiers are quoted, so a column name cannot inject SQL.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { duckdb, spark, bigquery } from '../../src/tables/dialect.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-tables-err-'));
const file = (name: string, lines: readonly unknown[]): string => { const p = path.join(dir, name); fs.writeFileSync(p, lines.map((l) => JSON.stringify(l)).join('\n')); return p; };
const good = Array.from({ length: 6 }, (_, i) => ({ y: i % 2, c: 0.5 + i / 20, p: i % 2, probs: [0.3, 0.7], g: i % 3 }));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}
const top = (f: string): string[] => ['evaluate', '--table', f, '--label-col', 'y', '--confidence-col', 'c', '--pred-col', 'p', '--metrics', 'ece'];

beforeAll(() => { fs.mkdirSync(dir, { recursive: true }); });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bad tables', () => {
  it('a missing column names the column, the file and the columns there are', async () => {
    const r = await cli(['evaluate', '--table', file('a.jsonl', good), '--label-col', 'label', '--confidence-col', 'c', '--pred-col', 'p']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^calibra: E_FORMAT: .*a\.jsonl: no column "label" \(--label-col\) \(fix: the columns are: y, c, p, probs, g\)\n$/);
  });
  it('a wrong type names the column and its type', async () => {
    const r = await cli(top(file('b.jsonl', good.map((x) => ({ ...x, y: `class${x.y}` })))));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_DTYPE: .*b\.jsonl: column "y" is VARCHAR, expected integer class indices/);
  });
  it('a NULL label names the row', async () => {
    const rows = good.map((x, i) => (i === 3 ? { ...x, y: null } : x));
    const r = await cli(top(file('c.jsonl', rows)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_LABEL_TYPE: .*c\.jsonl: row 3, column "y": the label is NULL \(fix: /);
  });
  it('a NULL confidence and a confidence outside [0, 1] name the row and the value', async () => {
    const r1 = await cli(top(file('d.jsonl', good.map((x, i) => (i === 2 ? { ...x, c: null } : x)))));
    expect(r1.err).toMatch(/E_NON_FINITE: .*d\.jsonl: row 2, column "c": the confidence is NULL/);
    const r2 = await cli(top(file('e.jsonl', good.map((x, i) => (i === 4 ? { ...x, c: 1.25 } : x)))));
    expect(r2.code).toBe(2);
    expect(r2.err).toMatch(/E_PROBS: .*e\.jsonl: row 4, column "c": the confidence 1\.25 is outside \[0, 1\]/);
  });
  it('LIST columns of differing lengths name the first row that differs', async () => {
    const rows = good.map((x, i) => (i === 5 ? { ...x, probs: [0.2, 0.3, 0.5] } : x));
    const r = await cli(['evaluate', '--table', file('f.jsonl', rows), '--label-col', 'y', '--probs-col', 'probs', '--metrics', 'ece']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_SHAPE: .*f\.jsonl: row 5, column "probs": the list \[0\.2, 0\.3, 0\.5\] has a different length than the first row's 2/);
  });
  it('a Parquet part of a glob is named with the row inside that part', async () => {
    const { openEngine } = await import('../../src/tables/engine.js');
    const e = await openEngine();
    await e.run(`COPY (SELECT * FROM read_json('${file('g.jsonl', good)}')) TO '${path.join(dir, 'p-0.parquet')}' (FORMAT parquet)`);
    await e.run(`COPY (SELECT * REPLACE (CASE WHEN g = 1 AND y = 1 THEN 7 ELSE y END AS y) FROM read_json('${file('h.jsonl', good)}')) TO '${path.join(dir, 'p-1.parquet')}' (FORMAT parquet)`);
    e.close();
    const r = await cli(['evaluate', '--table', path.join(dir, 'p-*.parquet'), '--label-col', 'y', '--probs-col', 'probs', '--metrics', 'ece']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/E_LABEL_RANGE: .*p-1\.parquet: row 1, column "y": the label 7 is outside 0\.\.1/);
  });
  it('bad --where SQL is one line naming --where', async () => {
    const r = await cli([...top(file('i.jsonl', good)), '--where', 'nosuch > 1']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n').length).toBe(2);
    expect(r.err).toMatch(/^calibra: E_USAGE: .*i\.jsonl: --where "nosuch > 1": Binder Error: .*\(fix: write a DuckDB SQL predicate/);
  });
  it('a missing file, an empty glob and an unknown extension', async () => {
    expect((await cli(top(path.join(dir, 'none.parquet')))).err).toMatch(/E_IO: .*none\.parquet: no such file/);
    expect((await cli(top(path.join(dir, 'none-*.parquet')))).err).toMatch(/E_IO: .*no file matches the glob/);
    expect((await cli(top(path.join(dir, 'x.xlsx')))).err).toMatch(/E_FORMAT: .*unknown table format/);
  });
});

describe('identifiers are quoted', () => {
  it('a column name with quotes and SQL in it is read as a name', async () => {
    const evil = 'y" FROM x; DROP TABLE t; --';
    const f = file('j.jsonl', good.map((x) => ({ [evil]: x.y, c: x.c, p: x.p })));
    const r = await cli(['evaluate', '--table', f, '--label-col', evil, '--confidence-col', 'c', '--pred-col', 'p', '--metrics', 'accuracy', '--format', 'json']);
    expect(r.err).toBe('');
    expect(JSON.parse(r.out).metrics.accuracy).toBe(1);
  });
  it('each dialect escapes its own quote characters', () => {
    expect(duckdb.ident('a"b')).toBe('"a""b"');
    expect(spark.ident('a`b')).toBe('`a``b`');
    expect(bigquery.ident('a`b\\c')).toBe('`a\\`b\\\\c`');
    expect(duckdb.str("it's")).toBe("'it''s'");
    expect(spark.str("it's\\")).toBe("'it\\'s\\\\'");
  });
});
