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

describe('tl_ece binning inside each predicted-label group: equal-width (tl_ece) or equal-mass (tl_ece_em)', () => {
  // D1 groups: ŷ=0 {0.71✓, 0.63✗, 0.47✗}, ŷ=1 {0.57✓, 0.93✓}, ŷ=2 {0.83✓, 0.43✗, 0.67✓} (metrics.md oracle 6).
  // Equal-mass B = 2 by hand: {0.47,0.63} gap 0.55 ×2 + {0.71} 0.29; {0.57} 0.43 + {0.93} 0.07; {0.43,0.67}
  // gap 0.05 ×2 + {0.83} 0.17 → 2.16/8 = 0.27. B = 1 equals tl_ece@1 (0.1725); B = 3 is all singletons (0.3525).
  const d1 = golden.cases[0] as NetcalCase;
  const m = { data: Float64Array.from(d1.probs.flat()), rows: 8, cols: 4 };
  it('D1: tl_ece_em@2 = 0.27, @1 = tl_ece@1 = 0.1725, @3 = 0.3525; tl_ece@10 = 0.3525 (oracle 6)', () => {
    const v = evaluateMetrics(m, Int32Array.from(d1.labels), ['tl_ece_em@1', 'tl_ece_em@2', 'tl_ece_em@3', 'tl_ece@1', 'tl_ece@10']);
    expect(v['tl_ece_em@2']).toBeCloseTo(0.27, 14);
    expect(v['tl_ece_em@1']).toBeCloseTo(0.1725, 14);
    expect(v['tl_ece@1']).toBeCloseTo(0.1725, 14);
    expect(v['tl_ece_em@3']).toBeCloseTo(0.3525, 14);
    expect(v['tl_ece@10']).toBeCloseTo(0.3525, 14);
  });
});
