/**
 * Separable filtering kernels shared by views and corruptions: 1-D Gaussian kernels and a separable
 * cross-correlation with a choice of border rule. Border names follow NumPy (`reflect` = mirror without
 * repeating the edge, `symmetric` = mirror repeating it, `edge` = replicate, `constant` = zeros); see the
 * spec's §0 table for the other libraries' names.
 */
import { createImage, type Image } from './image.js';

/** Border rule for reads outside the image. */
export type Border = 'reflect' | 'symmetric' | 'edge' | 'constant';

/**
 * Maps an out-of-range index into [0, n) by `border`; returns −1 for `constant` outside. O(1) amortised.
 * @example borderIndex(-1, 3, 'reflect') // => 1
 */
export function borderIndex(i: number, n: number, border: Border): number {
  if (i >= 0 && i < n) return i;
  if (border === 'constant') return -1;
  if (border === 'edge' || n === 1) return i < 0 ? 0 : n - 1;
  if (border === 'reflect') {
    const period = 2 * (n - 1);
    let k = ((i % period) + period) % period;
    if (k >= n) k = period - k;
    return k;
  }
  const period = 2 * n;
  let k = ((i % period) + period) % period;
  if (k >= n) k = period - 1 - k;
  return k;
}

/**
 * Bilinear sample of channel c of an H×W×C block at (row, col): the four integer neighbours are mapped
 * by `border` (`constant` reads 0). SciPy `map_coordinates(order=1)` inside the image. O(1).
 */
export function bilinear(s: Float32Array, W: number, H: number, C: number, c: number, row: number, col: number, border: Border): number {
  const y0 = Math.floor(row);
  const x0 = Math.floor(col);
  const fy = row - y0;
  const fx = col - x0;
  const ya = borderIndex(y0, H, border);
  const yb = borderIndex(y0 + 1, H, border);
  const xa = borderIndex(x0, W, border);
  const xb = borderIndex(x0 + 1, W, border);
  const vaa = ya < 0 || xa < 0 ? 0 : (s[(ya * W + xa) * C + c] as number);
  const vab = ya < 0 || xb < 0 ? 0 : (s[(ya * W + xb) * C + c] as number);
  const vba = yb < 0 || xa < 0 ? 0 : (s[(yb * W + xa) * C + c] as number);
  const vbb = yb < 0 || xb < 0 ? 0 : (s[(yb * W + xb) * C + c] as number);
  const top = vaa * (1 - fx) + vab * fx;
  const bot = vba * (1 - fx) + vbb * fx;
  return top * (1 - fy) + bot * fy;
}

/**
 * Normalised 1-D Gaussian weights for odd `size`, positions −(size−1)/2 … (size−1)/2, weight ∝
 * exp(−0.5(t/σ)²), stored in float32 (torchvision `_get_gaussian_kernel1d`). O(size).
 * @example gaussianKernel1d(5, 1) // ~> [0.0544887, 0.2442013, 0.40262, 0.2442013, 0.0544887]
 */
export function gaussianKernel1d(size: number, sigma: number): Float32Array {
  const k = new Float32Array(size);
  const half = (size - 1) / 2;
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const t = (i - half) / sigma;
    const w = Math.fround(Math.exp(-0.5 * t * t));
    k[i] = w;
    sum += w;
  }
  for (let i = 0; i < size; i++) k[i] = (k[i] as number) / sum;
  return k;
}

/**
 * Separable cross-correlation: a vertical pass with `ky` then a horizontal pass with `kx`, both centred,
 * per channel, with `border` reads, accumulating in float64. Allocates one float64 scratch and the output.
 * Cost O(W·H·C·(|kx| + |ky|)).
 */
export function separableFilter(img: Image, kx: ArrayLike<number>, ky: ArrayLike<number>, border: Border): Image {
  const { width: W, height: H, channels: C } = img;
  const s = img.data;
  const tmp = new Float64Array(s.length);
  const ry = (ky.length - 1) >> 1;
  const rx = (kx.length - 1) >> 1;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let t = 0; t < ky.length; t++) {
          const yy = borderIndex(y + t - ry, H, border);
          if (yy >= 0) acc += (ky[t] as number) * (s[(yy * W + x) * C + c] as number);
        }
        tmp[(y * W + x) * C + c] = acc;
      }
    }
  }
  const out = createImage(W, H, C);
  const o = out.data;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let t = 0; t < kx.length; t++) {
          const xx = borderIndex(x + t - rx, W, border);
          if (xx >= 0) acc += (kx[t] as number) * (tmp[(y * W + xx) * C + c] as number);
        }
        o[(y * W + x) * C + c] = acc;
      }
    }
  }
  return out;
}

/**
 * torchvision `GaussianBlur` with an explicit σ: kernel `kernelWidth` columns × `kernelHeight` rows
 * (both odd), σ for both axes, torch `reflect` padding (mirror without edge repeat). O(W·H·C·(kw+kh)).
 * @example
 * import { createImage } from './image.js';
 * const dot = createImage(5, 9, 1); dot.data[4 * 5 + 2] = 1; // one bright pixel in the middle of a 5×9 image
 * const blurred = gaussianBlur(dot, 1, 5, 9);
 * blurred.data[4 * 5 + 2] // ~> 0.1606
 */
export function gaussianBlur(img: Image, sigma: number, kernelWidth = 5, kernelHeight = 9): Image {
  return separableFilter(img, gaussianKernel1d(kernelWidth, sigma), gaussianKernel1d(kernelHeight, sigma), 'reflect');
}
