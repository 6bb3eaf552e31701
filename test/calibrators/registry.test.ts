/**
 * Registry-wide properties: every registered method is fitted on a small seeded
 * problem and must (1) predict bit-identically after toJSON -> serializeModel -> loadModelJson, (2) write the
 * same model text again, (3) give finite rows in [0, 1] summing to 1, and (4) keep every argmax when the spec
 * claims `preservesArgmax`, on every test input (ordinary, 1e3-sized logits, a single row).
 */
import { describe, expect, it } from 'vitest';
import { calibratorSpecs, getCalibrator } from '../../src/calibrators/core/registry.js';
import { loadModelJson, serializeModel } from '../../src/calibrators/core/model-file.js';
import type { CalibrationInput, CalibratorSpec, LabelledInput, ViewLogits } from '../../src/calibrators/core/types.js';
import type { Matrix } from '../../src/math/matrix.js';
import { argmaxRows } from '../../src/math/softmax.js';
import { syntheticLogits } from './binning-fixtures.js';

const VIEW_NAMES = ['rotation', 'greyscale', 'colorjitter'];

/** Views: the original logits shrunk and perturbed differently per view (deterministic). */
function makeViews(logits: Matrix<Float64Array>, salt: number): ViewLogits {
  return {
    names: VIEW_NAMES,
    logits: VIEW_NAMES.map((_, v) => ({
      data: logits.data.map((z, i) => 0.6 * z + Math.sin(0.7 * i + 1.3 * v + salt)),
      rows: logits.rows, cols: logits.cols,
    })),
  };
}
function withViews(m: Matrix<Float64Array>, spec: CalibratorSpec, salt: number): CalibrationInput {
  return spec.input === 'views' ? { logits: m, views: makeViews(m, salt) } : { logits: m };
}
function scaled(m: Matrix<Float64Array>, s: number): Matrix<Float64Array> {
  return { data: m.data.map((v) => v * s), rows: m.rows, cols: m.cols };
}
function firstRow(m: Matrix<Float64Array>): Matrix<Float64Array> {
  return { data: m.data.slice(0, m.cols), rows: 1, cols: m.cols };
}
function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return x.every((v, i) => v === y[i]);
}

/** Small, fast options for methods whose defaults train for long. */
/** (method@K) pairs allowed to refuse the problem with a CalibraError. */
const MAY_REFUSE = new Set(['ca@2']);

const FAST: Record<string, Record<string, string | number | boolean>> = { ca: { epochs: 30 }, pts: { epochs: 30 } };

for (const K of [4, 2]) {
  const train = syntheticLogits(K === 2 ? 160 : 240, K, 11 + K);
  const test = syntheticLogits(120, K, 99 + K);
  describe(`every registered calibrator, K = ${K}`, () => {
    it('the registry has unique ids and getCalibrator finds each; an unknown id is E_OPTION listing the ids', () => {
      const ids = calibratorSpecs.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(getCalibrator(id).id).toBe(id);
      expect(() => getCalibrator('nope')).toThrow(expect.objectContaining({ code: 'E_OPTION', fix: expect.stringContaining('isotonic') }));
    });
    for (const spec of calibratorSpecs) {
      it(`${spec.id}: fit -> toJSON -> load -> predict is bit-identical; rows are probabilities${spec.preservesArgmax ? '; argmax kept on every input' : ''}`, () => {
        const data: LabelledInput = { ...withViews(train.logits, spec, 1), labels: train.labels };
        let fit;
        try {
          fit = spec.fit(data, FAST[spec.id] ?? {}, { seed: 3 });
        } catch (e) {
          // Only the listed (method, K) pairs may refuse, and only with a typed error (ca's top-4 features need K ≥ 4).
          if (!MAY_REFUSE.has(`${spec.id}@${K}`)) throw e;
          expect(e).toMatchObject({ code: expect.stringMatching(/^E_(OPTION|SHAPE|UNSUPPORTED)$/) });
          return;
        }
        const text = serializeModel(fit.model);
        const loaded = loadModelJson(text, 'model.json');
        expect(serializeModel(loaded)).toBe(text);
        expect(loaded.method).toBe(spec.id);
        const inputs = [test.logits, scaled(test.logits, 1e3 / 8), firstRow(test.logits)];
        inputs.forEach((m, j) => {
          const input = withViews(m, spec, 2 + j);
          const a = fit.model.predictProba(input);
          const b = loaded.predictProba(input);
          expect(sameBits(a.data, b.data), `input ${j}`).toBe(true);
          for (let i = 0; i < a.rows; i++) {
            let s = 0;
            for (let k = 0; k < K; k++) {
              const v = a.data[i * K + k] as number;
              expect(v >= 0 && v <= 1, `row ${i} value ${v}`).toBe(true);
              s += v;
            }
            expect(Math.abs(s - 1), `row ${i} sum`).toBeLessThan(1e-9);
          }
          if (spec.preservesArgmax) expect(Array.from(argmaxRows(a)), `input ${j}`).toEqual(Array.from(argmaxRows(m)));
        });
        if (fit.model.predictTemperatures !== undefined) {
          const t1 = fit.model.predictTemperatures(withViews(test.logits, spec, 2));
          const t2 = loaded.predictTemperatures?.(withViews(test.logits, spec, 2));
          expect(t2 !== undefined && sameBits(t1, t2)).toBe(true);
        }
      });
    }
  });
}
