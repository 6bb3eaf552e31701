/**
 * Geometric views: rotation by a multiple of 90° (torchvision `TF.rotate`, nearest, expand=False, fill 0)
 * and horizontal flip. Spec: views-and-corruptions §1.2 and §1.7.
 */
import { createImage, roundHalfEven, type Image } from './image.js';
import { CalibraError } from '../errors.js';

/** The angles the rotation view picks from, uniformly (Vicinal-Risk-Proxy `MyRotationTransform`). */
export const ROTATION_ANGLES: readonly number[] = [-90, 90, 180];

/**
 * Rotates counter-clockwise (as displayed, y down) by `angle` ∈ {0, ±90, 180, 270} degrees about the image
 * centre, keeping the size; out-of-image samples become 0. For square images it is an exact pixel
 * permutation (`rot90`). Source of the mapping: torchvision `rotate` (inverse affine grid, nearest,
 * round half to even). Cost O(W·H·C).
 * @example rotate90(3×3 image [[1,2,3],[4,5,6],[7,8,9]], 90) // [[3,6,9],[2,5,8],[1,4,7]]
 */
export function rotateRightAngle(img: Image, angle: number): Image {
  const a = ((angle % 360) + 360) % 360;
  if (a % 90 !== 0) {
    throw new CalibraError('E_OPTION', `rotateRightAngle: angle must be a multiple of 90 degrees, got ${angle}`);
  }
  const cos = a === 0 ? 1 : a === 180 ? -1 : 0;
  const sin = a === 90 ? 1 : a === 270 ? -1 : 0;
  const { width: W, height: H, channels: C } = img;
  const out = createImage(W, H, C);
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  const s = img.data;
  const o = out.data;
  for (let y = 0; y < H; y++) {
    const v = y - cy;
    for (let x = 0; x < W; x++) {
      const u = x - cx;
      const sx = roundHalfEven(cx + cos * u - sin * v);
      const sy = roundHalfEven(cy + sin * u + cos * v);
      if (sx < 0 || sx >= W || sy < 0 || sy >= H) continue;
      const si = (sy * W + sx) * C;
      const oi = (y * W + x) * C;
      for (let c = 0; c < C; c++) o[oi + c] = s[si + c] as number;
    }
  }
  return out;
}

/**
 * Mirrors left-right: out[y][x][c] = in[y][W−1−x][c] (torchvision `hflip`). Exact. Cost O(W·H·C).
 * @example horizontalFlip([[0,1,2],[3,4,5]]) // [[2,1,0],[5,4,3]]
 */
export function horizontalFlip(img: Image): Image {
  const { width: W, height: H, channels: C } = img;
  const out = createImage(W, H, C);
  const s = img.data;
  const o = out.data;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const si = (y * W + (W - 1 - x)) * C;
      const oi = (y * W + x) * C;
      for (let c = 0; c < C; c++) o[oi + c] = s[si + c] as number;
    }
  }
  return out;
}
