import { describe, expect, it } from 'vitest';
import { irm } from '../../src/calibrators/binning/irm.js';
import { irova } from '../../src/calibrators/binning/irova.js';
import { irovaTs } from '../../src/calibrators/binning/irova-temperature.js';
import { argmaxRows, softmax } from '../../src/math/softmax.js';
import { fixtureG } from './binning-fixtures.js';

const g = fixtureG();
const rows = [0, 1, 4];
function pick(p: { data: Float64Array }, r: number): number[] { return [p.data[r * 3]!, p.data[r * 3 + 1]!, p.data[r * 3 + 2]!]; }

describe('Mix-n-Match isotonic variants on fixture G (calibrators.md §5.2 oracle)', () => {
  it('IRM: rows 0, 1, 4 after the 1e-9·p tie-break and normalisation', () => {
    const p = irm.fit(g, {}, { seed: 0 }).model.predictProba(g);
    const want = [[0.114583333345, 0.885416666609, 4.6e-11], [0.500000000044, 0.499999999951, 5e-12], [0.500000000005, 1e-12, 0.499999999994]];
    rows.forEach((r, j) => pick(p, r).forEach((v, k) => expect(v).toBeCloseTo(want[j]![k]!, 11)));
  });
  it('IRM keeps every argmax of G (the tie at 12/25 in row 1 goes to the original argmax)', () => {
    const p = irm.fit(g, {}, { seed: 0 }).model.predictProba(g);
    expect(Array.from(argmaxRows(p))).toEqual(Array.from(argmaxRows(g.logits)));
  });
  it('IROvA: rows 0, 1, 4, and row 1 moves from class 0 to class 1', () => {
    const p = irova.fit(g, {}, { seed: 0 }).model.predictProba(g);
    const want = [[1.27e-10, 0.999999999826, 4.7e-11], [0.480769230822, 0.519230769173, 4e-12], [0.590909090817, 1e-12, 0.409090909181]];
    rows.forEach((r, j) => pick(p, r).forEach((v, k) => expect(v).toBeCloseTo(want[j]![k]!, 11)));
    expect(argmaxRows(p)[1]).toBe(1);
    expect(argmaxRows(softmax(g.logits))[1]).toBe(0);
  });
  it('IROvA-TS: T ≈ 1.2400616 (TS with the MSE loss), same rows 0, 1, 4 as IROvA, and different elsewhere', () => {
    const fit = irovaTs.fit(g, {}, { seed: 0 });
    const json = fit.model.toJSON();
    expect(json.params['T'] as number).toBeCloseTo(1.2400616, 6);
    const p = fit.model.predictProba(g);
    const q = irova.fit(g, {}, { seed: 0 }).model.predictProba(g);
    rows.forEach((r) => pick(p, r).forEach((v, k) => expect(v).toBeCloseTo(pick(q, r)[k]!, 6)));
    let differ = 0;
    for (let r = 0; r < 60; r++) if (pick(p, r).some((v, k) => Math.abs(v - pick(q, r)[k]!) > 1e-6)) differ++;
    expect(differ).toBeGreaterThan(0);
  });
});
