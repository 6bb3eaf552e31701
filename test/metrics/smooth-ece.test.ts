/**
 * Smooth ECE against the exact reference of scripts/golden/smece_reference.py (test/golden/smece.json):
 * the reflected Gaussian with all its images summed directly, the integral of |h| between brentq roots
 * with the erf antiderivative, the fixed point by brentq. Sets with σ* from 0.008 to 0.95, including sets
 * where σ* equals the lower bound |mean(c − a)|. Measured agreement (2026-12-03): fixed point ≤ 7.8e-16,
 * smECE_σ at σ ∈ {0.01, 0.05, 0.2, 0.5, 1} ≤ 1.4e-14; tolerances are about 10x that.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/math/rng.js';
import { SMECE_SIGMA_MIN, smece, smoothEceAt, smoothEceDetails } from '../../src/metrics/smooth-ece.js';

interface SmeceCase {
  name: string;
  conf: number[];
  correct: number[];
  smece: number;
  sigma: number;
  mean_residual_abs: number;
  at: Record<string, { exact: number; simpson: number }>;
  relplot: number;
}
const golden = JSON.parse(readFileSync(new URL('../golden/smece.json', import.meta.url), 'utf8')) as { versions: Record<string, string>; cases: SmeceCase[] };

describe(`smooth ECE vs the exact reference (numpy ${golden.versions.numpy}, scipy ${golden.versions.scipy})`, () => {
  it('covers σ* from below 0.01 to above 0.9, and sets sitting on the |mean(c − a)| bound', () => {
    const sig = golden.cases.map((c) => c.sigma);
    expect(Math.min(...sig)).toBeLessThan(0.01);
    expect(Math.max(...sig)).toBeGreaterThan(0.9);
    expect(golden.cases.filter((c) => Math.abs(c.smece - c.mean_residual_abs) < 1e-12).length).toBeGreaterThanOrEqual(3);
  });
  for (const c of golden.cases) {
    const conf = Float64Array.from(c.conf);
    const correct = Uint8Array.from(c.correct);
    it(`${c.name}: fixed point σ* = smECE to 1e-14`, () => {
      const d = smoothEceDetails(conf, correct);
      expect(Math.abs(d.value - c.smece)).toBeLessThan(1e-14);
      expect(Math.abs(d.sigma - c.sigma)).toBeLessThan(1e-12);
      expect(d.belowFloor).toBe(false);
      expect(d.value).toBeGreaterThanOrEqual(c.mean_residual_abs - 1e-14);
    });
    it(`${c.name}: smECE_σ at σ = 0.01 … 1 to 1e-13`, () => {
      for (const [s, v] of Object.entries(c.at)) expect(Math.abs(smoothEceAt(conf, correct, Number(s)) - v.exact), `σ = ${s}`).toBeLessThan(1e-13);
    });
  }
});

describe('smooth ECE properties', () => {
  const rng = new Rng(7);
  const draw = (n: number, shift: number): { conf: Float64Array; correct: Uint8Array } => {
    const conf = new Float64Array(n);
    const correct = new Uint8Array(n);
    for (let i = 0; i < n; i++) { conf[i] = rng.random(); correct[i] = rng.random() < conf[i]! - shift ? 1 : 0; }
    return { conf, correct };
  };
  it('smECE_σ never drops below |mean(c − a)| and does not increase with σ (every reflected kernel has mass 1)', () => {
    for (const shift of [-0.3, 0, 0.2, 0.6]) {
      const { conf, correct } = draw(300, shift);
      let mean = 0;
      for (let i = 0; i < conf.length; i++) mean += conf[i]! - correct[i]!;
      mean = Math.abs(mean / conf.length);
      let prev = Infinity;
      for (const s of [0.005, 0.02, 0.1, 0.3, 0.6, 1, 2, 5]) {
        const v = smoothEceAt(conf, correct, s);
        expect(v).toBeGreaterThanOrEqual(mean - 1e-14);
        expect(v).toBeLessThanOrEqual(prev + 1e-14);
        prev = v;
      }
      expect(smece(conf, correct)).toBeGreaterThanOrEqual(mean - 1e-14);
    }
  });
  it('residuals of one sign give exactly |mean(c − a)| at every σ', () => {
    const conf = new Float64Array([0.9, 0.99, 1, 0.3, 0.5]);
    const correct = new Uint8Array(5);
    const mean = (0.9 + 0.99 + 1 + 0.3 + 0.5) / 5;
    for (const s of [0.01, 0.3, 1]) expect(smoothEceAt(conf, correct, s)).toBeCloseTo(mean, 14);
    expect(smece(conf, correct)).toBeCloseTo(mean, 14);
  });
  it('at σ = 5 the kernel is flat to 1e-100 and smECE_σ is |mean(c − a)|', () => {
    const { conf, correct } = draw(50, 0.1);
    let mean = 0;
    for (let i = 0; i < conf.length; i++) mean += conf[i]! - correct[i]!;
    expect(smoothEceAt(conf, correct, 5)).toBeCloseTo(Math.abs(mean / 50), 14);
  });
  it('a fixed point below the 1e-3 floor is reported as smECE at the floor, flagged', () => {
    // two residuals cancelling to 1e-9: σ* ≈ 2e-5
    const conf = new Float64Array([0.5, 0.5 + 1e-9]);
    const correct = new Uint8Array([1, 0]);
    const d = smoothEceDetails(conf, correct);
    expect(d.belowFloor).toBe(true);
    expect(d.sigma).toBe(SMECE_SIGMA_MIN);
    expect(d.value).toBeLessThan(SMECE_SIGMA_MIN);
    expect(Math.abs(d.value - smoothEceAt(conf, correct, SMECE_SIGMA_MIN))).toBeLessThan(1e-13);
  });
  it('is NaN on no samples and 0 on perfectly matched residuals', () => {
    expect(smece(new Float64Array(0), new Uint8Array(0))).toBeNaN();
    expect(smece(new Float64Array([1, 1]), new Uint8Array([1, 1]))).toBe(0);
  });
});
