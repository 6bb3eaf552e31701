/**
 * `loadDataset(spec)`: one entry point for every image dataset calibra knows. Fashion-MNIST and the two
 * digit sets use the full Debian files when installed and otherwise the copies committed under data/,
 * and the result says which (`source`, `note`). Node only (fs, zlib via fflate, sharp).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSharp } from './sharp.js';
import { CalibraError } from '../errors.js';
import { parseIdx } from './idx.js';
import { DIGIT_CLASSES, parseSklearnDigits, tilesFromSheet } from './digits.js';
import { parseDatasetSpec, type DatasetSpec } from './spec.js';
import { loadImageCsv, loadImageFolder, type ImageFileOptions } from './folder.js';
import { makeDataset, type ImageDataset } from './types.js';
import { COLOURED_FMNIST, COLOURED_SET_NOTES, colourFashionMnist, colouredSource, type ColouredSet } from './coloured.js';

export { parseDatasetSpec, DATASET_SPEC_FORMS, type DatasetSpec } from './spec.js';
export { makeDataset, selectImages, stratifiedIndices, type ImageDataset, type ImageDatasetInit } from './types.js';
export { parseIdx, encodeIdx, type IdxArray } from './idx.js';
export { tilesFromSheet, parseSklearnDigits, DIGIT_CLASSES } from './digits.js';
export { loadImageFolder, loadImageCsv, type ImageFileOptions } from './folder.js';
export {
  COLOURED_SETS, COLOURED_FMNIST, COLOURED_SET_NOTES, classHue, drawTint, tintBytes, tintColour, colourFashionMnist, colouredSource,
  type ColouredSet, type ColouredBuild, type ColouredRequest, type TintDraw,
} from './coloured.js';

/** Fashion-MNIST class names (Xiao, Rasul & Vollgraf 2017, arXiv:1708.07747), index = label. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Where the Debian packages put the full datasets. */
export const DEBIAN_PATHS = {
  fashionMnist: '/usr/share/datasets/fashion-mnist',
  opencvDigits: '/usr/share/doc/opencv-doc/examples/data/digits.png',
  sklearnDigits: '/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz',
} as const;

/** Options for `loadDataset`. */
export interface LoadDatasetOptions extends ImageFileOptions {
  /** Folder holding data/ (the calibra package root). Default: found by walking up from this module. */
  readonly root?: string;
  /** Folder with the full Fashion-MNIST idx files. Default: the Debian path. */
  readonly fashionMnistDir?: string;
  /** Use the committed copies even when the Debian files exist (for reproducible tests). */
  readonly preferCommitted?: boolean;
}

/**
 * The package root: the nearest folder above this module that contains data/fashion-mnist-subset.
 * Works from src/ (tsx, vitest) and from dist/src/ (built).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'data', 'fashion-mnist-subset'))) return dir;
    dir = dirname(dir);
  }
  throw new CalibraError('E_IO', 'cannot find the calibra data/ folder above ' + fileURLToPath(import.meta.url), { fix: 'pass options.root' });
}

function readFile(path: string): Uint8Array {
  try { return readFileSync(path); } catch (e) {
    throw new CalibraError('E_IO', `cannot read file: ${(e as Error).message}`, { source: path });
  }
}

function loadFashionMnist(split: 'train' | 'test', subsetOnly: boolean, opts: LoadDatasetOptions): ImageDataset {
  const prefix = split === 'train' ? 'train' : 't10k';
  const fullDir = opts.fashionMnistDir ?? DEBIAN_PATHS.fashionMnist;
  const imgName = `${prefix}-images-idx3-ubyte.gz`;
  const lblName = `${prefix}-labels-idx1-ubyte.gz`;
  const useFull = !subsetOnly && opts.preferCommitted !== true && existsSync(join(fullDir, imgName)) && existsSync(join(fullDir, lblName));
  const dir = useFull ? fullDir : join(opts.root ?? packageRoot(), 'data', 'fashion-mnist-subset');
  const imgPath = join(dir, imgName);
  const lblPath = join(dir, lblName);
  const images = parseIdx(readFile(imgPath), imgPath);
  const labels = parseIdx(readFile(lblPath), lblPath);
  if (images.dims.length !== 3 || labels.dims.length !== 1 || images.dims[0] !== labels.dims[0]) {
    throw new CalibraError('E_SHAPE', `images ${images.dims.join('×')} and labels ${labels.dims.join('×')} do not match`, { source: imgPath });
  }
  const n = labels.dims[0] as number;
  const note = useFull
    ? `full Fashion-MNIST ${split} set (${n} images) from Debian dataset-fashion-mnist`
    : `committed Fashion-MNIST ${split} subset (${n} images, stratified; see data/fashion-mnist-subset/README.md)${subsetOnly ? '' : '; install Debian dataset-fashion-mnist for the full set'}`;
  return makeDataset({
    name: `fashion-mnist${subsetOnly ? '-subset' : ''}:${split}`, width: images.dims[2] as number, height: images.dims[1] as number, channels: 1,
    pixels: images.data, labels: Int32Array.from(labels.data), classes: FASHION_MNIST_CLASSES, source: imgPath, note,
  });
}

/**
 * Original Fashion-MNIST index of each image of a loaded split: the row itself for the full set, else the
 * committed subset's `indices.json` list (E_SHAPE when it does not match the images). O(N).
 */
export function fashionMnistOriginalIndex(ds: ImageDataset, split: 'train' | 'test', opts: Pick<LoadDatasetOptions, 'root'> = {}): Int32Array {
  if (ds.count === (split === 'train' ? 60_000 : 10_000)) return Int32Array.from({ length: ds.count }, (_, i) => i);
  const path = join(opts.root ?? packageRoot(), 'data', 'fashion-mnist-subset', 'indices.json');
  const meta = JSON.parse(new TextDecoder().decode(readFile(path))) as Record<string, unknown>;
  const list = meta[split];
  if (!Array.isArray(list) || list.length !== ds.count || list.some((v) => !Number.isInteger(v))) {
    throw new CalibraError('E_SHAPE', `indices.json's '${split}' list does not give one original index per image of the ${ds.count}-image subset`, { source: path });
  }
  return Int32Array.from(list as number[]);
}

/**
 * One set of coloured Fashion-MNIST (./coloured.ts), cut from the full Debian split when installed, else
 * from the committed subset (whose images are tinted exactly as in the full set). ≈ 0.1 s per 10 000 images.
 */
function loadColouredFmnist(set: ColouredSet, seed: number, subsetOnly: boolean, opts: LoadDatasetOptions): ImageDataset {
  const split = colouredSource(set);
  const base = loadFashionMnist(split, subsetOnly, opts);
  const originalIndex = fashionMnistOriginalIndex(base, split, opts);
  const rows: number[] = [];
  for (let r = 0; r < base.count; r++) {
    const o = originalIndex[r] as number;
    if (set === 'train' ? o < COLOURED_FMNIST.calibrationStart : set === 'calibration' ? o >= COLOURED_FMNIST.calibrationStart : true) rows.push(r);
  }
  const full = base.count === (split === 'train' ? 60_000 : 10_000);
  const name = `coloured-fmnist${subsetOnly ? '-subset' : ''}:${set}${seed !== 0 ? `:seed=${seed}` : ''}`;
  const note = `coloured Fashion-MNIST '${set}' (${COLOURED_SET_NOTES[set]}; seed ${seed}): ${rows.length} images from the ${full ? 'full Debian' : 'committed subset\'s'} ${split} split`;
  return colourFashionMnist({ base, rows, originalIndex, set, seed, name, note }).dataset;
}

async function loadOpencvDigits(opts: LoadDatasetOptions): Promise<ImageDataset> {
  const full = opts.preferCommitted !== true && existsSync(DEBIAN_PATHS.opencvDigits);
  const path = full ? DEBIAN_PATHS.opencvDigits : join(opts.root ?? packageRoot(), 'data', 'opencv-digits', 'digits.png');
  let decoded: { data: Buffer; info: { width: number; height: number } };
  const sharp = await loadSharp();
  try { decoded = await sharp(path).greyscale().raw().toBuffer({ resolveWithObject: true }); } catch (e) {
    throw new CalibraError('E_IO', `cannot decode digits sheet: ${(e as Error).message}`, { source: path });
  }
  const { pixels, labels } = tilesFromSheet(decoded.data, decoded.info.width, decoded.info.height, 20, 5, path);
  return makeDataset({
    name: 'opencv-digits', width: 20, height: 20, channels: 1, pixels, labels, classes: DIGIT_CLASSES, source: path,
    note: `OpenCV digits.png: ${labels.length} 20×20 digits (${full ? 'Debian opencv-doc' : 'committed copy'})`,
  });
}

function loadSklearnDigits(opts: LoadDatasetOptions): ImageDataset {
  const full = opts.preferCommitted !== true && existsSync(DEBIAN_PATHS.sklearnDigits);
  const path = full ? DEBIAN_PATHS.sklearnDigits : join(opts.root ?? packageRoot(), 'data', 'sklearn-digits', 'digits.csv.gz');
  const { pixels, labels } = parseSklearnDigits(readFile(path), path);
  return makeDataset({
    name: 'sklearn-digits', width: 8, height: 8, channels: 1, pixels, labels, classes: DIGIT_CLASSES, source: path, maxValue: 16,
    note: `scikit-learn 8×8 digits: ${labels.length} images, values 0..16 scaled by 1/16 (${full ? 'Debian python3-sklearn' : 'committed copy'})`,
  });
}

/**
 * Loads a dataset from a spec string (see `parseDatasetSpec`) or a parsed spec. Full Debian files are
 * used when present, else the committed copies; `result.source`/`result.note` say which.
 * Cost: Fashion-MNIST train ≈ 0.3 s and 47 MB; digits.png ≈ 0.1 s; folders one sharp decode per image.
 * @example [10000, 2000].includes((await loadDataset('fashion-mnist:test')).count) // => true
 */
export async function loadDataset(spec: string | DatasetSpec, opts: LoadDatasetOptions = {}): Promise<ImageDataset> {
  const s = typeof spec === 'string' ? parseDatasetSpec(spec) : spec;
  switch (s.kind) {
    case 'fashion-mnist': return loadFashionMnist(s.split, s.subsetOnly, opts);
    case 'coloured-fmnist': return loadColouredFmnist(s.set, s.seed, s.subsetOnly, opts);
    case 'opencv-digits': return loadOpencvDigits(opts);
    case 'sklearn-digits': return loadSklearnDigits(opts);
    case 'folder': return loadImageFolder(s.path, opts);
    case 'csv': return loadImageCsv(s.path, opts);
  }
}
