/**
 * Node loaders for user images: a folder with one sub-folder per class (`folder:PATH`) and a labels CSV
 * listing `file,label` rows (`csv:PATH`, paths relative to the CSV). PNG and JPEG (and anything else
 * sharp decodes) are read with sharp; all images must share one size unless `resize` is given.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import type { OutputInfo } from 'sharp';
import { loadSharp } from './sharp.js';
import { CalibraError } from '../errors.js';
import type { Channels } from '../views/image.js';
import { makeDataset, type ImageDataset } from './types.js';

/** Options for folder and CSV datasets. */
export interface ImageFileOptions {
  /** Resize every image to [width, height] (sharp 'fill', bilinear). Default: keep; all must then match. */
  readonly resize?: readonly [number, number];
  /** 1 = grey, 3 = RGB. Default: 1 when the first image has 1–2 channels, else 3. */
  readonly channels?: Channels;
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.bmp']);

function sortClasses(names: string[]): string[] {
  const numeric = names.every((n) => /^-?\d+$/.test(n));
  return numeric ? names.sort((a, b) => Number(a) - Number(b)) : names.sort();
}

async function decodeAll(name: string, files: readonly string[], labels: Int32Array, classes: readonly string[], source: string, opts: ImageFileOptions): Promise<ImageDataset> {
  if (files.length === 0) throw new CalibraError('E_EMPTY', `dataset '${name}' has no images`, { source, fix: 'put PNG/JPEG files in one sub-folder per class' });
  const first = files[0] as string;
  let channels: Channels;
  let width: number;
  let height: number;
  const sharp = await loadSharp();
  try {
    const meta = await sharp(first).metadata();
    channels = opts.channels ?? ((meta.channels ?? 3) <= 2 ? 1 : 3);
    width = opts.resize?.[0] ?? meta.width ?? 0;
    height = opts.resize?.[1] ?? meta.height ?? 0;
  } catch (e) {
    throw new CalibraError('E_FORMAT', `cannot decode image: ${(e as Error).message}`, { source: first });
  }
  const per = width * height * channels;
  const pixels = new Uint8Array(files.length * per);
  for (let i = 0; i < files.length; i++) {
    const f = files[i] as string;
    let pipe = sharp(f).removeAlpha();
    if (opts.resize !== undefined) pipe = pipe.resize(width, height, { fit: 'fill' });
    pipe = channels === 1 ? pipe.toColourspace('b-w') : pipe.toColourspace('srgb');
    let out: { data: Buffer; info: OutputInfo };
    try { out = await pipe.raw().toBuffer({ resolveWithObject: true }); } catch (e) {
      throw new CalibraError('E_FORMAT', `cannot decode image: ${(e as Error).message}`, { source: f });
    }
    if (out.info.width !== width || out.info.height !== height || out.info.channels !== channels) {
      throw new CalibraError('E_SHAPE', `image is ${out.info.width}×${out.info.height}×${out.info.channels}, expected ${width}×${height}×${channels} like ${first}`, { source: f, fix: 'resize the images to one size (resize option / --size WxH)' });
    }
    pixels.set(out.data, i * per);
  }
  return makeDataset({ name, width, height, channels, pixels, labels, classes, source, note: `${files.length} images decoded with sharp from ${source}` });
}

/**
 * Loads `root/<class>/<image>` files; classes are the sub-folder names (numeric order when all are
 * integers, else alphabetical). Cost: one sharp decode per image.
 */
export async function loadImageFolder(root: string, opts: ImageFileOptions = {}): Promise<ImageDataset> {
  let entries: string[];
  try { entries = readdirSync(root); } catch (e) {
    throw new CalibraError('E_IO', `cannot read folder: ${(e as Error).message}`, { source: root });
  }
  const classes = sortClasses(entries.filter((e) => statSync(join(root, e)).isDirectory()));
  if (classes.length === 0) throw new CalibraError('E_EMPTY', 'no class sub-folders', { source: root, fix: 'use one sub-folder per class, e.g. root/cat/1.png' });
  const files: string[] = [];
  const labels: number[] = [];
  classes.forEach((cls, k) => {
    for (const f of readdirSync(join(root, cls)).sort()) {
      if (IMAGE_EXT.has(extname(f).toLowerCase())) { files.push(join(root, cls, f)); labels.push(k); }
    }
  });
  return decodeAll(`folder:${root}`, files, Int32Array.from(labels), classes, root, opts);
}

/**
 * Loads images listed in a CSV of `file,label` rows (an optional header row `file,label` is skipped;
 * relative paths are taken from the CSV's folder). Classes are the distinct labels, numeric order when
 * all are integers. Cost: one sharp decode per image.
 */
export async function loadImageCsv(csvPath: string, opts: ImageFileOptions = {}): Promise<ImageDataset> {
  let text: string;
  try { text = readFileSync(csvPath, 'utf8'); } catch (e) {
    throw new CalibraError('E_IO', `cannot read labels CSV: ${(e as Error).message}`, { source: csvPath });
  }
  const base = dirname(resolve(csvPath));
  const rows: [string, string][] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const comma = line.lastIndexOf(',');
    if (comma < 0) throw new CalibraError('E_FORMAT', 'expected "file,label"', { source: csvPath, where: `line ${i + 1}` });
    const file = line.slice(0, comma).trim().replace(/^"(.*)"$/, '$1');
    const label = line.slice(comma + 1).trim().replace(/^"(.*)"$/, '$1');
    if (i === 0 && file.toLowerCase() === 'file' && label.toLowerCase() === 'label') return;
    if (file === '' || label === '') throw new CalibraError('E_FORMAT', 'empty file or label', { source: csvPath, where: `line ${i + 1}` });
    rows.push([resolve(base, file), label]);
  });
  const classes = sortClasses([...new Set(rows.map((r) => r[1]))]);
  const index = new Map(classes.map((c, k) => [c, k]));
  const labels = Int32Array.from(rows.map((r) => index.get(r[1]) ?? -1));
  return decodeAll(`csv:${csvPath}`, rows.map((r) => r[0]), labels, classes, csvPath, opts);
}
