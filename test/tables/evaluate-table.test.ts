/**
 * calibra evaluate --table equals the in-memory path (evaluateMetrics / evaluateLogits, an independent
 * code path over the same doubles) to 1e-12 relative, on data with confidences exactly on bin edges and
 * ties; per slice; for every file format; and the printed DuckDB SQL of calibra sql gives the same numbers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateLogits, evaluateMetrics } from '../../src/metrics/evaluate.js';
import { presetMetricIds } from '../../src/metrics/ids.js';
import type { Matrix } from '../../src/math/matrix.js';
import { openEngine, type TableEngine } from '../../src/tables/engine.js';
import { evaluateTable, type TableEvaluateOptions } from '../../src/tables/evaluate-table.js';
import { sqlText } from '../../src/tables/cli-sql.js';
import { fileRelation } from '../../src/tables/source.js';
import { makeFixture, rng, writeJsonl, type Fixture } from './fixture.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-tables-'));
const jsonl = path.join(dir, 'log.jsonl');
const f: Fixture = makeFixture(2400, 4, 11);
let engine: TableEngine;

const ALL = [...presetMetricIds('default'), 'ece@10', 'mce@7', 'tl_ece@10', 'cw_ece@10', 'mce_em@7', 'ece_em@3', 'ca_paper.ece', 'ca_paper.ks', 'ca_paper.mce', 'ca_paper.ace', 'ca_paper.auc', 'ca_paper.bs'];

function expectClose(got: Record<string, number>, want: Record<string, number>, ids: readonly string[], tol = 1e-12): void {
  for (const id of ids) {
    const a = got[id] as number; const b = want[id] as number;
    if (Number.isNaN(b)) { expect(Number.isNaN(a), id).toBe(true); continue; }
    expect(Math.abs(a - b), `${id}: table ${a} vs memory ${b}`).toBeLessThanOrEqual(tol * Math.max(Math.abs(b), 1e-300));
  }
}

const base = (o: Partial<TableEvaluateOptions>): TableEvaluateOptions => ({ table: jsonl, label: 'label', input: { kind: 'probs', column: 'probs' }, by: [], where: null, ids: ALL, explicit: new Set(), edges: 'right', memoryMb: 256, ...o });

function subset(m: Matrix<Float64Array>, labels: Int32Array, keep: (i: number) => boolean): { m: Matrix<Float64Array>; y: Int32Array } {
  const rows: number[] = [];
  for (let i = 0; i < m.rows; i++) if (keep(i)) rows.push(i);
  const data = new Float64Array(rows.length * m.cols);
  rows.forEach((r, j) => data.set(m.data.subarray(r * m.cols, (r + 1) * m.cols), j * m.cols));
  return { m: { data, rows: rows.length, cols: m.cols }, y: Int32Array.from(rows, (r) => labels[r] as number) };
}

beforeAll(async () => {
  writeJsonl(f, jsonl);
  engine = await openEngine({ memoryMb: 256 });
  const from = `read_json('${jsonl}', format = 'newline_delimited')`;
  await engine.run(`COPY (SELECT * FROM ${from}) TO '${path.join(dir, 'log.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 500)`);
  await engine.run(`COPY (SELECT * FROM ${from} LIMIT 1200) TO '${path.join(dir, 'part-0.parquet')}' (FORMAT parquet)`);
  await engine.run(`COPY (SELECT * FROM ${from} OFFSET 1200) TO '${path.join(dir, 'part-1.parquet')}' (FORMAT parquet)`);
  await engine.run(`COPY (SELECT label, conf, pred, region, day FROM ${from}) TO '${path.join(dir, 'log.csv')}' (HEADER)`);
  await engine.run(`ATTACH '${path.join(dir, 'log.duckdb')}' AS out; CREATE TABLE out.preds AS SELECT * FROM ${from}; DETACH out`);
  const arrow = await import('apache-arrow');
  const rows = fs.readFileSync(jsonl, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { label: number; conf: number; pred: number; region: string });
  const t = arrow.tableFromArrays({ label: Int32Array.from(rows, (r) => r.label), conf: Float64Array.from(rows, (r) => r.conf), pred: Int32Array.from(rows, (r) => r.pred), region: rows.map((r) => r.region) });
  fs.writeFileSync(path.join(dir, 'log.arrow'), arrow.tableToIPC(t, 'file'));
}, 60000);

afterAll(() => { engine.close(); fs.rmSync(dir, { recursive: true, force: true }); });

describe('evaluate --table equals the in-memory path', () => {
  it('probability lists, every default id and more, values on bin edges and ties', async () => {
    const r = await evaluateTable(base({}));
    expect(r.n).toBe(2400);
    expect(r.classes).toBe(4);
    expectClose(r.metrics, evaluateMetrics(f.probs, f.labels, r.ids), r.ids);
    expect(r.ids).not.toContain('cw_ece_em');
  });

  it('per slice (--by region,day), and the overall row', async () => {
    const r = await evaluateTable(base({ by: ['region', 'day'], ids: ['accuracy', 'ece', 'mce', 'cw_ece', 'tl_ece', 'ece_em', 'dece', 'ks', 'auroc', 'aupr_error', 'fpr95', 'aurc', 'eaurc', 'mmce', 'nll', 'brier'] }));
    expect(r.slices?.length).toBe(12);
    expectClose(r.metrics, evaluateMetrics(f.probs, f.labels, r.ids), r.ids);
    for (const s of r.slices ?? []) {
      const { m, y } = subset(f.probs, f.labels, (i) => f.region[i] === s.key['region'] && f.day[i] === s.key['day']);
      expect(s.n).toBe(m.rows);
      expectClose(s.metrics, evaluateMetrics(m, y, r.ids), r.ids);
    }
  });

  it('top-label columns (confidence + predicted class) give the same top-label ids; edge rules guo and left', async () => {
    for (const edges of ['right', 'guo', 'left'] as const) {
      const r = await evaluateTable(base({ table: path.join(dir, 'log.parquet'), input: { kind: 'top', confidence: 'conf', pred: 'pred' }, edges }));
      expect(r.dropped).toEqual(['cw_ece', 'brier', 'nll', 'cw_ece@10']);
      expectClose(r.metrics, evaluateMetrics(f.probs, f.labels, r.ids, { edges }), r.ids);
    }
  });

  it('--where filters rows like the subset in memory', async () => {
    const r = await evaluateTable(base({ where: "region <> 'eu' AND day >= 2", ids: ['ece', 'auroc', 'ece_em'] }));
    const { m, y } = subset(f.probs, f.labels, (i) => f.region[i] !== 'eu' && (f.day[i] as number) >= 2);
    expect(r.n).toBe(m.rows);
    expectClose(r.metrics, evaluateMetrics(m, y, r.ids), r.ids);
  });

  it('logits lists (softmax in the engine) agree on data away from edges', async () => {
    const g = rng(5); const n = 1500; const k = 5;
    const z = new Float64Array(n * k); const y = new Int32Array(n); const lines: string[] = [];
    for (let i = 0; i < n; i++) { y[i] = Math.floor(g() * k); for (let j = 0; j < k; j++) z[i * k + j] = (g() - 0.5) * 6 + (j === y[i] ? 1.5 : 0); lines.push(JSON.stringify({ y: y[i], z: Array.from(z.subarray(i * k, i * k + k)) })); }
    const file = path.join(dir, 'z.ndjson');
    fs.writeFileSync(file, lines.join('\n'));
    const ids = presetMetricIds('default');
    const r = await evaluateTable(base({ table: file, label: 'y', input: { kind: 'logits', column: 'z' }, ids }));
    expectClose(r.metrics, evaluateLogits({ data: z, rows: n, cols: k }, y, ids), ids);
  });

  it('Parquet, a glob of Parquet parts, CSV, a DuckDB database and Arrow IPC give the same numbers', async () => {
    const ids = ['accuracy', 'ece', 'ece_em', 'mce_em', 'tl_ece', 'ks', 'auroc', 'smece'];
    const want = evaluateMetrics(f.probs, f.labels, ids);
    const top = { kind: 'top' as const, confidence: 'conf', pred: 'pred' };
    for (const table of ['log.parquet', 'part-*.parquet', 'log.csv', 'log.duckdb', 'log.arrow']) {
      const r = await evaluateTable(base({ table: path.join(dir, table), input: top, ids }));
      expect(r.n, table).toBe(2400);
      expectClose(r.metrics, want, ids);
    }
  });
});

describe('calibra sql --dialect duckdb', () => {
  it('the printed statement, run through DuckDB, gives calibra evaluate --table numbers', async () => {
    const ids = ['accuracy', 'ece', 'mce', 'rmsce', 'cw_ece', 'tl_ece', 'ece_em', 'dece', 'ks', 'auroc', 'aupr_success', 'aupr_error', 'fpr95', 'aurc', 'eaurc', 'brier', 'brier_top', 'nll'];
    const rel = fileRelation(jsonl, 'json');
    if (rel === null) throw new Error('no relation');
    const sql = sqlText({ dialect: 'duckdb', ids, explicit: new Set(ids), edges: 'right', src: { from: rel.from, ordinal: rel.ordinal, where: null, label: 'label', by: ['region'], input: { kind: 'probs', column: 'probs', scalar: false } } });
    const rows = await engine.all(sql.replace(/;\s*$/, ''));
    const r = await evaluateTable(base({ by: ['region'], ids }));
    expect(rows.length).toBe((ids.length + 1) * 4);
    for (const row of rows) {
      const scope = row['level'] === 0 ? { n: r.n, metrics: r.metrics } : r.slices?.find((s) => s.key['region'] === row['region']);
      if (scope === undefined) throw new Error(`no slice ${String(row['region'])}`);
      const want = row['metric'] === 'n' ? scope.n : (scope.metrics[String(row['metric'])] as number);
      expect(Math.abs((row['value'] as number) - want), String(row['metric'])).toBeLessThanOrEqual(1e-12 * Math.abs(want));
    }
  });
});
