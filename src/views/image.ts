/**
 * The image type shared by views, corruptions, datasets and inference: float pixels in [0, 1], stored
 * height × width × channels (HWC, row-major, channel fastest), 1 (grey) or 3 (RGB) channels.
 * Browser-safe: no Node imports anywhere under src/views/ except src/views/node/.
 */
import { CalibraError } from '../errors.js';

/** Number of channels an Image may have: 1 = grey, 3 = RGB. */
export type Channels = 1 | 3;

/**
 * One image in the f domain (float32 in [0, 1]), HWC layout: pixel (y, x, c) is
 * `data[(y * width + x) * channels + c]`. The pipeline converts to the model's tensor layout.
 */
export interface Image {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  /** Always 'HWC'; present so code converting layouts can assert it. */
  readonly layout: 'HWC';
}

/**
 * A new image; zero-filled unless `data` is given (which is used as is, not copied).
 * Cost O(1) with data, O(W·H·C) to zero-fill.
 * @example createImage(2, 1, 1, Float32Array.of(0, 1)).data // => Float32Array.of(0, 1)
 */
export function createImage(width: number, height: number, channels: Channels, data?: Float32Array): Image {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new CalibraError('E_SHAPE', `createImage: width and height must be positive integers, got ${width}×${height}`);
  }
  if (channels !== 1 && channels !== 3) {
    throw new CalibraError('E_SHAPE', `createImage: channels must be 1 or 3, got ${String(channels)}`);
  }
  const n = width * height * channels;
  if (data !== undefined && data.length !== n) {
    throw new CalibraError('E_SHAPE', `createImage: data has ${data.length} values, expected ${width}×${height}×${channels} = ${n}`);
  }
  return { data: data ?? new Float32Array(n), width, height, channels, layout: 'HWC' };
}

/** An image of the same shape as `img`, zero-filled. O(W·H·C). */
export function emptyLike(img: Image, channels: Channels = img.channels): Image {
  return createImage(img.width, img.height, channels);
}

/** A deep copy. O(W·H·C). */
export function cloneImage(img: Image): Image {
  return createImage(img.width, img.height, img.channels, img.data.slice());
}

/**
 * Image from uint8 values (0..255) in HWC order, dividing by 255 in float32 like torchvision's ToTensor.
 * `offset` lets the caller read one image out of a larger block without copying it first.
 * @example imageFromU8(Uint8Array.of(0, 255), 2, 1, 1).data // => Float32Array.of(0, 1)
 */
export function imageFromU8(u8: Uint8Array | Uint8ClampedArray, width: number, height: number, channels: Channels, offset = 0): Image {
  const img = createImage(width, height, channels);
  const n = img.data.length;
  if (offset + n > u8.length) {
    throw new CalibraError('E_SHAPE', `imageFromU8: need ${n} bytes at offset ${offset}, buffer has ${u8.length}`);
  }
  const out = img.data;
  for (let i = 0; i < n; i++) out[i] = (u8[offset + i] as number) / 255;
  return img;
}

/** How a float in [0,255] is turned into a byte. `trunc` is NumPy's `np.uint8(x)` (CIFAR-10-C). */
export type ByteRounding = 'trunc' | 'roundHalfUp';

/**
 * The image as uint8 HWC bytes: clip to [0,1], times 255, then `trunc` (default) or `roundHalfUp`.
 * Writes into `out` when given. O(W·H·C).
 * @example imageToU8(createImage(1, 1, 1, Float32Array.of(0.5))) // => Uint8Array.of(127)
 */
export function imageToU8(img: Image, rounding: ByteRounding = 'trunc', out?: Uint8Array): Uint8Array {
  const n = img.data.length;
  const res = out ?? new Uint8Array(n);
  const add = rounding === 'trunc' ? 0 : 0.5;
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const v = d[i] as number;
    const c = v < 0 ? 0 : v > 1 ? 1 : v;
    res[i] = Math.floor(c * 255 + add);
  }
  return res;
}

/**
 * Checks shape and that every value is finite and within [0, 1] (with `tol`); throws E_SHAPE / E_NON_FINITE.
 * O(W·H·C).
 */
export function assertImage(img: Image, where = 'image', tol = 1e-6): void {
  if (img.data.length !== img.width * img.height * img.channels) {
    throw new CalibraError('E_SHAPE', `${where}: data length ${img.data.length} != ${img.width}×${img.height}×${img.channels}`);
  }
  const d = img.data;
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (!Number.isFinite(v) || v < -tol || v > 1 + tol) {
      throw new CalibraError('E_NON_FINITE', `${where}: value ${v} at index ${i} is outside [0, 1]`, { fix: 'scale pixels to [0, 1] (divide bytes by 255)' });
    }
  }
}

/** Clamps x to [0, 1]. */
export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** torch.round / Python round(): round half to even. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Replicates a grey image into three channels (used where a 3-channel output is required). O(W·H). */
export function greyToRgb(img: Image): Image {
  if (img.channels === 3) return img;
  const out = createImage(img.width, img.height, 3);
  const s = img.data;
  const o = out.data;
  for (let i = 0; i < s.length; i++) {
    const v = s[i] as number;
    o[3 * i] = v; o[3 * i + 1] = v; o[3 * i + 2] = v;
  }
  return out;
}
