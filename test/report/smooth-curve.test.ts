import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.js';
import { reliabilityBins } from '../../src/metrics/binning.js';
import { smoothReliabilityCurve } from '../../src/report/smooth-curve.js';
import { D1_CONF, D1_CORRECT } from './d1.js';

/** Independent oracle: the kernel-smoothed accuracy Σ a K̃(t, c) / Σ K̃(t, c) evaluated directly (no grid). */
function directCurve(conf: Float64Array, correct: Uint8Array, sigma: number, t: number): number {
  const phi = (x: number): number => Math.exp(-0.5 * (x / sigma) ** 2);
  let num = 0;
  let den = 0;
  for (let i = 0; i < conf.length; i++) {
    const f = conf[i] as number;
    const k = phi(t - f) + phi(t + f) + phi(t - (2 - f));
    num += (correct[i] as number) * k;
    den += k;
  }
  return num / den;
}

describe('smoothReliabilityCurve', () => {
  it('uses smECE of fixture D1 as bandwidth (metrics.md oracle 9: 0.128523238)', () => {
    const c = smoothReliabilityCurve(D1_CONF, D1_CORRECT, { bootstrap: 0, bandwidth: 'smece' });
    expect(c.smece).toBeCloseTo(0.128523238, 6);
    expect(c.sigma).toBe(c.smece);
    expect(c.t.length).toBe(101);
    expect(c.lower.length).toBe(0);
  });

  it('matches the directly evaluated kernel-smoothed accuracy on D1 to 1e-4 (grid deposit error)', () => {
    const c = smoothReliabilityCurve(D1_CONF, D1_CORRECT, { bootstrap: 0 });
    for (const j of [0, 10, 43, 50, 67, 83, 100]) {
      expect(Math.abs((c.mu[j] as number) - directCurve(D1_CONF, D1_CORRECT, c.sigma, c.t[j] as number))).toBeLessThan(1e-4);
    }
  });

  it('integrates the density to 1 (reflection keeps the mass in [0, 1])', () => {
    const c = smoothReliabilityCurve(D1_CONF, D1_CORRECT, { bootstrap: 0 });
    let s = 0;
    for (let j = 0; j < c.t.length; j++) s += (j === 0 || j === c.t.length - 1 ? 0.5 : 1) * (c.density[j] as number);
    expect(s / (c.t.length - 1)).toBeCloseTo(1, 3);
  });

  it('gives an ordered, seeded bootstrap band that repeats with the seed and changes with another', () => {
    const a = smoothReliabilityCurve(D1_CONF, D1_CORRECT, { bootstrap: 30, seed: 3 });
    const b = smoothReliabilityCurve(D1_CONF, D1_CORRECT, { bootstrap: 30, seed: 3 });
    const c = smoothReliabilityCurve(D1_CONF, D1_CORRECT, { bootstrap: 30, seed: 4 });
    expect(Array.from(a.lower)).toEqual(Array.from(b.lower));
    expect(Array.from(a.upper)).not.toEqual(Array.from(c.upper));
    for (let j = 0; j < a.t.length; j++) {
      expect(a.lower[j]).toBeLessThanOrEqual(a.upper[j] as number);
      expect(a.lower[j]).toBeGreaterThanOrEqual(0);
      expect(a.upper[j]).toBeLessThanOrEqual(1);
    }
  });

  it('is flat at 1 when every prediction is correct, and accepts a given smECE', () => {
    const conf = new Float64Array([0.2, 0.5, 0.9]);
    const c = smoothReliabilityCurve(conf, new Uint8Array([1, 1, 1]), { bootstrap: 0, smece: 0.3, bandwidth: 'smece' });
    expect(c.sigma).toBe(0.3);
    for (const v of c.mu) expect(v).toBeCloseTo(1, 12);
  });

  it('rejects empty input, mismatched lengths and a mesh that is not on the grid', () => {
    expect(() => smoothReliabilityCurve(new Float64Array(0), new Uint8Array(0))).toThrow(/no samples/);
    expect(() => smoothReliabilityCurve(D1_CONF, new Uint8Array(3))).toThrow(/8 confidences but 3/);
    expect(() => smoothReliabilityCurve(D1_CONF, D1_CORRECT, { mesh: 7 })).toThrow(/mesh 7/);
  });

  it('under large miscalibration the drawn curve follows the binned accuracy (bandwidth capped at Silverman\'s rule)', () => {
    // 60 % of samples at confidence 0.95-1 and right 97 % of the time; 40 % at confidence 0.3-0.8, right 10-30 %
    const rng = new Rng(1);
    const N = 3000;
    const conf = new Float64Array(N);
    const correct = new Uint8Array(N);
    for (let i = 0; i < N; i++) {
      if (i < 1800) { conf[i] = 0.95 + 0.05 * rng.random(); correct[i] = rng.random() < 0.97 ? 1 : 0; } else { conf[i] = 0.3 + 0.5 * rng.random(); correct[i] = rng.random() < 0.1 + 0.2 * ((conf[i] as number) - 0.3) / 0.5 ? 1 : 0; }
    }
    const bins = reliabilityBins(conf, correct, { bins: 10, scheme: 'equal-width' });
    const at = (c: ReturnType<typeof smoothReliabilityCurve>, t: number): number => c.mu[Math.round(t * 100)] as number;
    const fixedPoint = smoothReliabilityCurve(conf, correct, { bootstrap: 0, bandwidth: 'smece' });
    const adaptive = smoothReliabilityCurve(conf, correct, { bootstrap: 0 });
    const bin = (lo: number): number => bins.find((b) => Math.abs(b.lo - lo) < 1e-9)?.accuracy as number;
    // at σ* (= smECE ≈ 0.15) the curve at 0.75 reads the big cluster's accuracy, 0.3+ above the bin's
    expect(at(fixedPoint, 0.75) - bin(0.7)).toBeGreaterThan(0.3);
    expect(adaptive.smece).toBe(fixedPoint.smece);
    expect(adaptive.sigma).toBeLessThan(0.5 * fixedPoint.sigma);
    for (const [t, lo] of [[0.35, 0.3], [0.45, 0.4], [0.55, 0.5], [0.65, 0.6], [0.75, 0.7]] as const) expect(Math.abs(at(adaptive, t) - bin(lo))).toBeLessThan(0.06);
  });
});
