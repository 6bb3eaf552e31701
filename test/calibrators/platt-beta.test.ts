import { describe, expect, it } from 'vitest';
import { argmaxRows } from '../../src/math/softmax.js';
import { BETA_EPS, betaCalibration, fitBeta } from '../../src/calibrators/binary/beta.js';
import { fitPlatt, plattScaling } from '../../src/calibrators/binary/platt.js';
import { binaryLogits, fixtureB, fixtureG, maxAbsDiff } from './scaling-fixtures.js';

const ctx = { seed: 0 };
const labels = Int32Array.from(fixtureB.t);
const col1 = (q: Float64Array): number[] => Array.from(q).filter((_, i) => i % 2 === 1);

describe('platt (calibrators.md §8.1)', () => {
  it('fixture B, logit scores: A = -0.522892876487, B = -0.509516820726 and the 12 query values', () => {
    const f = fixtureB.s.map((s) => Math.log(s / (1 - s)));
    const r = fitPlatt(f, fixtureB.t);
    expect(r.converged).toBe(true);
    expect(r.A).toBeCloseTo(-0.522892876487, 10);
    expect(r.B).toBeCloseTo(-0.509516820726, 10);
    const m = plattScaling.fit({ logits: binaryLogits(fixtureB.s), labels }, {}, ctx).model;
    const p = col1(m.predictProba({ logits: binaryLogits(fixtureB.q) }).data);
    expect(maxAbsDiff(p, [8.842e-7, 0.2630629056, 0.3453830287, 0.3699781109, 0.4463654934, 0.5166115854, 0.5738317477, 0.6246931991, 0.6729442049, 0.7216302929, 0.8400271232, 0.9999996808])).toBeLessThan(1e-9);
  });

  it('fixture B, raw probability scores (inputTransform=identity): A = -2.703540245209, B = 0.852983659902', () => {
    const r = fitPlatt(fixtureB.s, fixtureB.t);
    expect(r.A).toBeCloseTo(-2.703540245209, 10);
    expect(r.B).toBeCloseTo(0.852983659902, 10);
    const m = plattScaling.fit({ logits: binaryLogits(fixtureB.s), labels }, { inputTransform: 'identity' }, ctx).model;
    const p = col1(m.predictProba({ logits: binaryLogits(fixtureB.q) }).data);
    expect(maxAbsDiff(p, [0.2988073416, 0.3278761568, 0.3583277393, 0.3708530806, 0.4225593855, 0.4895211380, 0.5568610669, 0.6221741031, 0.6833349345, 0.7387524600, 0.8292332036, 0.8641924392])).toBeLessThan(2e-10);
  });

  it('scikit-learn test_calibration.py: scores [5, -4, 1], labels [1, 0, 0] (libsvm -0.2026135, 0.6523631 to 3 decimals; sklearn 1.2.1 -0.2026145, 0.6523679)', () => {
    const r = fitPlatt([5, -4, 1], [1, 0, 0]);
    expect(r.A).toBeCloseTo(-0.20261354391187855, 5);
    expect(r.B).toBeCloseTo(0.65236314980010512, 5);
    expect(Math.abs(r.A - -0.2026145)).toBeLessThan(1e-6);
    expect(Math.abs(r.B - 0.6523679)).toBeLessThan(1e-5);
  });
});

describe('beta (calibrators.md §8.2)', () => {
  it('fixture B: exact MLE a = 0.4689932179, b = 1.2655897914, c = 0.0013383877, and μ at the query points', () => {
    const r = fitBeta(fixtureB.s.map(Math.log), fixtureB.s.map((s) => Math.log1p(-s)), fixtureB.t);
    expect(r.converged).toBe(true);
    expect(Math.abs(r.params.a - 0.4689932179)).toBeLessThan(2e-7);
    expect(Math.abs(r.params.b - 1.2655897914)).toBeLessThan(2e-7);
    expect(Math.abs(r.params.c - 0.0013383877)).toBeLessThan(2e-7);
    expect(r.params.m).toBeCloseTo(0.33356, 5);
    const m = betaCalibration.fit({ logits: binaryLogits(fixtureB.s), labels }, {}, ctx).model;
    const p = col1(m.predictProba({ logits: binaryLogits(fixtureB.q, BETA_EPS) }).data);
    expect(maxAbsDiff(p, [4.56e-8, 0.2077200632, 0.2798480989, 0.3033774010, 0.3843632859, 0.4720510332, 0.5543098739, 0.6349465537, 0.7153298922, 0.7954012480, 0.9461425859, 1.0])).toBeLessThan(5e-8);
  });

  it('clamps a < 0 to a = 0 and refits on -ln(1-s) only (betacal rule)', () => {
    const s = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    const t = [1, 0, 1, 0, 0, 1, 0, 1];
    const r = fitBeta(s.map(Math.log), s.map((v) => Math.log1p(-v)), t);
    expect(r.params.a >= 0 && r.params.b >= 0).toBe(true);
    if (r.warnings.some((w) => w.includes('a-clamped'))) expect(r.params.a).toBe(0);
  });
});

describe('binary maps on multiclass data (one-vs-rest, top-label)', () => {
  const G = fixtureG();
  for (const spec of [plattScaling, betaCalibration]) {
    it(`${spec.id}: OvR rows sum to 1, independent rows are the raw marginals, top-label keeps row sums`, () => {
      const ovr = spec.fit(G, {}, ctx).model;
      expect(ovr.toJSON().reduction).toBe('ovr');
      const q = ovr.predictProba(G).data;
      for (let i = 0; i < 60; i++) expect(q[3 * i]! + q[3 * i + 1]! + q[3 * i + 2]!).toBeCloseTo(1, 12);
      const ind = spec.fit(G, { independent: true }, ctx).model.predictProba(G).data;
      for (let i = 0; i < 60; i++) {
        const s = ind[3 * i]! + ind[3 * i + 1]! + ind[3 * i + 2]!;
        for (let k = 0; k < 3; k++) expect(q[3 * i + k]!).toBeCloseTo(ind[3 * i + k]! / s, 12);
      }
      const tl = spec.fit(G, { reduction: 'top-label' }, ctx).model;
      expect(tl.toJSON().reduction).toBe('top-label');
      const qt = tl.predictProba(G).data;
      for (let i = 0; i < 60; i++) expect(qt[3 * i]! + qt[3 * i + 1]! + qt[3 * i + 2]!).toBeCloseTo(1, 12);
      const conf = (tl as unknown as { predictConfidence(i: { logits: typeof G.logits }): Float64Array }).predictConfidence(G);
      const top = argmaxRows(G.logits);
      for (let i = 0; i < 60; i++) expect(conf[i]).toBe(qt[3 * i + top[i]!]);
    });
  }
});
