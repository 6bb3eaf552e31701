/** fft against the O(L²) DFT sum on random input, and its errors. */
import { describe, expect, it } from 'vitest';
import { fft } from '../../src/math/fft.js';
import { Rng } from '../../src/math/rng.js';

describe('fft', () => {
  it('equals the direct DFT Σ x_k e^{−2πi km/L} to 1e-13 for L = 1 … 256', () => {
    const rng = new Rng(3);
    for (let len = 1; len <= 256; len *= 2) {
      const re = new Float64Array(len).map(() => rng.random() - 0.5);
      const im = new Float64Array(len).map(() => rng.random() - 0.5);
      const r0 = re.slice();
      const i0 = im.slice();
      fft(re, im);
      for (let m = 0; m < len; m++) {
        let sr = 0;
        let si = 0;
        for (let k = 0; k < len; k++) {
          const a = (-2 * Math.PI * ((k * m) % len)) / len;
          sr += r0[k]! * Math.cos(a) - i0[k]! * Math.sin(a);
          si += r0[k]! * Math.sin(a) + i0[k]! * Math.cos(a);
        }
        expect(Math.abs(re[m]! - sr)).toBeLessThan(1e-13);
        expect(Math.abs(im[m]! - si)).toBeLessThan(1e-13);
      }
    }
  });
  it('refuses a length that is not a power of two', () => {
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow(/power of two/);
  });
});
