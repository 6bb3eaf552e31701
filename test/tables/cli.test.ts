/** CLI shapes of evaluate --table and calibra sql; DuckDB stays out of the static import graph. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-tables-cli-'));
const f = path.join(dir, 't.jsonl');
fs.writeFileSync(f, Array.from({ length: 40 }, (_, i) => JSON.stringify({ y: i % 3, conf: 0.4 + (i % 7) / 12, pred: (i * 7) % 3, region: i % 2 === 0 ? 'eu' : null })).join('\n'));

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

it('evaluate --table --by: JSON {n, classes, metrics, slices: [{key, n, metrics}]}, NULL keys kept; csv has the whole table first', async () => {
  const args = ['evaluate', '--table', f, '--label-col', 'y', '--confidence-col', 'conf', '--pred-col', 'pred', '--by', 'region', '--metrics', 'ece,accuracy'];
  const r = await cli([...args, '--format', 'json']);
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.out) as { n: number; classes: number; metrics: Record<string, number>; slices: Array<{ key: Record<string, unknown>; n: number; metrics: Record<string, number> }> };
  expect(Object.keys(doc)).toEqual(['n', 'classes', 'metrics', 'slices']);
  expect(doc.n).toBe(40);
  expect(doc.slices.map((s) => [s.key, s.n])).toEqual([[{ region: 'eu' }, 20], [{ region: null }, 20]]);
  expect(Object.keys(doc.slices[0]?.metrics ?? {})).toEqual(['ece', 'accuracy']);
  const csv = await cli([...args, '--format', 'csv']);
  expect(csv.out.split('\n').slice(0, 2)).toEqual(['level,region,n,ece,accuracy', `all,,40,${doc.metrics['ece']},${doc.metrics['accuracy']}`]);
  const table = await cli(args);
  expect(table.out).toMatch(/\(all\)\s+40/);
});

it('calibra sql prints one statement per dialect, refuses ids computed in memory', async () => {
  for (const d of ['duckdb', 'spark', 'bigquery']) {
    const r = await cli(['sql', '--dialect', d, '--table', d === 'duckdb' ? f : 'proj.logs.preds', '--label-col', 'y', '--confidence-col', 'conf', '--pred-col', 'pred', '--by', 'region', '--metrics', 'ece,auroc,ece_em']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/^-- calibra .* sql, dialect /);
    expect(r.out.trimEnd().endsWith(';')).toBe(true);
    if (d !== 'duckdb') expect(r.out).toMatch(/not executed in calibra's tests/);
  }
  const bad = await cli(['sql', '--dialect', 'spark', '--table', 't', '--label-col', 'y', '--confidence-col', 'c', '--pred-col', 'p', '--metrics', 'smece']);
  expect(bad.code).toBe(2);
  expect(bad.err).toMatch(/E_OPTION: metrics: smece are computed in memory by calibra, not in SQL/);
});

it('nothing outside src/tables and the lazy branches imports DuckDB or src/tables', () => {
  const root = path.join(__dirname, '../../src');
  const files: string[] = [];
  const walk = (p: string): void => { for (const e of fs.readdirSync(p, { withFileTypes: true })) { const q = path.join(p, e.name); if (e.isDirectory()) walk(q); else if (q.endsWith('.ts')) files.push(q); } };
  walk(root);
  for (const file of files) {
    if (file.includes(`${path.sep}tables${path.sep}`)) continue;
    const text = fs.readFileSync(file, 'utf8');
    expect(/^import[^;]*['"](@duckdb\/node-api|apache-arrow|[./]*tables\/[^'"]*)['"]/m.test(text), file).toBe(false);
  }
});
