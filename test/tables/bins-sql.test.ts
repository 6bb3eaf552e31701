/**
 * The SQL bin expressions put every score in the bin `equalWidthBin` gives, for values exactly on each edge
 * b/B, one and two ulps beside it, and the float32 roundings of those, for many bin counts and all three
 * edge rules (the exact-edge trap: floor(s·B) alone is wrong for e.g. 0.7 with B = 10... and float32
 * arithmetic would be wrong for more).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { equalWidthBin, type EdgeRule } from '../../src/metrics/binning.js';
import { binLayers } from '../../src/tables/bins-sql.js';
import { duckdb } from '../../src/tables/dialect.js';
import { openEngine, type TableEngine } from '../../src/tables/engine.js';

let engine: TableEngine;
beforeAll(async () => { engine = await openEngine({ memoryMb: 128 }); });
afterAll(() => engine.close());

function neighbours(x: number): number[] {
  const buf = new Float64Array(1); const bits = new BigInt64Array(buf.buffer);
  const out = [x];
  for (const step of [-2n, -1n, 1n, 2n]) { buf[0] = x; bits[0] = (bits[0] as bigint) + step; const v = buf[0] as number; if (v >= 0 && v <= 1) out.push(v); }
  return out;
}

it('SQL bins equal equalWidthBin on and beside every edge (B = 1..16, 20, 25, 30, 49, 100, 1000; rules right, guo, left)', async () => {
  const counts = [...Array.from({ length: 16 }, (_, i) => i + 1), 20, 25, 30, 49, 100, 1000];
  const scores = new Set<number>([0, 1, 0.7, 0.1 + 0.2, 1 - 1e-16]);
  for (const B of counts) for (let b = 0; b <= B; b++) for (const v of [...neighbours(b / B), ...neighbours(b * (1 / B))]) { scores.add(v); scores.add(Math.fround(v) <= 1 ? Math.fround(v) : 1); }
  const list = [...scores];
  await engine.run(`CREATE TEMP TABLE s AS SELECT unnest([${list.map((v) => `'${String(v)}'`).join(',')}]::DOUBLE[]) AS c`);
  const echo = await engine.all('SELECT c FROM s');
  expect(echo.map((r) => r['c'])).toEqual(list); // the doubles arrive exactly
  for (const rule of ['right', 'guo', 'left'] as EdgeRule[]) {
    const specs = counts.map((B) => ({ column: `b${B}`, bins: B, rule }));
    const ctes = binLayers(duckdb, specs, 'c', 's', 'out');
    const rows = await engine.all(`WITH ${ctes.map(([n, q]) => `${n} AS (${q})`).join(', ')} SELECT c, ${specs.map((s) => s.column).join(', ')} FROM out`);
    let checked = 0;
    for (const row of rows) {
      const c = row['c'] as number;
      for (const B of counts) { expect(row[`b${B}`], `${rule} B=${B} c=${c}`).toBe(equalWidthBin(c, B, rule)); checked++; }
    }
    expect(checked).toBeGreaterThan(50000);
  }
}, 60000);
