/**
 * torchvision `RandomErasing(p=1, scale=(0.1, 0.1), ratio=(0.3, 3.3), value=0)` split into a parameter
 * sampler that follows torch's draw order and a pure eraser. Spec: views-and-corruptions §1.6.
 */
import { cloneImage, roundHalfEven, type Image } from './image.js';

/** The draws RandomErasing needs (`Rng` satisfies it). */
export interface EraseRandom { random(): number; uniform(lo: number, hi: number): number; int(n: number): number }

/** The rectangle erased: top row i, left column j, height h, width w (h = w = 0 means nothing erased). */
export interface EraseParams { readonly i: number; readonly j: number; readonly h: number; readonly w: number }

/**
 * Draws (i, j, h, w) like `RandomErasing.get_params`: one draw for p (consumed even with p = 1), then up to
 * 10 attempts of area = float32(0.1)·H·W, log-uniform ratio in [0.3, 3.3], h = round(√(area·r)),
 * w = round(√(area/r)); accept when h < H and w < W, then i ~ U{0..H−h}, j ~ U{0..W−w}. O(1).
 */
export function sampleEraseParams(rng: EraseRandom, height: number, width: number, scale = 0.1, ratio: readonly [number, number] = [0.3, 3.3]): EraseParams {
  rng.random();
  const area = Math.fround(scale) * height * width;
  const lo = Math.log(ratio[0]);
  const hi = Math.log(ratio[1]);
  for (let attempt = 0; attempt < 10; attempt++) {
    const r = Math.exp(Math.fround(rng.uniform(lo, hi)));
    const h = roundHalfEven(Math.sqrt(area * r));
    const w = roundHalfEven(Math.sqrt(area / r));
    if (!(h < height && w < width)) continue;
    const i = rng.int(height - h + 1);
    const j = rng.int(width - w + 1);
    return { i, j, h, w };
  }
  return { i: 0, j: 0, h: 0, w: 0 };
}

/** Sets img[i..i+h−1][j..j+w−1][all c] = value (0 by default) on a copy. O(W·H·C). */
export function erase(img: Image, p: EraseParams, value = 0): Image {
  const out = cloneImage(img);
  const { width: W, channels: C } = img;
  const o = out.data;
  for (let y = p.i; y < p.i + p.h; y++) {
    for (let x = p.j; x < p.j + p.w; x++) {
      const oi = (y * W + x) * C;
      for (let c = 0; c < C; c++) o[oi + c] = value;
    }
  }
  return out;
}
