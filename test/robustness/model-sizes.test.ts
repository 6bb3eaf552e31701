/**
 * Issue 13, model files that declare sizes: every size field (numClasses, CA hidden/k, PTS topK, the rows
 * of ms/dirichlet matrices) is checked against the data the file holds before anything of that size is
 * allocated; temperatures outside the range whose inverse is finite are refused; the maxClasses hint of
 * ms/dirichlet is given only when following it can work. Fuzzer F7 sets size fields to hostile values.
 * Case ids M6-M9 of docs/robustness.md.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibratorSpecs } from '../../src/calibrators/core/registry.js';
import { loadModelJson, serializeModel } from '../../src/calibrators/core/model-file.js';
import { checkFullSize } from '../../src/calibrators/scaling/linear-softmax.js';
import { CalibraError, formatError } from '../../src/errors.js';
import { softmax } from '../../src/math/softmax.js';
import { Rng } from '../../src/math/rng.js';
import { expectCode } from '../data/helpers.js';

const N = 60;
const K = 3;
const rng = new Rng(11);
const labels = Int32Array.from({ length: N }, () => rng.int(K));
const mk = (): { data: Float64Array; rows: number; cols: number } => ({ data: Float64Array.from({ length: N * K }, (_, i) => rng.normal() * 2 + (labels[Math.floor(i / K)] === i % K ? 1.5 : 0)), rows: N, cols: K });
const logits = mk();
const views = { names: ['rotation', 'greyscale', 'colorjitter'], logits: [mk(), mk(), mk()] };
const input = { logits, views };

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const models = new Map<string, Json>();
for (const spec of calibratorSpecs) {
  try {
    models.set(spec.id, JSON.parse(serializeModel(spec.fit({ logits, labels, views }, spec.id === 'ca' ? { epochs: 1, k: 2 } : {}, { seed: 1 }).model)) as Json);
  } catch (e) {
    if (!(e instanceof CalibraError)) throw e;
  }
}

function edit(id: string, f: (m: Record<string, Json>) => void): string {
  const m = structuredClone(models.get(id)) as Record<string, Json>;
  f(m);
  return JSON.stringify(m);
}
const params = (m: Record<string, Json>): Record<string, Json> => m['params'] as Record<string, Json>;

function loadAndPredict(text: string): void {
  loadModelJson(text, 'm.json').predictProba(input);
}

describe('M6: declared sizes are checked against the data before allocating', () => {
  it('fits every method, CA and PTS included', () => {
    for (const id of ['ca', 'pts', 'ms', 'dirichlet', 'ts', 'ets', 'irova-ts']) expect(models.has(id), id).toBe(true);
  });
  for (const v of [1e12, 2 ** 31, 2 ** 32 + 1, 2 ** 53]) {
    it(`CA hidden = ${v}, and k = numClasses = ${v}`, () => {
      const e = expectCode(() => loadAndPredict(edit('ca', (m) => { params(m)['hidden'] = v; })), 'E_MODEL_INVALID');
      expect(formatError(e)).toMatch(/^calibra: E_MODEL_INVALID: m\.json: field 'params\.W1': .*\(fix: /);
      expectCode(() => loadAndPredict(edit('ca', (m) => { params(m)['k'] = v; m['numClasses'] = v; })), 'E_MODEL_INVALID');
    });
    it(`PTS topK = numClasses = ${v}`, () => {
      expectCode(() => loadAndPredict(edit('pts', (m) => { params(m)['topK'] = v; m['numClasses'] = v; })), 'E_MODEL_INVALID');
    });
    it(`ms / dirichlet / vs numClasses = ${v}`, () => {
      for (const id of ['ms', 'dirichlet', 'dirichlet-odir', 'vs']) expectCode(() => loadAndPredict(edit(id, (m) => { m['numClasses'] = v; })), 'E_MODEL_INVALID');
    });
  }
});

describe('M7: temperatures whose inverse is not finite are refused', () => {
  for (const T of [5e-324, 1e-310, 1e-200, 1e200, 0, -1]) {
    it(`T = ${T} (ts, ets, irova-ts)`, () => {
      for (const id of ['ts', 'ets', 'irova-ts']) {
        const e = expectCode(() => loadAndPredict(edit(id, (m) => { params(m)['T'] = T; })), 'E_MODEL_INVALID');
        expect(e.where).toBe("field 'params.T'");
      }
    });
  }
  it('a ts model outside its own recorded fit bounds is refused; one inside them loads', () => {
    expectCode(() => loadAndPredict(edit('ts', (m) => { params(m)['T'] = 1e-4; })), 'E_MODEL_INVALID');
    expect(() => loadAndPredict(edit('ts', (m) => { params(m)['T'] = 2e-3; }))).not.toThrow();
  });
  it('softmax of finite logits at a tiny temperature is the one-hot of the argmax, never NaN', () => {
    const p = softmax({ data: new Float64Array([1e300, -1e300, 1e300, 5]), rows: 2, cols: 2 }, 1e-10);
    expect(Array.from(p.data)).toEqual([1, 0, 1, 0]);
  });
});

describe('M8: the maxClasses hint is given only when following it can work', () => {
  it('K above maxClasses but within the memory limit: the fix names maxClasses=K', () => {
    const e = expectCode(() => checkFullSize('ms', 200, 128), 'E_TOO_LARGE');
    expect(e.fix).toContain('--option maxClasses=200');
  });
  it('K whose K² optimiser does not fit the memory limit: refused even with maxClasses=K, the fix does not suggest it', () => {
    for (const k of [5000, 30000, 3_000_000]) {
      const e = expectCode(() => checkFullSize('ms', k, k), 'E_TOO_LARGE');
      expect(e.fix).not.toContain('maxClasses');
    }
  });
});

describe('F7: size fields fuzz (every method, CA included)', () => {
  const SIZE_KEYS = new Set(['numClasses', 'hidden', 'k', 'topK', 'bins', 'nBins', 'numBins', 'T']);
  function sizePaths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
    const out: (string | number)[][] = [];
    if (typeof v === 'number' && (Number.isInteger(v) || SIZE_KEYS.has(String(prefix[prefix.length - 1])))) out.push(prefix);
    if (Array.isArray(v)) { if (v.length <= 4) v.forEach((x, i) => out.push(...sizePaths(x, [...prefix, i]))); }
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...sizePaths(x, [...prefix, k]));
    return out;
  }
  const hostile = fc.constantFrom(1e12, 2 ** 31, 2 ** 32 + 1, 2 ** 53, 3e6, 65536, 5e-324, 1e-310, 0, -1, 1.5);
  it('only CalibraError; a model that loads predicts finite probabilities', () => {
    const ids = [...models.keys()];
    fc.assert(fc.property(fc.constantFrom(...ids), fc.nat(), hostile, fc.boolean(), (id, pick, v, alsoClasses) => {
      const json = models.get(id) as Json;
      const all = sizePaths(json).filter((p) => p[0] !== 'version' && p[0] !== 'fit' && p[0] !== 'seed');
      fc.pre(all.length > 0);
      const p = all[pick % all.length] as (string | number)[];
      const text = edit(id, (m) => {
        let cur = m as Record<string | number, Json>;
        for (const k of p.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
        cur[p[p.length - 1] as string] = v;
        if (alsoClasses) m['numClasses'] = v;
      });
      try {
        const out = loadModelJson(text, 'm.json').predictProba(input);
        for (const x of out.data) expect(Number.isFinite(x), `${id} ${p.join('.')}=${v}`).toBe(true);
      } catch (e) {
        if (!(e instanceof CalibraError)) throw new Error(`${id} ${p.join('.')} = ${v}${alsoClasses ? ' (and numClasses)' : ''}: ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
      }
    }), { seed: 42, numRuns: 400, endOnFailure: true });
  });
});
