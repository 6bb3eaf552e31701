import { describe, expect, it } from 'vitest';
import { fitSplineTable, interpolateTable, naturalSecondDerivatives, splineAt, splineCalibration } from '../../src/calibrators/binning/spline.js';
import { fitPlattMle, fitScalingBinningMap, clippedLogit, scalingBinning, splitIndices } from '../../src/calibrators/binning/scaling-binning.js';
import { topLabelView } from '../../src/calibrators/binning/reduced-maps.js';
import { argmaxRows, softmax } from '../../src/math/softmax.js';
import { fixtureB, fixtureG } from './binning-fixtures.js';

const g = fixtureG();
const probs = softmax(g.logits);
const conf = new Float64Array(60);
const correct = new Uint8Array(60);
topLabelView(probs, g.labels, conf, correct);

describe('spline calibration on fixture GT (calibrators.md §9 oracle, 6 natural knots)', () => {
  const t = fitSplineTable(conf, correct, 6);
  it('recalibrated values at the sorted calibration points', () => {
    [0.3321585047, 0.3330711548, 0.3328237190, 0.4525051811, 0.4531477265].forEach((v, j) => expect(t.y[j]).toBeCloseTo(v, 9));
    [0.9381183620, 0.9377119954, 0.9377007171].forEach((v, j) => expect(t.y[57 + j]).toBeCloseTo(v, 9));
  });
  const qs = [0.30, 0.45, 0.50, 0.60, 0.70, 0.80, 0.90, 0.99];
  it('correct linear interpolation at the query points', () => {
    const want = [0.3321585047, 0.4085309827, 0.4531361079, 0.4485198025, 0.5571300862, 0.7226768959, 0.9155798317, 0.9377007171];
    qs.forEach((q, i) => expect(interpolateTable(t.x, t.y, q, false)).toBeCloseTo(want[i]!, 9));
  });
  it('the reference swapped weights (compatSwappedInterp) reproduce its numbers', () => {
    const want = [0.3321585047, 0.3767979174, 0.4528682574, 0.5564032692, 0.4477929855, 0.7170028326, 0.9152992965, 0.9377007171];
    qs.forEach((q, i) => expect(interpolateTable(t.x, t.y, q, true)).toBeCloseTo(want[i]!, 9));
  });
  it('the calibrator puts the interpolated confidence on the predicted class', () => {
    const p = splineCalibration.fit(g, {}, { seed: 0 }).model.predictProba(g);
    for (let i = 0; i < 60; i++) {
      const c = interpolateTable(t.x, t.y, conf[i]!, false);
      expect(Math.max(p.data[3 * i]!, p.data[3 * i + 1]!, p.data[3 * i + 2]!)).toBeGreaterThanOrEqual(Math.min(c, 1 / 3) - 1e-15);
    }
  });
  it('fewer points than knots gives the minimum-norm fit and a warning', () => {
    const r = fitSplineTable(Float64Array.of(0.6, 0.9, 0.7), [1, 1, 0], 6);
    expect(r.warnings.length).toBe(1);
    r.y.forEach((v) => expect(Number.isFinite(v)).toBe(true));
  });
  it('a natural spline reproduces a straight line exactly (zero second derivatives)', () => {
    const v = Float64Array.of(0, 0.2, 0.4, 0.6, 0.8, 1);
    const d = naturalSecondDerivatives(v, 0.2);
    d.forEach((x) => expect(Math.abs(x)).toBeLessThan(1e-12));
    expect(splineAt(v, d, 0.37).value).toBeCloseTo(0.37, 14);
    expect(splineAt(v, d, 0.37).slope).toBeCloseTo(1, 12);
  });
});

describe('scaling-binning on fixture B (calibrators.md §10 oracle)', () => {
  const s = Float64Array.from(fixtureB.s);
  const x = s.map(clippedLogit);
  const all = splitIndices(12, 1, 0);
  it('Platt MLE gives a = 0.7863018097, b = 0.6683962127 (oracle, ±5e-8) = 0.786301833688, 0.668396230387 (numpy Newton to |grad| < 1e-15)', () => {
    const r = fitPlattMle(x, fixtureB.t, all[0]);
    expect(r.converged).toBe(true);
    expect(r.a).toBeCloseTo(0.7863018097, 7);
    expect(r.b).toBeCloseTo(0.6683962127, 7);
    expect(r.a).toBeCloseTo(0.786301833688, 10);
    expect(r.b).toBeCloseTo(0.668396230387, 10);
  });
  it('B = 3: g-edges and bin values of the oracle, and predictions 5×, 4×, 3×', () => {
    const { map } = fitScalingBinningMap(s, fixtureB.t, 3, all);
    [0.4895760815, 0.7411100917, 1].forEach((v, i) => expect(map.edges[i]).toBeCloseTo(v, 7));
    const vals = [0.2979127867, 0.6040944558, 0.8479927549];
    vals.forEach((v, i) => expect(map.values[i]).toBeCloseTo(v, 7));
    const q = Float64Array.from(fixtureB.q);
    const out = new Float64Array(12);
    map.apply(12, q, 1, 0, out, 1, 0);
    const want = [...Array(5).fill(vals[0]), ...Array(4).fill(vals[1]), ...Array(3).fill(vals[2])] as number[];
    want.forEach((v, i) => expect(out[i]).toBeCloseTo(v, 7));
  });
  it('B = 4: values (0.2467857858, 0.5380456935, 0.7411100917, 0.8750798916)', () => {
    const { map } = fitScalingBinningMap(s, fixtureB.t, 4, all);
    [0.3703514845, 0.5865153054, 0.7853296968, 1].forEach((v, i) => expect(map.edges[i]).toBeCloseTo(v, 7));
    [0.2467857858, 0.5380456935, 0.7411100917, 0.8750798916].forEach((v, i) => expect(map.values[i]).toBeCloseTo(v, 7));
  });
  it('top-label on fixture G with B = 5 gives the reference outputs for rows 0–5 (to 1e-6)', () => {
    const p = scalingBinning.fit(g, { bins: 5 }, { seed: 0 }).model.predictProba(g);
    const want = [0.838932694, 0.358466755, 0.9411128475, 0.9411128475, 0.358466755, 0.4683430398];
    const arg = argmaxRows(probs);
    want.forEach((v, i) => expect(p.data[3 * i + arg[i]!]).toBeCloseTo(v, 5));
  });
  it('splits=3 uses three disjoint seeded thirds and stores the seed', () => {
    const sets = splitIndices(60, 3, 7);
    const seen = new Set<number>();
    for (const set of sets) for (const i of set) { expect(seen.has(i)).toBe(false); seen.add(i); }
    expect(seen.size).toBe(60);
    expect(scalingBinning.fit(g, { splits: 3 }, { seed: 7 }).model.toJSON().seed).toBe(7);
    expect(() => scalingBinning.fit(g, { splits: 2 }, { seed: 7 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
});
