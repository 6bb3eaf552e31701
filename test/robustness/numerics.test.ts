/**
 * Issue 8.5 numerical robustness: on logits of magnitude 1e4, a single class present, all predictions
 * correct or all wrong, one sample, ties everywhere and confidences exactly on bin edges, every metric of
 * the default and ca-paper presets is finite except where its documented rule makes it undefined (NaN):
 * ranking metrics (auroc, aupr_*, fpr95, ca_paper.auc) need both correct and wrong samples, and kde_ece
 * needs two distinct confidences among the correct ones (src/metrics/kernel.ts). Every non-views
 * calibrator either fits and predicts probabilities in [0, 1] whose rows sum to 1, or refuses with a
 * CalibraError.
 */
import { describe, expect, it } from 'vitest';
import { calibratorSpecs } from '../../src/calibrators/core/registry.js';
import { CalibraError } from '../../src/errors.js';
import type { Matrix } from '../../src/math/matrix.js';
import { softmax } from '../../src/math/softmax.js';
import { evaluateMetrics, presetMetricIds } from '../../src/metrics/index.js';

const mk = (rows: number[][]): Matrix<Float64Array> => ({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: (rows[0] as number[]).length });
const ln = Math.log;

interface Case { logits: Matrix<Float64Array>; labels: Int32Array; undefinedIds: string[] }
const cases: Record<string, Case> = {
  'logits of magnitude 1e4': { logits: mk([[1e4, -1e4, 0], [0, 1e4, -1e4], [-1e4, 0, 1e4], [1e4, 1e4, -1e4]]), labels: new Int32Array([0, 1, 0, 1]), undefinedIds: ['kde_ece'] },
  'a single class present': { logits: mk([[2, 0, 0], [1, 0, 0.5], [0, 1, 0], [3, 1, 0]]), labels: new Int32Array([0, 0, 0, 0]), undefinedIds: [] },
  'all predictions correct': { logits: mk([[2, 0, 0], [0, 2, 0], [0, 0, 2], [2, 1, 0]]), labels: new Int32Array([0, 1, 2, 0]), undefinedIds: ['auroc', 'aupr_error', 'fpr95', 'ca_paper.auc'] },
  'all predictions wrong': { logits: mk([[2, 0, 0], [0, 2, 0], [0, 0, 2], [2, 1, 0]]), labels: new Int32Array([1, 2, 0, 2]), undefinedIds: ['kde_ece', 'auroc', 'aupr_success', 'fpr95', 'ca_paper.auc'] },
  'one sample': { logits: mk([[1, 0, 0]]), labels: new Int32Array([0]), undefinedIds: ['kde_ece', 'auroc', 'aupr_error', 'fpr95', 'ca_paper.auc'] },
  'ties everywhere': { logits: mk([[0, 0, 0], [0, 0, 0], [0, 0, 0], [0, 0, 0]]), labels: new Int32Array([0, 1, 2, 0]), undefinedIds: ['kde_ece'] },
  'confidences exactly on bin edges': { logits: mk([[ln(0.6), ln(0.2), ln(0.2)], [ln(0.6), ln(0.2), ln(0.2)], [ln(0.4), ln(0.4), ln(0.2)], [ln(0.8), ln(0.1), ln(0.1)]]), labels: new Int32Array([0, 1, 2, 0]), undefinedIds: [] },
};
const ids = [...presetMetricIds('default'), ...presetMetricIds('ca-paper')];

describe('metrics on edge cases', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: finite, or NaN exactly where the documented rule says so`, () => {
      const r = evaluateMetrics(softmax(c.logits), c.labels, ids);
      const notFinite = Object.entries(r).filter(([, v]) => !Number.isFinite(v));
      expect(notFinite.every(([, v]) => Number.isNaN(v))).toBe(true);
      expect(notFinite.map(([k]) => k).sort()).toEqual([...c.undefinedIds].sort());
    });
  }
});

describe('calibrators on edge cases', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: every non-views method fits and predicts valid probabilities, or refuses with a CalibraError`, () => {
      for (const spec of calibratorSpecs.filter((s) => s.input !== 'views')) {
        let p: Matrix;
        try {
          p = spec.fit({ logits: c.logits, labels: c.labels }, {}, { seed: 1 }).model.predictProba({ logits: c.logits });
        } catch (e) {
          expect(e, spec.id).toBeInstanceOf(CalibraError);
          continue;
        }
        for (let r = 0; r < p.rows; r++) {
          let s = 0;
          for (let k = 0; k < p.cols; k++) {
            const v = p.data[r * p.cols + k] as number;
            expect(v >= 0 && v <= 1, `${spec.id} p[${r}][${k}] = ${v}`).toBe(true);
            s += v;
          }
          expect(Math.abs(s - 1), `${spec.id} row ${r} sums to ${s}`).toBeLessThan(1e-9);
        }
      }
    });
  }
});
