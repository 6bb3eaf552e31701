/**
 * A fitted isotonic map as a {@link ScoreMap}: thresholds and values of scikit-learn's
 * `IsotonicRegression(out_of_bounds='clip')` (src/math/pav.ts), stored as `{x, y}` (calibrators.md §1.3).
 * Shared by `isotonic`, `irm`, `irova` and `irova-ts`.
 */
import { fitIsotonicBinary, predictIsotonic, type IsotonicMap, type IsotonicOptions } from '../../math/pav.js';
import type { ScoreMap } from './reduced-maps.js';
import { invalidModel, readNumberArray, readObject } from '../core/model-fields.js';

/** An isotonic map with flat extrapolation outside the calibration range. */
export class IsotonicScoreMap implements ScoreMap {
  constructor(readonly map: IsotonicMap) {}

  /** Fits on scores and 0/1 targets (scikit-learn semantics, increasing). Cost: O(N log N). */
  static fit(scores: Float64Array, targets: ArrayLike<number>, opts: IsotonicOptions = {}): IsotonicScoreMap {
    return new IsotonicScoreMap(fitIsotonicBinary(scores, targets, opts));
  }

  apply(n: number, x: Float64Array, xs: number, xo: number, out: Float64Array, os: number, oo: number): void {
    const m = this.map;
    for (let i = 0; i < n; i++) out[oo + i * os] = predictIsotonic(m, x[xo + i * xs] as number, 'clip');
  }

  toJSON(): Record<string, unknown> {
    return { x: Array.from(this.map.x), y: Array.from(this.map.y) };
  }

  /** Rebuilds from `{x, y}`: x strictly increasing, y non-decreasing in [lo, hi], same length ≥ 1. */
  static load(json: unknown, field: string, lo = 0, hi = 1): IsotonicScoreMap {
    const o = readObject(json, field);
    const x = readNumberArray(o['x'], `${field}.x`, { minLength: 1, order: 'increasing' });
    const y = readNumberArray(o['y'], `${field}.y`, { min: lo, max: hi, order: 'nondecreasing' });
    if (y.length !== x.length) throw invalidModel(`${field}.y`, `has ${y.length} values but x has ${x.length}`);
    return new IsotonicScoreMap({ x, y });
  }
}
