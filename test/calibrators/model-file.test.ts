import { describe, expect, it } from 'vitest';
import { loadModelJson, serializeModel } from '../../src/calibrators/core/model-file.js';
import { MODEL_VERSION } from '../../src/calibrators/core/envelope.js';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import type { CalibratorJSON } from '../../src/calibrators/core/types.js';
import { fixtureG } from './binning-fixtures.js';

const g = fixtureG();
function fitted(id: string, options: Record<string, string | number | boolean> = {}): CalibratorJSON {
  return getCalibrator(id).fit(g, options, { seed: 0 }).model.toJSON();
}
function edited(json: CalibratorJSON, edit: (o: Record<string, unknown>) => void): string {
  const o = JSON.parse(serializeModel(json)) as Record<string, unknown>;
  edit(o);
  return JSON.stringify(o);
}
function rejects(text: string, code: string, where?: RegExp): void {
  let err: unknown;
  try { loadModelJson(text, 'model.json'); } catch (e) { err = e; }
  expect(err, 'expected a CalibraError').toMatchObject({ code, source: 'model.json' });
  if (where !== undefined) expect((err as { where?: string }).where).toMatch(where);
  expect((err as { fix?: string }).fix).toBeTruthy();
}

describe('loadModelJson rejects files it cannot trust, with exact codes naming the file and field', () => {
  const iso = fitted('isotonic');
  it('another version is E_MODEL_VERSION on field version', () => {
    rejects(edited(iso, (o) => { o['version'] = MODEL_VERSION + 1; }), 'E_MODEL_VERSION', /'version'/);
    rejects(edited(iso, (o) => { delete o['version']; }), 'E_MODEL_VERSION', /'version'/);
  });
  it('another format, an unknown method, or a missing envelope field is E_MODEL_INVALID', () => {
    rejects(edited(iso, (o) => { o['format'] = 'sklearn.pickle'; }), 'E_MODEL_INVALID', /'format'/);
    rejects(edited(iso, (o) => { o['method'] = 'magic'; }), 'E_MODEL_INVALID', /'method'/);
    rejects(edited(iso, (o) => { delete o['params']; }), 'E_MODEL_INVALID', /'params'/);
    rejects(edited(iso, (o) => { o['numClasses'] = 1.5; }), 'E_MODEL_INVALID', /'numClasses'/);
  });
  it('a model of another method under this method id is E_MODEL_INVALID', () => {
    rejects(edited(fitted('histogram'), (o) => { o['method'] = 'isotonic'; }), 'E_MODEL_INVALID');
    rejects(edited(fitted('irova'), (o) => { o['method'] = 'irm'; }), 'E_MODEL_INVALID');
    rejects(edited(fitted('spline'), (o) => { o['method'] = 'bbq'; }), 'E_MODEL_INVALID');
  });
  it('a wrong class count is E_MODEL_INVALID on the per-class maps', () => {
    rejects(edited(iso, (o) => { o['numClasses'] = 4; }), 'E_MODEL_INVALID', /params\.maps/);
    rejects(edited(fitted('irova-ts'), (o) => { o['numClasses'] = 5; }), 'E_MODEL_INVALID', /params\.maps/);
  });
  it('hand-edited learned values that break the method rules are E_MODEL_INVALID naming the entry', () => {
    rejects(edited(iso, (o) => { ((o['params'] as { maps: { y: number[] }[] }).maps[0] as { y: number[] }).y.reverse(); }), 'E_MODEL_INVALID', /params\.maps\[0\]\.y\[\d+\]/);
    rejects(edited(fitted('histogram'), (o) => { ((o['params'] as { maps: { values: number[] }[] }).maps[1] as { values: number[] }).values[2] = 1.5; }), 'E_MODEL_INVALID', /params\.maps\[1\]\.values\[2\]/);
    rejects(edited(fitted('histogram'), (o) => { ((o['params'] as { maps: { edges: number[] }[] }).maps[0] as { edges: number[] }).edges.pop(); }), 'E_MODEL_INVALID', /params\.maps\[0\]/);
    rejects(edited(fitted('bbq'), (o) => { (((o['params'] as { maps: { members: { weight: number }[] }[] }).maps[0] as { members: { weight: number }[] }).members[0] as { weight: number }).weight = 0; }), 'E_MODEL_INVALID', /members/);
    rejects(edited(fitted('irm'), (o) => { (o['params'] as Record<string, unknown>)['tieBreak'] = 'x'; }), 'E_MODEL_INVALID', /tieBreak/);
    rejects(edited(fitted('scaling-binning'), (o) => { ((o['params'] as { maps: Record<string, unknown>[] }).maps[0] as Record<string, unknown>)['a'] = null; }), 'E_MODEL_INVALID', /\.a'/);
    rejects(edited(fitted('spline'), (o) => { (o['params'] as { y: number[] }).y.pop(); }), 'E_MODEL_INVALID', /params\.y/);
    rejects(edited(fitted('none'), (o) => { o['params'] = { T: 2 }; }), 'E_MODEL_INVALID', /params/);
  });
  it('text that is not JSON (truncated, NaN) is E_FORMAT', () => {
    const text = serializeModel(iso);
    rejects(text.slice(0, text.length / 2), 'E_FORMAT');
    rejects(text.replace(/"y": \[[^\]]*\]/, '"y": [NaN]'), 'E_FORMAT');
  });
});

describe('serializeModel', () => {
  it('writes shortest round-trip numbers and -0, so parse gives back the same bits', () => {
    const base = fitted('none');
    const values = [0.1, 1 / 3, -0, 5e-324, 1.7976931348623157e308, 2 ** -1074 * 3, 0.29000000000000004];
    const json = { ...base, params: {}, options: { probe: values, typed: Float64Array.from(values) } } as unknown as CalibratorJSON;
    const back = JSON.parse(serializeModel(json)) as { options: { probe: number[]; typed: number[] } };
    values.forEach((v, i) => {
      expect(Object.is(back.options.probe[i], v)).toBe(true);
      expect(Object.is(back.options.typed[i], v)).toBe(true);
    });
  });
  it('refuses a non-finite number with E_NUMERIC naming the field', () => {
    const json = { ...fitted('none'), options: { bad: [1, Infinity] } } as unknown as CalibratorJSON;
    expect(() => serializeModel(json)).toThrow(expect.objectContaining({ code: 'E_NUMERIC', where: "field 'options.bad[1]'" }));
  });
  it('a loaded model predicts on other class counts with E_SHAPE', () => {
    const m = loadModelJson(serializeModel(iso()), 'm.json');
    expect(() => m.predictProba({ logits: { data: new Float64Array(8), rows: 2, cols: 4 } })).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    function iso(): CalibratorJSON { return fitted('isotonic'); }
  });
});
