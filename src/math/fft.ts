/**
 * In-place iterative radix-2 complex FFT, X_m = Σ_k x_k e^{−2πi km/L} (forward sign, no scaling).
 * Twiddles come from Math.cos/Math.sin of each angle (no recurrence), so the rounding error is
 * O(ε log L) relative to Σ|x_k|. L must be a power of two. Cost O(L log L), no allocation besides the
 * twiddle table (L/2 entries, made per call).
 * @example
 * const re = Float64Array.of(1, 1, 1, 1), im = new Float64Array(4);
 * fft(re, im);
 * [re, im] // => [[4, 0, 0, 0], [0, 0, 0, 0]]
 */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n !== im.length || (n & (n - 1)) !== 0) throw new RangeError(`fft: length ${n} is not a power of two (or re and im differ)`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; (j & bit) !== 0; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      const tr = re[i] as number; re[i] = re[j] as number; re[j] = tr;
      const ti = im[i] as number; im[i] = im[j] as number; im[j] = ti;
    }
  }
  const half = n >> 1;
  const wr = new Float64Array(half);
  const wi = new Float64Array(half);
  for (let k = 0; k < half; k++) { wr[k] = Math.cos((2 * Math.PI * k) / n); wi[k] = -Math.sin((2 * Math.PI * k) / n); }
  for (let len = 2; len <= n; len <<= 1) {
    const step = n / len;
    const h = len >> 1;
    for (let s = 0; s < n; s += len) {
      for (let k = 0; k < h; k++) {
        const cr = wr[k * step] as number;
        const ci = wi[k * step] as number;
        const a = s + k;
        const b = a + h;
        const xr = (re[b] as number) * cr - (im[b] as number) * ci;
        const xi = (re[b] as number) * ci + (im[b] as number) * cr;
        re[b] = (re[a] as number) - xr; im[b] = (im[a] as number) - xi;
        re[a] = (re[a] as number) + xr; im[a] = (im[a] as number) + xi;
      }
    }
  }
}
