/**
 * Photometric corruptions (spec §2.2.7, 2.2.8, 2.2.12): contrast, brightness (closed form of the HSV
 * value shift) and fog (diamond-square plasma fractal). f-domain in and out, clipped to [0, 1].
 */
import { createImage, type Image } from '../image.js';
import type { RandomSource } from '../random.js';
import { CalibraError } from '../../errors.js';

function clamp(v: number): number { return v < 0 ? 0 : v > 1 ? 1 : v; }

/**
 * Contrast: clip((x − m)·c + m) with m the mean of each channel over all pixels (CIFAR-10-C; for a grey
 * image this is MNIST-C's single mean). Means accumulated in float64. O(W·H·C).
 * @example
 * import { imageFromU8 } from '../image.js';
 * const img = imageFromU8(Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 100, 150, 200), 2, 2, 3);
 * contrast(img, 0.75).data[0]! * 255 // ~> 213.4375
 */
export function contrast(img: Image, c: number): Image {
  const C = img.channels;
  const n = img.width * img.height;
  const s = img.data;
  const means = new Float64Array(C);
  for (let i = 0; i < n; i++) for (let k = 0; k < C; k++) means[k] = (means[k] as number) + (s[i * C + k] as number);
  for (let k = 0; k < C; k++) means[k] = (means[k] as number) / n;
  const out = createImage(img.width, img.height, C);
  const o = out.data;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < C; k++) {
      const m = means[k] as number;
      o[i * C + k] = clamp(((s[i * C + k] as number) - m) * c + m);
    }
  }
  return out;
}

/**
 * Brightness: HSV value V ← min(V + c, 1) with hue and saturation kept, i.e. x·min(V + c, 1)/V per pixel
 * (black becomes grey c). For grey images this is clip(x + c). O(W·H·C).
 * @example
 * import { imageFromU8 } from '../image.js';
 * Array.from(brightness(imageFromU8(Uint8Array.of(128, 64, 32), 1, 1, 3), 0.05).data, (v) => v * 255) // ~> [140.7500, 70.3750, 35.1875]
 */
export function brightness(img: Image, c: number): Image {
  const C = img.channels;
  const n = img.width * img.height;
  const s = img.data;
  const out = createImage(img.width, img.height, C);
  const o = out.data;
  for (let i = 0; i < n; i++) {
    let v = 0;
    for (let k = 0; k < C; k++) v = Math.max(v, s[i * C + k] as number);
    if (v <= 0) { for (let k = 0; k < C; k++) o[i * C + k] = clamp(c); continue; }
    const f = Math.min(v + c, 1) / v;
    for (let k = 0; k < C; k++) o[i * C + k] = clamp((s[i * C + k] as number) * f);
  }
  return out;
}

/**
 * Plasma fractal of side `size` (a power of two) by diamond-square with wrap-around, as hendrycks'
 * `plasma_fractal(mapsize, wibbledecay)`: perturbations A·U(−A, A), A starting at 100 and divided by
 * `decay` per round, three n×n row-major draws per round; normalised to [0, 1]. O(size²).
 */
export function plasmaFractal(size: number, decay: number, rng: RandomSource): Float64Array {
  const M = size;
  if (!Number.isInteger(Math.log2(M))) throw new CalibraError('E_OPTION', `plasmaFractal: size must be a power of two, got ${M}`);
  const map = new Float64Array(M * M);
  const mask = M - 1;
  let step = M;
  let wib = 100;
  while (step >= 2) {
    const h = step / 2;
    const n = M / step;
    // Squares: centre (i·step+h, j·step+h) from the four corners (indices wrap via the mask).
    for (let i = 0; i < n; i++) {
      const r0 = i * step * M;
      const r1 = (((i + 1) * step) & mask) * M;
      const rc = (i * step + h) * M;
      for (let j = 0; j < n; j++) {
        const c0 = j * step;
        const c1 = ((j + 1) * step) & mask;
        const sum = (map[r0 + c0] as number) + (map[r1 + c0] as number) + (map[r0 + c1] as number) + (map[r1 + c1] as number);
        map[rc + c0 + h] = sum / 4 + wib * rng.uniform(-wib, wib);
      }
    }
    // Diamonds A: top-edge midpoints (i·step, j·step+h): centres below and above, corners left and right.
    for (let i = 0; i < n; i++) {
      const r = i * step * M;
      const below = (i * step + h) * M;
      const above = (((i * step - h) & mask)) * M;
      for (let j = 0; j < n; j++) {
        const c = j * step;
        const sum = (map[below + c + h] as number) + (map[above + c + h] as number) + (map[r + c] as number) + (map[r + (((j + 1) * step) & mask)] as number);
        map[r + c + h] = sum / 4 + wib * rng.uniform(-wib, wib);
      }
    }
    // Diamonds B: left-edge midpoints (i·step+h, j·step): centres right and left, corners above and below.
    for (let i = 0; i < n; i++) {
      const r = (i * step + h) * M;
      const up = i * step * M;
      const down = (((i + 1) * step) & mask) * M;
      for (let j = 0; j < n; j++) {
        const c = j * step;
        const sum = (map[r + c + h] as number) + (map[r + ((c - h) & mask)] as number) + (map[up + c] as number) + (map[down + c] as number);
        map[r + c] = sum / 4 + wib * rng.uniform(-wib, wib);
      }
    }
    step = h;
    wib /= decay;
  }
  let lo = Infinity;
  for (let i = 0; i < map.length; i++) lo = Math.min(lo, map[i] as number);
  let hi = 0;
  for (let i = 0; i < map.length; i++) { map[i] = (map[i] as number) - lo; hi = Math.max(hi, map[i] as number); }
  for (let i = 0; i < map.length; i++) map[i] = (map[i] as number) / hi;
  return map;
}

/**
 * Fog: mv = max(x); x' = x + s·P (P the top-left H×W of a plasma map of side `mapSize`, broadcast over
 * channels); out = clip(x'·mv/(mv + s)). O(mapSize² + W·H·C).
 * @example
 * import { createImage } from '../image.js';
 * const img = createImage(1, 1, 3, Float32Array.of(0.2, 0.4, 0.6));
 * Array.from(fogWithMap(img, 0.2, Float64Array.of(0.5), 1).data, (v) => v * 255) // ~> [57.375, 95.625, 133.875]
 */
export function fogWithMap(img: Image, strength: number, plasma: Float64Array, mapSize: number): Image {
  const { width: W, height: H, channels: C } = img;
  const s = img.data;
  let mv = 0;
  for (let i = 0; i < s.length; i++) mv = Math.max(mv, s[i] as number);
  const out = createImage(W, H, C);
  const o = out.data;
  const scale = mv / (mv + strength);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const p = strength * (plasma[y * mapSize + x] as number);
      for (let k = 0; k < C; k++) {
        const i = (y * W + x) * C + k;
        o[i] = clamp(((s[i] as number) + p) * scale);
      }
    }
  }
  return out;
}
