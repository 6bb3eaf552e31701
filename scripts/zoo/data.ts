/**
 * Minimal data access for the zoo trainer: Fashion-MNIST idx files (Debian's dataset-fashion-mnist) and
 * OpenCV's digits.png tiles. Kept here so training does not depend on the library's dataset loaders;
 * the library's own loaders (src/datasets/) are what `calibra views` / `demo` use.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { PNG } from 'pngjs';

/** Images as [0, 1] floats, N×(H·W·C), row-major HWC pixels; labels Int32. */
export interface ZooData {
  readonly x: Float32Array;
  readonly labels: Int32Array;
  readonly n: number;
  readonly height: number;
  readonly width: number;
  /** Channels per pixel (1 grey, 3 RGB); absent means 1. */
  readonly channels?: 1 | 3;
}

/** Values per image: H·W·C. */
export function valuesPerImage(d: ZooData): number {
  return d.height * d.width * (d.channels ?? 1);
}

/** The first `limit` images (default all) of a library ImageDataset (e.g. `coloured-fmnist:train`) as zoo data, bytes / 255. */
export function fromImageDataset(ds: { pixels: Uint8Array; labels: Int32Array; count: number; height: number; width: number; channels: 1 | 3; maxValue: number }, limit = ds.count): ZooData {
  const n = Math.min(limit, ds.count);
  const x = new Float32Array(n * ds.height * ds.width * ds.channels);
  for (let i = 0; i < x.length; i++) x[i] = (ds.pixels[i] as number) / ds.maxValue;
  return { x, labels: ds.labels.slice(0, n), n, height: ds.height, width: ds.width, channels: ds.channels };
}

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

function readIdx(path: string): { dims: number[]; data: Uint8Array } {
  const raw = readFileSync(path);
  const b = path.endsWith('.gz') ? gunzipSync(raw) : raw;
  const nd = b[3] as number;
  const dims = Array.from({ length: nd }, (_, i) => b.readUInt32BE(4 + 4 * i));
  const size = dims.reduce((a, d) => a * d, 1);
  return { dims, data: new Uint8Array(b.buffer, b.byteOffset + 4 + 4 * nd, size) };
}

/** Fashion-MNIST 'train' (60 000) or 'test' (10 000) from the Debian package. */
export function loadFashionMnist(split: 'train' | 'test', dir = FASHION_MNIST_DIR): ZooData {
  const prefix = split === 'train' ? 'train' : 't10k';
  const img = readIdx(`${dir}/${prefix}-images-idx3-ubyte.gz`);
  const lab = readIdx(`${dir}/${prefix}-labels-idx1-ubyte.gz`);
  const n = img.dims[0] as number;
  const x = new Float32Array(img.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (img.data[i] as number) / 255;
  return { x, labels: Int32Array.from(lab.data), n, height: img.dims[1] as number, width: img.dims[2] as number };
}

/** OpenCV digits.png: 50 rows × 100 columns of 20×20 tiles; row r has label floor(r / 5). Tiles in row-major order. */
export function loadOpencvDigits(path: string): ZooData {
  if (!existsSync(path)) throw new Error(`loadOpencvDigits: ${path} not found`);
  const png = PNG.sync.read(readFileSync(path));
  const n = 5000;
  const x = new Float32Array(n * 400);
  const labels = new Int32Array(n);
  const channels = png.data.length / (png.width * png.height);
  for (let r = 0; r < 50; r++) for (let c = 0; c < 100; c++) {
    const t = r * 100 + c;
    labels[t] = Math.floor(r / 5);
    for (let y = 0; y < 20; y++) for (let xx = 0; xx < 20; xx++) {
      x[t * 400 + y * 20 + xx] = (png.data[((r * 20 + y) * png.width + c * 20 + xx) * channels] as number) / 255;
    }
  }
  return { x, labels, n, height: 20, width: 20 };
}

/** Rows [start, end) of a dataset (copies). */
export function sliceData(d: ZooData, start: number, end: number): ZooData {
  const px = valuesPerImage(d);
  return { x: d.x.slice(start * px, end * px), labels: d.labels.slice(start, end), n: end - start, height: d.height, width: d.width, channels: d.channels ?? 1 };
}

/** Rows by index (copies). */
export function takeData(d: ZooData, index: ArrayLike<number>): ZooData {
  const px = valuesPerImage(d);
  const x = new Float32Array(index.length * px);
  const labels = new Int32Array(index.length);
  for (let i = 0; i < index.length; i++) {
    const r = index[i] as number;
    x.set(d.x.subarray(r * px, (r + 1) * px), i * px);
    labels[i] = d.labels[r] as number;
  }
  return { x, labels, n: index.length, height: d.height, width: d.width, channels: d.channels ?? 1 };
}
