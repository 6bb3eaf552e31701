/**
 * Elastic transform (spec §2.2.11; Simard et al. 2003 as used by ImageNet-C / MNIST-C): a random affine
 * warp (OpenCV getAffineTransform + warpAffine, bilinear, 1/32-pixel quantised positions) followed by a
 * displacement by two Gaussian-smoothed uniform fields (SciPy map_coordinates, order 1). CIFAR borders:
 * reflect-101 for the warp, mirror-with-edge (SciPy 'reflect') for the resampling; MNIST: zeros for both
 * (and, as SciPy's 'constant' mode does, 0 for any resampling position outside [0, n−1]).
 */
import { createImage, type Image } from '../image.js';
import { bilinear, borderIndex, type Border } from '../filter.js';
import type { RandomSource } from '../random.js';

function clamp(v: number): number { return v < 0 ? 0 : v > 1 ? 1 : v; }

/** The random draws of one elastic transform: affine noise (3×2, C-order) and the two raw U(−1,1) fields. */
export interface ElasticDraws {
  readonly affineNoise: Float64Array;
  readonly fieldX: Float64Array;
  readonly fieldY: Float64Array;
}

/** Draws affine noise U(−affine, affine) (3×2, cast to float32), then the dx and dy fields U(−1, 1), H×W each. */
export function sampleElasticDraws(rng: RandomSource, height: number, width: number, affine: number): ElasticDraws {
  const affineNoise = new Float64Array(6);
  for (let i = 0; i < 6; i++) affineNoise[i] = Math.fround(rng.uniform(-affine, affine));
  const fieldX = new Float64Array(height * width);
  for (let i = 0; i < fieldX.length; i++) fieldX[i] = rng.uniform(-1, 1);
  const fieldY = new Float64Array(height * width);
  for (let i = 0; i < fieldY.length; i++) fieldY[i] = rng.uniform(-1, 1);
  return { affineNoise, fieldX, fieldY };
}

/**
 * SciPy `gaussian_filter(field, σ, mode='reflect', truncate=3)` on an H×W float64 field (radius
 * int(3σ + 0.5), mirror with edge repeat). σ = 0 returns a copy. O(H·W·σ).
 */
export function gaussianFilter2d(field: Float64Array, height: number, width: number, sigma: number): Float64Array {
  if (sigma <= 0) return field.slice();
  const r = Math.floor(3 * sigma + 0.5);
  const k = new Float64Array(2 * r + 1);
  let sum = 0;
  for (let t = -r; t <= r; t++) { k[t + r] = Math.exp(-0.5 * (t / sigma) ** 2); sum += k[t + r] as number; }
  for (let t = 0; t < k.length; t++) k[t] = (k[t] as number) / sum;
  const taps = 2 * r + 1;
  const rowIdx = new Int32Array(height * taps);
  for (let y = 0; y < height; y++) for (let t = 0; t < taps; t++) rowIdx[y * taps + t] = borderIndex(y + t - r, height, 'symmetric');
  const colIdx = new Int32Array(width * taps);
  for (let x = 0; x < width; x++) for (let t = 0; t < taps; t++) colIdx[x * taps + t] = borderIndex(x + t - r, width, 'symmetric');
  const tmp = new Float64Array(field.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    let acc = 0;
    for (let t = 0; t < taps; t++) acc += (k[t] as number) * (field[(rowIdx[y * taps + t] as number) * width + x] as number);
    tmp[y * width + x] = acc;
  }
  const out = new Float64Array(field.length);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    let acc = 0;
    for (let t = 0; t < taps; t++) acc += (k[t] as number) * (tmp[y * width + (colIdx[x * taps + t] as number)] as number);
    out[y * width + x] = acc;
  }
  return out;
}


/**
 * The elastic transform with explicit draws. `mnist` selects MNIST-C's zero borders. With zero affine
 * noise and α = 0 the output equals the input. O(W·H·C + H·W·σ).
 */
export function elasticWithDraws(img: Image, alpha: number, sigma: number, draws: ElasticDraws, mnist: boolean): Image {
  const { width: W, height: H, channels: C } = img;
  const c0y = Math.floor(H / 2);
  const c0x = Math.floor(W / 2);
  const d = Math.floor(Math.min(H, W) / 3);
  // pts as (x, y) like OpenCV; hendrycks builds them from (row, col) = shape order, kept here as written.
  const src = [[c0y + d, c0x + d], [c0y + d, c0x - d], [c0y - d, c0x - d]] as const;
  const n = draws.affineNoise;
  const dst = src.map((p, i) => [Math.fround(p[0] + (n[2 * i] as number)), Math.fround(p[1] + (n[2 * i + 1] as number))]);
  // Solve forward affine M (dst = M·[x y 1]) then invert it, as warpAffine samples src at M⁻¹·(x, y).
  const [a1, a2, a3] = src;
  const det = a1[0] * (a2[1] - a3[1]) - a1[1] * (a2[0] - a3[0]) + (a2[0] * a3[1] - a3[0] * a2[1]);
  const solve = (b1: number, b2: number, b3: number): [number, number, number] => [
    (b1 * (a2[1] - a3[1]) - a1[1] * (b2 - b3) + (b2 * a3[1] - b3 * a2[1])) / det,
    (a1[0] * (b2 - b3) - b1 * (a2[0] - a3[0]) + (a2[0] * b3 - a3[0] * b2)) / det,
    (a1[0] * (a2[1] * b3 - a3[1] * b2) - a1[1] * (a2[0] * b3 - a3[0] * b2) + b1 * (a2[0] * a3[1] - a3[0] * a2[1])) / det,
  ];
  const [m00, m01, m02] = solve(dst[0]?.[0] ?? 0, dst[1]?.[0] ?? 0, dst[2]?.[0] ?? 0);
  const [m10, m11, m12] = solve(dst[0]?.[1] ?? 0, dst[1]?.[1] ?? 0, dst[2]?.[1] ?? 0);
  const idet = m00 * m11 - m01 * m10;
  const i00 = m11 / idet; const i01 = -m01 / idet; const i10 = -m10 / idet; const i11 = m00 / idet;
  const i02 = -(i00 * m02 + i01 * m12); const i12 = -(i10 * m02 + i11 * m12);
  const warped = createImage(W, H, C);
  const wBorder: Border = mnist ? 'constant' : 'reflect';
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const sx = Math.round((i00 * x + i01 * y + i02) * 32) / 32;
    const sy = Math.round((i10 * x + i11 * y + i12) * 32) / 32;
    for (let c = 0; c < C; c++) warped.data[(y * W + x) * C + c] = bilinear(img.data, W, H, C, c, sy, sx, wBorder);
  }
  const dx = gaussianFilter2d(draws.fieldX, H, W, sigma);
  const dy = gaussianFilter2d(draws.fieldY, H, W, sigma);
  const out = createImage(W, H, C);
  const rBorder: Border = mnist ? 'constant' : 'symmetric';
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const row = y + Math.fround(alpha * (dy[y * W + x] as number));
    const col = x + Math.fround(alpha * (dx[y * W + x] as number));
    // SciPy 'constant' (unlike 'grid-constant') returns cval for any position outside [0, n−1].
    const outside = mnist && (row < 0 || row > H - 1 || col < 0 || col > W - 1);
    for (let c = 0; c < C; c++) out.data[(y * W + x) * C + c] = outside ? 0 : clamp(bilinear(warped.data, W, H, C, c, row, col, rBorder));
  }
  return out;
}
