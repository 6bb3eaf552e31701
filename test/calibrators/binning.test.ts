import { describe, expect, it } from 'vitest';
import { binMeans, equalMassEdges, equalWidthEdges, HistogramMap } from '../../src/calibrators/binning/histogram-map.js';
import { fitHistogramMap, histogramBinning } from '../../src/calibrators/binning/histogram.js';
import { BbqMap, bbqCandidates, bbqElbow } from '../../src/calibrators/binning/bbq.js';
import { isotonicRegression } from '../../src/calibrators/binning/isotonic.js';
import { bbq } from '../../src/calibrators/binning/bbq.js';
import { binaryLogits, fixtureB, fixtureG } from './binning-fixtures.js';
import { softmax } from '../../src/math/softmax.js';

const s = Float64Array.from(fixtureB.s);
const t = Uint8Array.from(fixtureB.t);
const q = Float64Array.from(fixtureB.q);

function predictMap(map: { apply: HistogramMap['apply'] }, xs: Float64Array): number[] {
  const out = new Float64Array(xs.length);
  map.apply(xs.length, xs, 1, 0, out, 1, 0);
  return Array.from(out);
}
function expectClose(got: readonly number[], want: readonly number[], digits: number): void {
  expect(got.length).toBe(want.length);
  got.forEach((v, i) => expect(v, `index ${i}`).toBeCloseTo(want[i] as number, digits));
}

describe('histogram binning on fixture B (calibrators.md §7.1, hand-computed)', () => {
  it('equal-width B = 5 with (lo, hi] bins gives values (1/3, 1/2, 1, 1/2, 1) and the §7.1 predictions', () => {
    const m = fitHistogramMap(s, t, { bins: 5, scheme: 'equal-width', emptyBin: 'center' });
    expectClose(Array.from(m.values), [1 / 3, 1 / 2, 1, 1 / 2, 1], 15);
    expectClose(predictMap(m, q), [1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 3, 1 / 2, 1 / 2, 1, 1, 1 / 2, 1, 1], 15);
  });
  it('equal-mass B = 3 puts edges at 0.29, 0.62, 1 and values (1/4, 3/4, 3/4)', () => {
    const e = equalMassEdges(s, 3);
    expect(Array.from(e)).toEqual([0.29000000000000004, 0.62, 1]);
    const m = fitHistogramMap(s, t, { bins: 3, scheme: 'equal-mass', emptyBin: 'center' });
    expectClose(Array.from(m.values), [1 / 4, 3 / 4, 3 / 4], 15);
    expectClose(predictMap(m, q), [...Array(5).fill(1 / 4), ...Array(7).fill(3 / 4)], 15);
  });
  it('equal-mass B = 4: both 0.40 fall in bin 1, values (1/3, 1/2, 1/2, 1)', () => {
    const m = fitHistogramMap(s, t, { bins: 4, scheme: 'equal-mass', emptyBin: 'center' });
    expectClose(Array.from(m.edges), [0.185, 0.4, 0.69, 1], 15);
    expectClose(Array.from(m.values), [1 / 3, 1 / 2, 1 / 2, 1], 15);
    expectClose(predictMap(m, q), [...Array(4).fill(1 / 3), ...Array(5).fill(1 / 2), 1, 1, 1], 15);
  });
  it('empty bins take their midpoint (center) or 0 (zero); more bins than points caps equal-mass at N', () => {
    const e = equalWidthEdges(4);
    const scores = Float64Array.of(0.1, 0.9);
    expect(Array.from(binMeans(e, scores, [1, 0], 'center'))).toEqual([1, 0.375, 0.625, 0]);
    expect(Array.from(binMeans(e, scores, [1, 0], 'zero'))).toEqual([1, 0, 0, 0]);
    expect(equalMassEdges(scores, 10).length).toBe(2);
  });
  it('a score exactly on an edge goes to the lower bin, 0 to the first, 1 to the last', () => {
    const m = new HistogramMap(equalWidthEdges(5), Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5));
    expect(predictMap(m, Float64Array.of(0, 0.2, 0.2000001, 0.4, 1))).toEqual([0.1, 0.1, 0.2, 0.2, 0.5]);
  });
});

describe('BBQ on fixture B (calibrators.md §7.3 oracle, netcal BIC variant)', () => {
  it('scores B = 1, 2, 3 with the oracle log-likelihoods, BICs and relative scores', () => {
    const c = bbqCandidates(s, t);
    expect(c.map((x) => x.bins)).toEqual([1, 2, 3]);
    expectClose(c.map((x) => x.logLikelihood), [-8.1503191919, -7.2823688506, -6.1376470573], 9);
    expectClose(c.map((x) => x.bic), [18.7855450336, 19.5345510008, 19.7300140639], 9);
    expectClose(c.map((x) => x.relative), [1, 0.6876309577, 0.6236072504], 9);
    expectClose(Array.from(c[2]?.values ?? []), [2 / 5, 1 / 2, 1], 15);
  });
  it('keeps all three models with weights (0.4326685136, 0.2975162644, 0.2698152221)', () => {
    const m = BbqMap.fit(s, t);
    expect(m.members.map((x) => x.edges.length)).toEqual([1, 2, 3]);
    expectClose(m.members.map((x) => x.weight), [0.4326685136, 0.2975162644, 0.2698152221], 9);
  });
  it('predicts the oracle values at the query points', () => {
    const m = BbqMap.fit(s, t);
    const a = 0.4878230255, b = 0.5148045477, c = 0.6253105888, d = 0.7602181998;
    expectClose(predictMap(m, q), [a, a, a, a, a, a, b, b, c, d, d, d], 9);
  });
  it('elbow: all-equal scores keep every model; a single model is kept alone', () => {
    expect(bbqElbow([1, 1, 1]).length).toBe(3);
    expect(bbqElbow([1])).toEqual([0]);
    expect(bbqElbow([1, 0.5, 0.4999999])).toEqual([0, 1]);
    expect(bbqElbow([0.2, 1, 0.5])).toEqual([1, 2, 0]);
  });
});

describe('binning calibrators through the multiclass reductions', () => {
  it('binary OvR isotonic (K = 2) calibrates only the positive column, as scikit-learn does', () => {
    const logits = binaryLogits(fixtureB.s);
    const labels = Int32Array.from(fixtureB.t);
    const fit = isotonicRegression.fit({ logits, labels }, {}, { seed: 0 });
    const p = fit.model.predictProba({ logits: binaryLogits(fixtureB.q) });
    const want = [0, 0, 0.2380952381, 1 / 3, 1 / 3, 0.5, 0.6, 0.6, 0.6, 0.8666666667, 1, 1];
    want.forEach((w, i) => {
      expect(p.data[2 * i + 1]).toBeCloseTo(w, 9);
      expect((p.data[2 * i] as number) + (p.data[2 * i + 1] as number)).toBe(1);
    });
  });
  it('OvR rows sum to 1, and independent=true returns the raw per-class maps', () => {
    const g = fixtureG();
    for (const spec of [histogramBinning, isotonicRegression, bbq]) {
      const p = spec.fit(g, {}, { seed: 0 }).model.predictProba(g);
      for (let i = 0; i < p.rows; i++) expect(p.data[3 * i]! + p.data[3 * i + 1]! + p.data[3 * i + 2]!).toBeCloseTo(1, 12);
      const raw = spec.fit(g, { independent: 'true' }, { seed: 0 }).model.predictProba(g);
      const sums = Array.from({ length: raw.rows }, (_, i) => raw.data[3 * i]! + raw.data[3 * i + 1]! + raw.data[3 * i + 2]!);
      expect(sums.some((v) => Math.abs(v - 1) > 1e-6)).toBe(true);
    }
  });
  it('IROvA-style isotonic OvR matches the §5.2 raw values on fixture G rows 0, 1, 4 (before the tie-break)', () => {
    const g = fixtureG();
    const p = isotonicRegression.fit(g, { independent: true }, { seed: 0 }).model.predictProba(g);
    const want = [[0, 1, 0], [5 / 9, 3 / 5, 0], [5 / 9, 0, 5 / 13]];
    [0, 1, 4].forEach((row, j) => (want[j] as number[]).forEach((w, k) => expect(p.data[row * 3 + k]).toBeCloseTo(w, 12)));
  });
  it('top-label keeps the predicted class probability at the calibrated confidence and rows sum to 1', () => {
    const g = fixtureG();
    const fit = histogramBinning.fit(g, { reduction: 'top-label', bins: 5 }, { seed: 0 });
    const p = fit.model.predictProba(g);
    const base = softmax(g.logits);
    for (let i = 0; i < g.logits.rows; i++) {
      let arg = 0;
      for (let k = 1; k < 3; k++) if (base.data[i * 3 + k]! > base.data[i * 3 + arg]!) arg = k;
      const row = [p.data[i * 3]!, p.data[i * 3 + 1]!, p.data[i * 3 + 2]!];
      expect(row[0]! + row[1]! + row[2]!).toBeCloseTo(1, 12);
      // others keep their original ratio
      const others = [0, 1, 2].filter((k) => k !== arg);
      const r0 = base.data[i * 3 + others[0]!]! / base.data[i * 3 + others[1]!]!;
      expect(row[others[0]!]! / row[others[1]!]!).toBeCloseTo(r0, 10);
    }
  });
  it('rejects unknown options and out-of-range values with E_OPTION', () => {
    const g = fixtureG();
    expect(() => histogramBinning.fit(g, { bins: 0 }, { seed: 0 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    expect(() => histogramBinning.fit(g, { binz: 3 }, { seed: 0 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    expect(() => isotonicRegression.fit(g, { yMin: 0.8, yMax: 0.2 }, { seed: 0 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
  it('rejects a label ≥ K (E_LABEL_RANGE) and a non-finite logit (E_NON_FINITE)', () => {
    const g = fixtureG();
    const bad = Int32Array.from(g.labels); bad[3] = 3;
    expect(() => bbq.fit({ logits: g.logits, labels: bad }, {}, { seed: 0 })).toThrow(expect.objectContaining({ code: 'E_LABEL_RANGE' }));
    const z = Float64Array.from(g.logits.data); z[5] = NaN;
    expect(() => bbq.fit({ logits: { data: z, rows: 60, cols: 3 }, labels: g.labels }, {}, { seed: 0 })).toThrow(expect.objectContaining({ code: 'E_NON_FINITE' }));
  });
});
