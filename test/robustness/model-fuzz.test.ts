/**
 * Issue 8.4 for the model loader: model files edited by hand or damaged at random never crash with
 * anything but a CalibraError, and a model that loads predicts finite probabilities whose rows sum to 1.
 * Seeded and bounded (fast-check). The models come from fitting each registered method on a small
 * seeded problem (methods that need views are left out).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibratorSpecs } from '../../src/calibrators/core/registry.js';
import { loadModelJson, serializeModel } from '../../src/calibrators/core/model-file.js';
import type { FittedCalibrator } from '../../src/calibrators/core/types.js';
import { CalibraError } from '../../src/errors.js';
import { Rng } from '../../src/math/rng.js';

const N = 60;
const K = 3;
const rng = new Rng(7);
const labels = Int32Array.from({ length: N }, () => rng.int(K));
const logits = { data: Float64Array.from({ length: N * K }, (_, i) => rng.normal() * 2 + (labels[Math.floor(i / K)] === i % K ? 1.5 : 0)), rows: N, cols: K };

const texts: [string, string][] = [];
for (const spec of calibratorSpecs.filter((s) => s.input !== 'views')) {
  try {
    texts.push([spec.id, serializeModel(spec.fit({ logits, labels }, {}, { seed: 1 }).model)]);
  } catch (e) {
    if (!(e instanceof CalibraError)) throw e;
  }
}

/** Valid probabilities; rows sum to 1 unless the model is an `independent` one-vs-rest map (by design). */
function checkPredictions(model: FittedCalibrator, independent = false): void {
  const p = model.predictProba({ logits });
  for (let r = 0; r < p.rows; r++) {
    let s = 0;
    for (let c = 0; c < p.cols; c++) {
      const v = p.data[r * p.cols + c] as number;
      expect(v >= 0 && v <= 1, `p[${r}][${c}] = ${v}`).toBe(true);
      s += v;
    }
    if (!independent) expect(Math.abs(s - 1)).toBeLessThan(1e-9);
  }
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Paths to every value in a JSON tree. */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

function setAt(root: Json, p: (string | number)[], value: Json | undefined): Json {
  if (p.length === 0) return value ?? null;
  const copy = structuredClone(root);
  let cur = copy as Record<string | number, Json>;
  for (const k of p.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  const last = p[p.length - 1] as string | number;
  if (value === undefined) {
    if (Array.isArray(cur)) cur.splice(last as number, 1); else delete cur[last];
  } else cur[last] = value;
  return copy;
}

const hostile: fc.Arbitrary<Json | undefined> = fc.oneof(
  fc.constant(undefined), fc.constant(null), fc.constant(-1), fc.constant(0), fc.constant(1e308), fc.constant(-1e-320),
  fc.constant(2 ** 31), fc.constant('NaN'), fc.constant<Json>([]), fc.constant<Json>({}), fc.constant(true), fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 6 }), fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 4 }),
);

describe('model loader fuzz', () => {
  it('every non-views method fitted on a small problem saves and loads back', () => {
    expect(texts.length).toBeGreaterThan(5);
    for (const [, text] of texts) checkPredictions(loadModelJson(text, 'm.json'));
  });
  it('hand edits (a field deleted or replaced by a hostile value) only raise CalibraError; loaded models predict valid probabilities', () => {
    const models = fc.constantFrom(...texts);
    fc.assert(fc.property(models, fc.nat(), hostile, ([, text], pick, value) => {
      const json = JSON.parse(text) as Json;
      const all = paths(json).filter((p) => p.length > 0);
      const edited = setAt(json, all[pick % all.length] as (string | number)[], value);
      let model: FittedCalibrator;
      try {
        model = loadModelJson(JSON.stringify(edited), 'm.json');
      } catch (e) {
        if (e instanceof CalibraError) return;
        throw e;
      }
      try {
        checkPredictions(model, (edited as { options?: { independent?: unknown } }).options?.independent === true);
      } catch (e) {
        if (!(e instanceof CalibraError)) throw new Error(`edit ${JSON.stringify(all[pick % all.length])} = ${JSON.stringify(value)}: ${(e as Error).message}`, { cause: e });
      }
    }), { seed: 42, numRuns: 400, endOnFailure: true });
  });
  it('damaged text (bytes flipped or cut) only raises CalibraError', () => {
    fc.assert(fc.property(fc.constantFrom(...texts), fc.nat(), fc.integer({ min: 32, max: 126 }), fc.boolean(), ([, text], pos, ch, cut) => {
      const p = pos % text.length;
      const damaged = cut ? text.slice(0, p) : text.slice(0, p) + String.fromCharCode(ch) + text.slice(p + 1);
      try {
        loadModelJson(damaged, 'm.json');
      } catch (e) {
        if (!(e instanceof CalibraError)) throw e;
      }
    }), { seed: 42, numRuns: 300, endOnFailure: true });
  });
});
