/**
 * Pure parsers for the two digit datasets: OpenCV's `digits.png` sheet (2000×1000 grey, 50 rows × 100
 * columns of 20×20 tiles, tile row r has label floor(r/5); 5 000 MNIST-derived digits) and scikit-learn's
 * 8×8 digits (`digits.csv.gz`: 1 797 rows of 64 values 0..16 then the label; UCI optdigits test set).
 */
import { gunzipSync, strFromU8 } from 'fflate';
import { CalibraError } from '../errors.js';

/** Digit class names '0'..'9'. */
export const DIGIT_CLASSES: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/**
 * Cuts a grey sheet (one byte per pixel, row-major) into `tile`×`tile` images, row by row of tiles, with
 * label floor(tileRow / rowsPerLabel). Returns one pixel block and the labels. O(W·H).
 * @example tilesFromSheet(new Uint8Array(2000 * 1000), 2000, 1000).labels.length // => 5000
 */
export function tilesFromSheet(grey: Uint8Array, width: number, height: number, tile = 20, rowsPerLabel = 5, source = 'digits.png'): { pixels: Uint8Array; labels: Int32Array } {
  if (grey.length !== width * height) throw new CalibraError('E_SHAPE', `sheet has ${grey.length} bytes for ${width}×${height}`, { source });
  if (width % tile !== 0 || height % tile !== 0) {
    throw new CalibraError('E_SHAPE', `sheet ${width}×${height} is not a whole number of ${tile}×${tile} tiles`, { source, fix: 'use OpenCV samples/data/digits.png (2000×1000)' });
  }
  const cols = width / tile;
  const rows = height / tile;
  const per = tile * tile;
  const pixels = new Uint8Array(rows * cols * per);
  const labels = new Int32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      labels[k] = Math.floor(r / rowsPerLabel);
      for (let y = 0; y < tile; y++) {
        const src = (r * tile + y) * width + c * tile;
        pixels.set(grey.subarray(src, src + tile), k * per + y * tile);
      }
    }
  }
  return { pixels, labels };
}

/**
 * Parses scikit-learn's digits.csv(.gz): each line 64 integers 0..16 then the label 0..9, no header.
 * Throws E_FORMAT naming the line. O(n).
 * @example parseSklearnDigits(new TextEncoder().encode(`${new Array(64).fill(16).join(',')},3\n`)).labels // => [3]
 */
export function parseSklearnDigits(bytes: Uint8Array, source = 'digits.csv.gz'): { pixels: Uint8Array; labels: Int32Array } {
  const raw = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const lines = strFromU8(raw).split('\n').filter((l) => l.trim() !== '');
  const pixels = new Uint8Array(lines.length * 64);
  const labels = new Int32Array(lines.length);
  lines.forEach((line, i) => {
    const f = line.split(',');
    if (f.length !== 65) throw new CalibraError('E_FORMAT', `expected 65 comma-separated values, got ${f.length}`, { source, where: `line ${i + 1}` });
    for (let k = 0; k < 65; k++) {
      const v = Number(f[k]);
      const max = k === 64 ? 9 : 16;
      if (!Number.isInteger(v) || v < 0 || v > max) {
        throw new CalibraError('E_FORMAT', `value '${f[k] ?? ''}' is not an integer in 0..${max}`, { source, where: `line ${i + 1}, field ${k + 1}` });
      }
      if (k === 64) labels[i] = v; else pixels[i * 64 + k] = v;
    }
  });
  return { pixels, labels };
}
