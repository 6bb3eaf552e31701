import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { bootstrapReplicateValues, pairedDifference, type PairedSample } from '../../src/metrics/paired-bootstrap.js';
import { summarizeProbs } from '../../src/metrics/summary.js';
import { evaluateMetrics } from '../../src/metrics/evaluate.js';

// Golden values: scripts/golden/paired_bootstrap_reference.py (numpy percentiles of per-replicate differences).
interface Golden {
  classes: number;
  labels: number[];
  probs: Record<string, number[]>;
  points: Record<string, Record<string, number>>;
  fixedIndices: number[][];
  fixed: Record<string, Record<string, { diff: number; low: number; high: number }>>;
  free: Record<string, { low: number; high: number }>;
}
const g = JSON.parse(readFileSync(new URL('../golden/paired-bootstrap.json', import.meta.url), 'utf8')) as Golden;
const labels = Int32Array.from(g.labels);
const names = ['none', 'ts', 'sharp'] as const;
const samples: PairedSample[] = names.map((name) => {
  const probs = { data: Float64Array.from(g.probs[name] as number[]), rows: labels.length, cols: g.classes };
  return { summary: summarizeProbs(probs, labels), probs };
});

describe('paired bootstrap against numpy', () => {
  for (const metric of ['nll', 'brier', 'accuracy', 'ece']) {
    it(`${metric}: the same resampled rows give numpy's percentile interval of the differences`, () => {
      const values = bootstrapReplicateValues(samples, metric, { replicates: g.fixedIndices.length, indices: (r, out) => out.set(g.fixedIndices[r] as number[]) });
      for (const [pair, want] of Object.entries(g.fixed[metric] ?? {})) {
        const [a, b] = pair.split('-') as [string, string];
        const ia = names.indexOf(a as (typeof names)[number]);
        const ib = names.indexOf(b as (typeof names)[number]);
        const pa = evaluateMetrics(samples[ia]?.probs as never, labels, [metric])[metric] as number;
        const pb = evaluateMetrics(samples[ib]?.probs as never, labels, [metric])[metric] as number;
        const d = pairedDifference(pa - pb, values[ia] as Float64Array, values[ib] as Float64Array, 0.95);
        expect(d.diff).toBeCloseTo(want.diff, 12);
        expect(d.low).toBeCloseTo(want.low, 12);
        expect(d.high).toBeCloseTo(want.high, 12);
        expect(d.replicates).toBe(g.fixedIndices.length);
      }
    });
  }

  it('its own generator lands inside a tenth of the width of numpy\'s 4000-replicate interval', () => {
    for (const metric of ['nll', 'ece']) {
      const values = bootstrapReplicateValues(samples, metric, { replicates: 4000, seed: 7 });
      const d = pairedDifference(0, values[1] as Float64Array, values[0] as Float64Array, 0.95);
      const want = g.free[metric] as { low: number; high: number };
      const width = want.high - want.low;
      expect(Math.abs(d.low - want.low)).toBeLessThan(0.1 * width);
      expect(Math.abs(d.high - want.high)).toBeLessThan(0.1 * width);
    }
  });

  it('is deterministic per seed and antisymmetric: CI(A − B) = −CI(B − A)', () => {
    const v1 = bootstrapReplicateValues(samples, 'nll', { replicates: 200, seed: 3 });
    const v2 = bootstrapReplicateValues(samples, 'nll', { replicates: 200, seed: 3 });
    expect(Array.from(v1[1] as Float64Array)).toEqual(Array.from(v2[1] as Float64Array));
    const ab = pairedDifference(0.1, v1[1] as Float64Array, v1[0] as Float64Array, 0.9);
    const ba = pairedDifference(-0.1, v1[0] as Float64Array, v1[1] as Float64Array, 0.9);
    expect(ab.low).toBeCloseTo(-ba.high, 14);
    expect(ab.high).toBeCloseTo(-ba.low, 14);
  });

  it('a method against itself has a zero-width interval at 0', () => {
    const v = bootstrapReplicateValues([samples[0] as PairedSample, samples[0] as PairedSample], 'ece', { replicates: 50 });
    const d = pairedDifference(0, v[0] as Float64Array, v[1] as Float64Array, 0.95);
    expect([d.low, d.high]).toEqual([0, 0]);
  });

  it('refuses bad input with typed errors', () => {
    expect(() => bootstrapReplicateValues(samples, 'nll', { replicates: 1 })).toThrow(/replicates/);
    expect(() => bootstrapReplicateValues(samples, 'nll', { replicates: 2, indices: (_r, out) => out.fill(labels.length) })).toThrow(/not in \[0/);
    expect(() => bootstrapReplicateValues([{ ...samples[0], probs: null } as PairedSample], 'cw_ece')).toThrow(/probability matrix/);
    expect(() => pairedDifference(0, new Float64Array(2), new Float64Array(2), 1)).toThrow(/level/);
  });
});
