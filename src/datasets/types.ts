/**
 * The in-memory image dataset: all pixels in one Uint8Array block (HWC per image, images back to back)
 * with an accessor, never one object per image. 70 000 Fashion-MNIST images take 55 MB this way.
 */
import { CalibraError } from '../errors.js';
import { createImage, type Channels, type Image } from '../views/image.js';
import type { Rng } from '../math/rng.js';

/** A labelled image dataset held as one pixel block. */
export interface ImageDataset {
  /** The spec it was loaded from, e.g. 'fashion-mnist:test'. */
  readonly name: string;
  readonly count: number;
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  /** count × height × width × channels stored values, image i at offset i·height·width·channels. */
  readonly pixels: Uint8Array;
  /** Stored value that maps to 1.0: 255 for bytes, 16 for scikit-learn's 8×8 digits (values 0..16). */
  readonly maxValue: number;
  /** Class index per image, in [0, classes.length). */
  readonly labels: Int32Array;
  /** Class names, index = label. */
  readonly classes: readonly string[];
  /** Where the pixels came from (file paths), and whether this is the full set or the committed subset. */
  readonly source: string;
  /** One human sentence about the source (e.g. "full Debian set" or "committed 2 000-image subset"). */
  readonly note: string;
  /** Image i in the f domain (float32 in [0,1]), HWC. Allocates the returned image. O(H·W·C). */
  image(i: number): Image;
}

/** Values needed to build an ImageDataset. */
export interface ImageDatasetInit {
  readonly name: string;
  readonly width: number;
  readonly height: number;
  readonly channels: Channels;
  readonly pixels: Uint8Array;
  readonly labels: Int32Array;
  readonly classes: readonly string[];
  readonly source: string;
  readonly note: string;
  readonly maxValue?: number;
}

/**
 * Builds an ImageDataset, checking the block size and the label range (E_SHAPE, E_LABEL_RANGE). O(N).
 * @example makeDataset({name: 'x', width: 1, height: 1, channels: 1, pixels: Uint8Array.of(255), labels: Int32Array.of(0), classes: ['a'], source: '-', note: ''}).image(0).data // => [1]
 */
export function makeDataset(init: ImageDatasetInit): ImageDataset {
  const per = init.width * init.height * init.channels;
  const count = init.labels.length;
  if (init.pixels.length !== count * per) {
    throw new CalibraError('E_SHAPE', `dataset '${init.name}': ${init.pixels.length} pixel values for ${count} labels of ${init.width}×${init.height}×${init.channels}`, { source: init.source });
  }
  for (let i = 0; i < count; i++) {
    const l = init.labels[i] as number;
    if (l < 0 || l >= init.classes.length) {
      throw new CalibraError('E_LABEL_RANGE', `dataset '${init.name}': label ${l} of image ${i} is outside 0..${init.classes.length - 1}`, { source: init.source });
    }
  }
  const maxValue = init.maxValue ?? 255;
  const { width, height, channels, pixels } = init;
  return {
    name: init.name, count, width, height, channels, pixels, maxValue,
    labels: init.labels, classes: init.classes, source: init.source, note: init.note,
    image(i: number): Image {
      if (!Number.isInteger(i) || i < 0 || i >= count) {
        throw new CalibraError('E_OPTION', `dataset '${init.name}': image index ${i} is outside 0..${count - 1}`);
      }
      const img = createImage(width, height, channels);
      const d = img.data;
      const off = i * per;
      for (let k = 0; k < per; k++) d[k] = (pixels[off + k] as number) / maxValue;
      return img;
    },
  };
}

/**
 * A dataset made of the images at `indices` (copied into a new block, in that order). O(|indices|·H·W·C).
 * @example
 * const ds = makeDataset({ name: 'x', width: 1, height: 1, channels: 1, pixels: Uint8Array.of(0, 1, 2, 3), labels: Int32Array.of(0, 1, 2, 3), classes: ['a', 'b', 'c', 'd'], source: '-', note: '' });
 * selectImages(ds, Int32Array.of(3, 1)).labels // => [3, 1]
 */
export function selectImages(ds: ImageDataset, indices: ArrayLike<number>, name = ds.name, note = ds.note): ImageDataset {
  const per = ds.width * ds.height * ds.channels;
  const pixels = new Uint8Array(indices.length * per);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k] as number;
    if (!Number.isInteger(i) || i < 0 || i >= ds.count) {
      throw new CalibraError('E_OPTION', `selectImages: index ${i} is outside 0..${ds.count - 1}`);
    }
    pixels.set(ds.pixels.subarray(i * per, (i + 1) * per), k * per);
    labels[k] = ds.labels[i] as number;
  }
  return makeDataset({ name, width: ds.width, height: ds.height, channels: ds.channels, pixels, labels, classes: ds.classes, source: ds.source, note, maxValue: ds.maxValue });
}

/**
 * Seeded stratified sample: `perClass` indices of each class (all of a class if it has fewer), shuffled
 * within class by `rng`, returned sorted ascending so the original order is kept. O(N).
 */
export function stratifiedIndices(labels: Int32Array, numClasses: number, perClass: number, rng: Rng): Int32Array {
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  for (let i = 0; i < labels.length; i++) byClass[labels[i] as number]?.push(i);
  const picked: number[] = [];
  for (const idx of byClass) {
    const arr = Int32Array.from(idx);
    rng.shuffle(arr);
    for (let k = 0; k < Math.min(perClass, arr.length); k++) picked.push(arr[k] as number);
  }
  return Int32Array.from(picked).sort();
}
