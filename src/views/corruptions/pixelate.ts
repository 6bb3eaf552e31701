/**
 * Pixelate (spec §2.2.9): Pillow BOX resize N→n then n→N, each as a horizontal then a vertical 1-D pass
 * with the result rounded (half up) to uint8 between passes — bit-exact with Pillow 9.4.
 */
import { createImage, type Image } from '../image.js';

/**
 * Pillow's BOX weights for a 1-D resize from `a` to `b` samples: for each output, the first source
 * index and the normalised weights (as a flat list). O(a + b).
 */
export function boxTaps(a: number, b: number): { start: Int32Array; count: Int32Array; weights: Float64Array; maxTaps: number } {
  const scale = a / b;
  const fs = Math.max(scale, 1);
  const support = 0.5 * fs;
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(b);
  const count = new Int32Array(b);
  const weights = new Float64Array(b * maxTaps);
  for (let o = 0; o < b; o++) {
    const centre = (o + 0.5) * scale;
    const s0 = Math.max(Math.trunc(centre - support + 0.5), 0);
    const s1 = Math.min(Math.trunc(centre + support + 0.5), a);
    let total = 0;
    for (let s = s0; s < s1; s++) {
      const t = (s - centre + 0.5) / fs;
      const w = t > -0.5 && t <= 0.5 ? 1 : 0;
      weights[o * maxTaps + (s - s0)] = w;
      total += w;
    }
    for (let s = s0; s < s1; s++) weights[o * maxTaps + (s - s0)] = (weights[o * maxTaps + (s - s0)] as number) / total;
    start[o] = s0;
    count[o] = s1 - s0;
  }
  return { start, count, weights, maxTaps };
}

/**
 * Pillow `resize((w, h), Image.BOX)` on uint8 HWC data: horizontal pass, round half up and clamp, then
 * vertical pass, round and clamp. O(W·H·C·taps).
 */
export function boxResizeU8(src: Uint8Array, W: number, H: number, C: number, w: number, h: number): Uint8Array {
  const hx = boxTaps(W, w);
  const mid = new Uint8Array(w * H * C);
  for (let y = 0; y < H; y++) for (let o = 0; o < w; o++) for (let c = 0; c < C; c++) {
    let acc = 0;
    const s0 = hx.start[o] as number;
    for (let t = 0; t < (hx.count[o] as number); t++) acc += (hx.weights[o * hx.maxTaps + t] as number) * (src[(y * W + s0 + t) * C + c] as number);
    mid[(y * w + o) * C + c] = Math.min(255, Math.max(0, Math.floor(acc + 0.5)));
  }
  const vy = boxTaps(H, h);
  const out = new Uint8Array(w * h * C);
  for (let o = 0; o < h; o++) for (let x = 0; x < w; x++) for (let c = 0; c < C; c++) {
    let acc = 0;
    const s0 = vy.start[o] as number;
    for (let t = 0; t < (vy.count[o] as number); t++) acc += (vy.weights[o * vy.maxTaps + t] as number) * (mid[((s0 + t) * w + x) * C + c] as number);
    out[(o * w + x) * C + c] = Math.min(255, Math.max(0, Math.floor(acc + 0.5)));
  }
  return out;
}

/**
 * Pixelate with side factor c: BOX-resize to trunc(W·c)×trunc(H·c) and back. Pixels are first rounded to
 * bytes (exact for images that came from bytes). Output values are k/255.
 * @example
 * import { imageFromU8 } from '../image.js';
 * const ramp = imageFromU8(Uint8Array.from({ length: 32 }, (_, i) => 8 * i), 32, 1, 1); // 0, 8, …, 248
 * Array.from(pixelate(ramp, 0.65).data.slice(0, 6), (v) => Math.round(v * 255)) // => [4, 4, 16, 28, 28, 40]
 */
export function pixelate(img: Image, c: number): Image {
  const { width: W, height: H, channels: C } = img;
  const u8 = new Uint8Array(img.data.length);
  for (let i = 0; i < u8.length; i++) u8[i] = Math.min(255, Math.max(0, Math.round((img.data[i] as number) * 255)));
  const w = Math.max(1, Math.trunc(W * c));
  const h = Math.max(1, Math.trunc(H * c));
  const small = boxResizeU8(u8, W, H, C, w, h);
  const back = boxResizeU8(small, w, h, C, W, H);
  const out = createImage(W, H, C);
  for (let i = 0; i < back.length; i++) out.data[i] = (back[i] as number) / 255;
  return out;
}
