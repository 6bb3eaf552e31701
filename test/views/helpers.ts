/** Small image builders shared by the view/corruption tests. */
import { createImage, type Channels, type Image } from '../../src/views/image.js';

/** An image from rows of pixels; each pixel a number (grey) or [r, g, b]; values divided by `scale`. */
export function imageOf(rows: readonly (readonly (number | readonly number[])[])[], scale = 1): Image {
  const h = rows.length;
  const w = rows[0]?.length ?? 0;
  const first = rows[0]?.[0];
  const c: Channels = typeof first === 'number' ? 1 : 3;
  const data = new Float32Array(w * h * c);
  rows.forEach((row, y) => row.forEach((px, x) => {
    const vals = typeof px === 'number' ? [px] : px;
    vals.forEach((v, k) => { data[(y * w + x) * c + k] = v / scale; });
  }));
  return createImage(w, h, c, data);
}

/** Channel `c` of an image as rows, times `scale`. */
export function rowsOf(img: Image, c = 0, scale = 1): number[][] {
  const out: number[][] = [];
  for (let y = 0; y < img.height; y++) {
    const row: number[] = [];
    for (let x = 0; x < img.width; x++) row.push((img.data[(y * img.width + x) * img.channels + c] as number) * scale);
    out.push(row);
  }
  return out;
}

/** Pixel (y, x) as an array of channel values times `scale`. */
export function pixel(img: Image, y: number, x: number, scale = 1): number[] {
  const out: number[] = [];
  for (let c = 0; c < img.channels; c++) out.push((img.data[(y * img.width + x) * img.channels + c] as number) * scale);
  return out;
}

/** The spec's test pattern P (§2.4): 32×32 RGB, R = 8x, G = 8y, B = 4(x+y) mod 256, as u8/255. */
export function patternP(): Image {
  const img = createImage(32, 32, 3);
  for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
    const i = (y * 32 + x) * 3;
    img.data[i] = (8 * x) / 255; img.data[i + 1] = (8 * y) / 255; img.data[i + 2] = ((4 * (x + y)) % 256) / 255;
  }
  return img;
}

/** Asserts every element of `actual` is within `tol` of `expected`. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} != ${expected.length}`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (!(Math.abs(a - e) <= tol)) throw new Error(`index ${i}: got ${a}, expected ${e} (tol ${tol})`);
  }
}
