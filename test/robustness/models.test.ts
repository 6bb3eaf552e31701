/**
 * Issue 8 catalogue, model files and views (API level; the CLI-level twins live in cli.test.ts once
 * `calibra fit`/`apply` exist): another version, another format or method, a hand-edited invalid state,
 * a wrong class count, and views whose names or order differ from the model's.
 */
import { describe, expect, it } from 'vitest';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import { loadModelJson, serializeModel } from '../../src/calibrators/core/model-file.js';
import type { ViewLogits } from '../../src/calibrators/core/types.js';
import { Rng } from '../../src/math/rng.js';
import { expectCode } from '../data/helpers.js';

const N = 40;
const K = 3;
const rng = new Rng(11);
const labels = Int32Array.from({ length: N }, () => rng.int(K));
const noisy = (): Float64Array => Float64Array.from({ length: N * K }, (_, i) => rng.normal() + (labels[Math.floor(i / K)] === i % K ? 2 : 0));
const logits = { data: noisy(), rows: N, cols: K };
const tsText = serializeModel(getCalibrator('ts').fit({ logits, labels }, {}, { seed: 1 }).model);
const edit = (f: (j: Record<string, unknown>) => void): string => {
  const j = JSON.parse(tsText) as Record<string, unknown>;
  f(j);
  return JSON.stringify(j);
};

describe('model files that do not fit', () => {
  it('M1: another version -> E_MODEL_VERSION naming the field', () => {
    const e = expectCode(() => loadModelJson(edit((j) => { j['version'] = 2; }), 'ts.json'), 'E_MODEL_VERSION');
    expect([e.source, e.where]).toEqual(['ts.json', "field 'version'"]);
  });
  it('M2: not a calibra model (other format, not JSON) -> E_MODEL_INVALID / E_FORMAT', () => {
    expectCode(() => loadModelJson(edit((j) => { j['format'] = 'sklearn'; }), 'ts.json'), 'E_MODEL_INVALID');
    expectCode(() => loadModelJson('{"format": "calibra.calibrator", ', 'ts.json'), 'E_FORMAT');
  });
  it('M3: unknown method, or a method whose params belong to another -> E_MODEL_INVALID', () => {
    expectCode(() => loadModelJson(edit((j) => { j['method'] = 'magic'; }), 'ts.json'), 'E_MODEL_INVALID');
    expectCode(() => loadModelJson(edit((j) => { j['method'] = 'isotonic'; }), 'ts.json'), 'E_MODEL_INVALID');
  });
  it('M4: hand-edited into an invalid state (temperature <= 0 or missing, class count 1) -> E_MODEL_INVALID', () => {
    const params = (JSON.parse(tsText) as { params: Record<string, unknown> }).params;
    const key = Object.keys(params)[0] as string;
    expectCode(() => loadModelJson(edit((j) => { (j['params'] as Record<string, unknown>)[key] = -1; }), 'ts.json'), 'E_MODEL_INVALID');
    expectCode(() => loadModelJson(edit((j) => { j['params'] = {}; }), 'ts.json'), 'E_MODEL_INVALID');
    expectCode(() => loadModelJson(edit((j) => { j['numClasses'] = 1; }), 'ts.json'), 'E_MODEL_INVALID');
  });
  it('M5: applied to logits with another class count -> E_SHAPE', () => {
    const m = loadModelJson(tsText, 'ts.json');
    expectCode(() => m.predictProba({ logits: { data: new Float64Array(8), rows: 2, cols: 4 } }), 'E_SHAPE');
  });
});

describe('views that do not match a CA model', () => {
  const names = ['rotation', 'greyscale', 'colorjitter'];
  const views: ViewLogits = { names, logits: names.map(() => ({ data: noisy(), rows: N, cols: K })) };
  const fit = getCalibrator('ca').fit({ logits, labels, views }, { mode: 'faithful', epochs: 2, k: 2 }, { seed: 3 });
  const model = loadModelJson(serializeModel(fit.model), 'ca.json');
  it('V1: a view the model needs is missing -> E_VIEWS_MISMATCH naming it', () => {
    const e = expectCode(() => model.predictProba({ logits, views: { names: ['rotation', 'blur', 'colorjitter'], logits: views.logits } }), 'E_VIEWS_MISMATCH');
    expect(e.message).toContain("missing 'greyscale'");
  });
  it('V2: the same views in another order give the same probabilities (views are matched by name)', () => {
    const a = model.predictProba({ logits, views });
    const b = model.predictProba({ logits, views: { names: [...names].reverse(), logits: [...views.logits].reverse() } });
    expect(b.data).toEqual(a.data);
  });
  it('V3: a view of another shape -> E_SHAPE', () => {
    const bad = { names, logits: [views.logits[0], views.logits[1], { data: new Float64Array(4 * K), rows: 4, cols: K }] } as ViewLogits;
    expectCode(() => model.predictProba({ logits, views: bad }), 'E_SHAPE');
  });
});
