/**
 * Coloured Fashion-MNIST: a spurious-correlation benchmark in the manner of Colored MNIST (Arjovsky,
 * Bottou, Gulrajani & Lopez-Paz 2019, arXiv:1907.02893), built from the grey Fashion-MNIST images.
 * Each image's foreground is tinted: byte g becomes floor(g·(r, g, b)_hue + 0.5) with (r, g, b) the
 * fully saturated colour of a hue (HSV s = 1, v = 1). Class k has hue k/10. In the training,
 * calibration and ID test sets an image wears its class's hue (± U(−0.02, 0.02)) with probability 0.9,
 * otherwise another class's hue: colour predicts the class, but not perfectly. The shifted test sets
 * break that agreement (random hue), reverse it (permuted hue), move it (colour shift), remove colour
 * (grey) or add a rotation. Every draw comes from `imageRng(seed, 'coloured-fmnist:<split>', original
 * index)`, with the same draw order in every set, so the shifted test sets tint the same test images with
 * the same per-image draws (the rotated set is the ID test set, rotated) and the committed subset's images
 * look exactly as in the full set.
 * Pure (no Node imports); the loader glue is in ./index.ts.
 */
import { CalibraError } from '../errors.js';
import type { Rng } from '../math/rng.js';
import { hsvToRgb } from '../views/colour.js';
import { rotateBilinear } from '../views/geometric.js';
import { createImage, imageToU8 } from '../views/image.js';
import { imageRngStream } from '../views/seed.js';
import { makeDataset, type ImageDataset } from './types.js';

/** The sets of the benchmark: three in-distribution ones and five shifted test sets. */
export const COLOURED_SETS = ['train', 'calibration', 'test', 'random-hue', 'permuted-hue', 'colour-shift', 'grey', 'rotated'] as const;
/** One set name. */
export type ColouredSet = (typeof COLOURED_SETS)[number];

/** The benchmark's constants (documented in docs/views-and-datasets.md). */
export const COLOURED_FMNIST = {
  /** Probability that an in-distribution image wears its class's hue. */
  agreement: 0.9,
  /** Half-width of the uniform noise added to a class hue. */
  hueNoise: 0.02,
  /** HSV saturation of the tint (1: pure hues). */
  saturation: 1,
  /** Hue offset of the colour-shift set: half the spacing between class hues. */
  colourShift: 0.05,
  /** permuted-hue: class k wears the hue of class (k + 5) mod 10. */
  permutationOffset: 5,
  /** rotated: angle ~ U(−45°, 45°), counter-clockwise, bilinear. */
  maxRotation: 45,
  /** Fashion-MNIST training images with this original index or above form the calibration set. */
  calibrationStart: 50_000,
  classes: 10,
} as const;

/** What each set is, in one line (help texts and docs). */
export const COLOURED_SET_NOTES: Readonly<Record<ColouredSet, string>> = {
  'train': 'train images 0..49 999, class hue with probability 0.9',
  'calibration': 'train images 50 000..59 999, class hue with probability 0.9',
  'test': 't10k, class hue with probability 0.9 (in distribution)',
  'random-hue': 't10k, hue uniform on [0, 1) whatever the class (agreement broken)',
  'permuted-hue': 't10k, class k wears class (k+5) mod 10\'s hue with probability 0.9 (agreement reversed)',
  'colour-shift': 't10k, every hue moved by +0.05, half-way to the next class\'s hue',
  'grey': 't10k, no tint (white foreground, 3 channels)',
  'rotated': 'the ID test images rotated by U(-45, 45) degrees (bilinear)',
};

/** The hue of class k: k / 10. */
export function classHue(label: number): number {
  return label / COLOURED_FMNIST.classes;
}

/** One image's draws: the hue used (null: no tint), the class whose hue it is (−1: none/random) and the rotation. */
export interface TintDraw {
  readonly hue: number | null;
  readonly hueClass: number;
  readonly angle: number;
}

/** The Fashion-MNIST split a set is cut from. */
export function colouredSource(set: ColouredSet): 'train' | 'test' {
  return set === 'train' || set === 'calibration' ? 'train' : 'test';
}

/**
 * Draws one image's tint for `set`. Always consumes the same five draws in the same order (agreement,
 * other class, hue noise, uniform hue, angle), so every set sees the same per-image values. O(1).
 */
export function drawTint(rng: Rng, label: number, set: ColouredSet): TintDraw {
  const C = COLOURED_FMNIST;
  const agrees = rng.random() < C.agreement;
  const other = rng.int(C.classes - 1);
  const noise = rng.uniform(-C.hueNoise, C.hueNoise);
  const uniformHue = rng.random();
  const angle = rng.uniform(-C.maxRotation, C.maxRotation);
  const target = set === 'permuted-hue' ? (label + C.permutationOffset) % C.classes : label;
  const hueClass = agrees ? target : (target + 1 + other) % C.classes;
  const wrap = (h: number): number => h - Math.floor(h);
  switch (set) {
    case 'grey': return { hue: null, hueClass: -1, angle: 0 };
    case 'random-hue': return { hue: uniformHue, hueClass: -1, angle: 0 };
    case 'colour-shift': return { hue: wrap(classHue(hueClass) + noise + C.colourShift), hueClass, angle: 0 };
    case 'rotated': return { hue: wrap(classHue(hueClass) + noise), hueClass, angle };
    default: return { hue: wrap(classHue(hueClass) + noise), hueClass, angle: 0 };
  }
}

/**
 * Tints `n` grey bytes (at `gOff`) into `3n` RGB bytes (at `oOff`): out = floor(g·rgb[c] + 0.5), rgb in
 * [0, 1] (float64). With `rgb` = null the grey value is copied into the three channels. O(n).
 */
export function tintBytes(grey: Uint8Array, gOff: number, n: number, rgb: readonly [number, number, number] | null, out: Uint8Array, oOff: number): void {
  if (rgb === null) {
    for (let p = 0; p < n; p++) { const g = grey[gOff + p] as number; out[oOff + 3 * p] = g; out[oOff + 3 * p + 1] = g; out[oOff + 3 * p + 2] = g; }
    return;
  }
  const [r, gg, b] = rgb;
  for (let p = 0; p < n; p++) {
    const g = grey[gOff + p] as number;
    out[oOff + 3 * p] = Math.floor(g * r + 0.5);
    out[oOff + 3 * p + 1] = Math.floor(g * gg + 0.5);
    out[oOff + 3 * p + 2] = Math.floor(g * b + 0.5);
  }
}

/** The tint colour of a hue: HSV (hue, saturation, 1) in RGB. */
export function tintColour(hue: number, saturation: number = COLOURED_FMNIST.saturation): [number, number, number] {
  return hsvToRgb(hue, saturation, 1);
}

/** A coloured set with the per-image draws (for analysis: which images wear their class's hue). */
export interface ColouredBuild {
  readonly dataset: ImageDataset;
  /** Hue per image (NaN for the grey set). */
  readonly hues: Float64Array;
  /** Class whose hue the image wears; −1 for the random-hue and grey sets. */
  readonly hueClass: Int32Array;
  /** Rotation in degrees (0 except in the rotated set). */
  readonly angles: Float64Array;
  /** Original Fashion-MNIST index of each image. */
  readonly originalIndex: Int32Array;
}

/** What `colourFashionMnist` needs. */
export interface ColouredRequest {
  /** Grey 1-channel Fashion-MNIST images of the set's source split. */
  readonly base: ImageDataset;
  /** Rows of `base` to use, in order. */
  readonly rows: ArrayLike<number>;
  /** Original Fashion-MNIST index of each row of `base` (the Rng stream index). */
  readonly originalIndex: ArrayLike<number>;
  readonly set: ColouredSet;
  readonly seed: number;
  /** Dataset name and note of the result. */
  readonly name: string;
  readonly note: string;
}

/**
 * Builds one coloured set: 3-channel 28×28 bytes, labels copied. Cost O(N·H·W) (one bilinear rotation
 * per image for the rotated set), memory 3 bytes per pixel; no allocation per image except in the rotated set.
 */
export function colourFashionMnist(req: ColouredRequest): ColouredBuild {
  const { base, rows, set } = req;
  if (base.channels !== 1) throw new CalibraError('E_SHAPE', `coloured Fashion-MNIST needs grey images, '${base.name}' has ${base.channels} channels`, { source: base.source });
  if (req.originalIndex.length !== base.count) throw new CalibraError('E_SHAPE', `${req.originalIndex.length} original indices for ${base.count} images`, { source: base.source });
  const n = rows.length;
  const px = base.width * base.height;
  const pixels = new Uint8Array(n * px * 3);
  const labels = new Int32Array(n);
  const hues = new Float64Array(n);
  const hueClass = new Int32Array(n);
  const angles = new Float64Array(n);
  const originalIndex = new Int32Array(n);
  const stream = imageRngStream(req.seed, `coloured-fmnist:${colouredSource(set)}`);
  const scratch = set === 'rotated' ? createImage(base.width, base.height, 3) : null;
  const rotated = set === 'rotated' ? createImage(base.width, base.height, 3) : null;
  for (let i = 0; i < n; i++) {
    const row = rows[i] as number;
    if (!Number.isInteger(row) || row < 0 || row >= base.count) throw new CalibraError('E_OPTION', `row ${row} is outside 0..${base.count - 1}`, { source: base.source });
    const label = base.labels[row] as number;
    const orig = req.originalIndex[row] as number;
    const d = drawTint(stream(orig), label, set);
    labels[i] = label;
    hues[i] = d.hue ?? Number.NaN;
    hueClass[i] = d.hueClass;
    angles[i] = d.angle;
    originalIndex[i] = orig;
    tintBytes(base.pixels, row * px, px, d.hue === null ? null : tintColour(d.hue), pixels, i * px * 3);
    if (scratch !== null && rotated !== null) {
      const s = scratch.data;
      for (let k = 0; k < px * 3; k++) s[k] = (pixels[i * px * 3 + k] as number) / 255;
      rotateBilinear(scratch, d.angle, rotated);
      imageToU8(rotated, 'roundHalfUp', pixels.subarray(i * px * 3, (i + 1) * px * 3));
    }
  }
  const dataset = makeDataset({ name: req.name, width: base.width, height: base.height, channels: 3, pixels, labels, classes: base.classes, source: base.source, note: req.note });
  return { dataset, hues, hueClass, angles, originalIndex };
}
