/**
 * Agreement with test/golden/metrics.json, produced by scripts/golden/metrics_reference.py (numpy, scipy and
 * sklearn from Debian; versions recorded in the file) on random and edge-case inputs, to 1e-9 relative.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/math/matrix.js';
import type { EdgeRule } from '../../src/metrics/binning.js';
import { evaluateLogits, evaluateMetrics } from '../../src/metrics/evaluate.js';

interface GoldenCase {
  name: string;
  input: 'probs' | 'logits';
  rows: number[][];
  labels: number[];
  metrics: Record<string, number | null>;
  smece_quad?: number;
}
const golden = JSON.parse(readFileSync(new URL('../golden/metrics.json', import.meta.url), 'utf8')) as { versions: Record<string, string>; cases: GoldenCase[] };

function run(c: GoldenCase, ids: string[], edges: EdgeRule): Record<string, number> {
  const m: Matrix = { data: Float64Array.from(c.rows.flat()), rows: c.rows.length, cols: (c.rows[0] as number[]).length };
  const labels = Int32Array.from(c.labels);
  return c.input === 'logits' ? evaluateLogits(m, labels, ids, { edges }) : evaluateMetrics(m, labels, ids, { edges });
}

describe(`golden metrics (numpy ${golden.versions.numpy}, sklearn ${golden.versions.sklearn})`, () => {
  for (const c of golden.cases) {
    it(`${c.name}: every id agrees to 1e-9 relative`, () => {
      const groups: Record<EdgeRule, string[]> = { right: [], guo: [], left: [] };
      for (const key of Object.keys(c.metrics)) {
        const [id, rule] = key.split('#') as [string, string | undefined];
        groups[(rule ?? 'right') as EdgeRule].push(id);
      }
      let checked = 0;
      for (const rule of ['right', 'guo', 'left'] as const) {
        const res = run(c, groups[rule], rule);
        for (const id of groups[rule]) {
          const want = c.metrics[rule === 'right' ? id : `${id}#${rule}`];
          const got = res[id] as number;
          if (want === null || want === undefined) {
            // undefined in the reference (NaN): ours must be NaN too, except where the reference skipped the id
            if (id === 'smece' || id.startsWith('ca_paper.ace') || id.startsWith('mce')) continue;
            expect(got, `${id} (${rule})`).toBeNaN();
            continue;
          }
          expect(Math.abs(got - want), `${id} (${rule}): ${got} vs ${want}`).toBeLessThanOrEqual(1e-9 * Math.abs(want) + 1e-12);
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(100);
    });
    if (c.smece_quad !== undefined) {
      it(`${c.name}: smece matches scipy quad + brentq fixed point to 1e-6`, () => {
        expect(Math.abs((run(c, ['smece'], 'right').smece as number) - (c.smece_quad as number))).toBeLessThan(1e-6);
      });
    }
  }
});
