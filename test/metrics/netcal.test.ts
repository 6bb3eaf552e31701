/**
 * `netcal.ace` against netcal's ACE computed in numpy from netcal's definition (scripts/golden/netcal_reference.py,
 * test/golden/netcal-ace.json; scipy's binned_statistic_dd as netcal calls it), on fixture D1 (metrics.md oracle
 * 4a: 0.26 at B = 10, 0.358571428571 at B = 15), random sets, confidences exactly on linspace edges and at 1,
 * and a binary set. Measured agreement (2026-12-03): ≤ 1.1e-16; tolerance 1e-14.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateMetrics } from '../../src/metrics/evaluate.js';

interface NetcalCase { name: string; probs: number[][]; labels: number[]; ace: Record<string, number> }
const golden = JSON.parse(readFileSync(new URL('../golden/netcal-ace.json', import.meta.url), 'utf8')) as { versions: Record<string, string>; cases: NetcalCase[] };

describe(`netcal.ace equals netcal's ACE (numpy ${golden.versions.numpy}, scipy ${golden.versions.scipy})`, () => {
  for (const c of golden.cases) {
    it(`${c.name}: B = ${Object.keys(c.ace).join(', ')}`, () => {
      const m = { data: Float64Array.from(c.probs.flat()), rows: c.probs.length, cols: (c.probs[0] as number[]).length };
      const ids = Object.keys(c.ace).map((b) => `netcal.ace@${b}`);
      const got = evaluateMetrics(m, Int32Array.from(c.labels), ids);
      for (const [b, want] of Object.entries(c.ace)) expect(Math.abs((got[`netcal.ace@${b}`] as number) - want), `B = ${b}`).toBeLessThan(1e-14);
    });
  }
  it('on D1 at B = 4 netcal.ace (0.225, by hand) differs from ece_em and ca_paper.ace (0.245, oracle 3) and ece (0.195)', () => {
    const c = golden.cases[0] as NetcalCase;
    const m = { data: Float64Array.from(c.probs.flat()), rows: c.probs.length, cols: 4 };
    const v = evaluateMetrics(m, Int32Array.from(c.labels), ['netcal.ace@4', 'ece_em@4', 'ca_paper.ace@4', 'ece@4']);
    expect(v['netcal.ace@4']).toBeCloseTo(0.225, 14);
    expect(v['ece_em@4']).toBeCloseTo(0.245, 14);
    expect(v['ca_paper.ace@4']).toBeCloseTo(0.245, 14);
    expect(v['ece@4']).toBeCloseTo(0.195, 14);
  });
  it('defaults to 10 bins, as netcal', () => {
    const c = golden.cases[0] as NetcalCase;
    const m = { data: Float64Array.from(c.probs.flat()), rows: c.probs.length, cols: 4 };
    expect(evaluateMetrics(m, Int32Array.from(c.labels), ['netcal.ace'])['netcal.ace']).toBeCloseTo(0.26, 15);
  });
});
