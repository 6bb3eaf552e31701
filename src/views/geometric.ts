/**
 * Geometric views: rotation by a multiple of 90° (torchvision `TF.rotate`, nearest, expand=False, fill 0)
 * and horizontal flip. Spec: views-and-corruptions §1.2 and §1.7.
 */
import { createImage, roundHalfEven, type Image } from './image.js';
import { CalibraError } from '../errors.js';
import { bilinear } from './filter.js';

/** The angles the rotation view picks from, uniformly (Vicinal-Risk-Proxy `MyRotationTransform`). */
export const ROTATION_ANGLES: readonly number[] = [-90, 90, 180];

/**
 * Rotates counter-clockwise (as displayed, y down) by `angle` ∈ {0, ±90, 180, 270} degrees about the image
 * centre, keeping the size; out-of-image samples become 0. For square images it is an exact pixel
 * permutation (`rot90`). Source of the mapping: torchvision `rotate` (inverse affine grid, nearest,
 * round half to even). Writes into `out` when given (same shape, not `img`), else into a new image.
 * Cost O(W·H·C): 0° and 180° (any size) and ±90° on square images are plain index permutations; ±90° on
 * non-square images takes the general inverse-grid path (the same values).
 * @example
 * import { createImage } from './image.js';
 * rotateRightAngle(createImage(3, 3, 1, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9)), 90).data // => [3, 6, 9, 2, 5, 8, 1, 4, 7]
 */
export function rotateRightAngle(img: Image, angle: number, out?: Image): Image {
  const a = ((angle % 360) + 360) % 360;
  if (a % 90 !== 0) {
    throw new CalibraError('E_OPTION', `rotateRightAngle: angle must be a multiple of 90 degrees, got ${angle}`);
  }
  const { width: W, height: H, channels: C } = img;
  if (out !== undefined && (out === img || out.data === img.data || out.width !== W || out.height !== H || out.channels !== C)) {
    throw new CalibraError('E_SHAPE', `rotateRightAngle: 'out' must be a separate ${W}×${H}×${C} image`);
  }
  const dst = out ?? createImage(W, H, C);
  const s = img.data;
  const o = dst.data;
  if (a === 0) { o.set(s); return dst; }
  if (a === 180) {
    // sx = W−1−x, sy = H−1−y exactly (cx ± u is an integer): the pixel order reversed.
    const n = W * H;
    if (C === 1) for (let i = 0; i < n; i++) o[i] = s[n - 1 - i] as number;
    else for (let i = 0; i < n; i++) { const si = (n - 1 - i) * C; for (let c = 0; c < C; c++) o[i * C + c] = s[si + c] as number; }
    return dst;
  }
  if (W === H) { rotateSquare(s, o, W, C, a === 90); return dst; }
  o.fill(0);
  forEachInverseRotated(W, H, C, 0, a === 90 ? 1 : -1, (oi, fx, fy) => {
    const sx = roundHalfEven(fx);
    const sy = roundHalfEven(fy);
    if (sx < 0 || sx >= W || sy < 0 || sy >= H) return;
    const si = (sy * W + sx) * C;
    for (let c = 0; c < C; c++) o[oi + c] = s[si + c] as number;
  });
  return dst;
}

/**
 * ±90° on an N×N image as an index permutation: with cx = cy the inverse grid gives integers, for +90°
 * (sx, sy) = (N−1−y, x) and for −90° (sx, sy) = (y, N−1−x). O(N²·C), no rounding.
 */
function rotateSquare(s: Float32Array, o: Float32Array, N: number, C: number, ccw: boolean): void {
  for (let y = 0; y < N; y++) {
    const row = y * N;
    if (C === 1) {
      if (ccw) { const sx = N - 1 - y; for (let x = 0; x < N; x++) o[row + x] = s[x * N + sx] as number; }
      else { for (let x = 0; x < N; x++) o[row + x] = s[(N - 1 - x) * N + y] as number; }
    } else {
      for (let x = 0; x < N; x++) {
        const si = (ccw ? x * N + (N - 1 - y) : (N - 1 - x) * N + y) * C;
        const oi = (row + x) * C;
        for (let c = 0; c < C; c++) o[oi + c] = s[si + c] as number;
      }
    }
  }
}

/**
 * Mirrors left-right: out[y][x][c] = in[y][W−1−x][c] (torchvision `hflip`). Exact. Cost O(W·H·C).
 * @example
 * import { createImage } from './image.js';
 * horizontalFlip(createImage(3, 2, 1, Float32Array.of(0, 1, 2, 3, 4, 5))).data // => [2, 1, 0, 5, 4, 3]
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

/**
 * Rotates counter-clockwise (as displayed, y down; the sense of `rotateRightAngle`) by any `angle` in
 * degrees about the centre ((W−1)/2, (H−1)/2), size kept, bilinear; a sample position outside
 * [0, W−1] × [0, H−1] gives 0. This is SciPy `ndimage.rotate(img, angle, axes=(1, 0), reshape=False,
 * order=1, mode='constant')` (the tests check it against SciPy). Writes into `out` when given (a separate
 * image of the same shape), else a new image. Cost O(W·H·C).
 * @example
 * import { createImage } from './image.js';
 * const img = createImage(3, 3, 1, Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9));
 * rotateBilinear(img, 90).data // ~> rotateRightAngle(img, 90).data
 */
export function rotateBilinear(img: Image, angle: number, out?: Image): Image {
  if (!Number.isFinite(angle)) throw new CalibraError('E_OPTION', `rotateBilinear: angle must be a finite number of degrees, got ${angle}`);
  const { width: W, height: H, channels: C } = img;
  if (out !== undefined && (out === img || out.data === img.data || out.width !== W || out.height !== H || out.channels !== C)) {
    throw new CalibraError('E_SHAPE', `rotateBilinear: 'out' must be a separate ${W}×${H}×${C} image`);
  }
  const dst = out ?? createImage(W, H, C);
  const o = dst.data;
  const rad = (angle * Math.PI) / 180;
  // Exact values at multiples of 90° so that those angles are pixel permutations.
  const a = ((angle % 360) + 360) % 360;
  const cos = a === 90 || a === 270 ? 0 : a === 0 ? 1 : a === 180 ? -1 : Math.cos(rad);
  const sin = a === 0 || a === 180 ? 0 : a === 90 ? 1 : a === 270 ? -1 : Math.sin(rad);
  forEachInverseRotated(W, H, C, cos, sin, (oi, sx, sy) => {
    if (sx < 0 || sx > W - 1 || sy < 0 || sy > H - 1) { for (let c = 0; c < C; c++) o[oi + c] = 0; return; }
    for (let c = 0; c < C; c++) o[oi + c] = bilinear(img.data, W, H, C, c, sy, sx, 'constant');
  });
  return dst;
}

/**
 * The inverse rotation grid shared by both rotations (torchvision `rotate`'s convention): for output pixel
 * (x, y), with u = x − cx, v = y − cy about the centre (cx, cy) = ((W−1)/2, (H−1)/2), the source position is
 * (cx + cos·u − sin·v, cy + sin·u + cos·v); `visit` gets the output offset (y·W + x)·C and that position. O(W·H).
 */
function forEachInverseRotated(W: number, H: number, C: number, cos: number, sin: number, visit: (oi: number, sx: number, sy: number) => void): void {
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  for (let y = 0; y < H; y++) {
    const v = y - cy;
    for (let x = 0; x < W; x++) {
      const u = x - cx;
      visit((y * W + x) * C, cx + cos * u - sin * v, cy + sin * u + cos * v);
    }
  }
}
