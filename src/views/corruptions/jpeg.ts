/**
 * JPEG compression as a pure round trip (spec §2.2.10), without entropy coding (Huffman coding is
 * lossless, so skipping it changes nothing): YCbCr conversion, 4:2:0 chroma subsampling (2×2 average),
 * 8×8 DCT, quantisation with the IJG tables scaled by quality (baseline, clamped to 1..255), then
 * dequantisation, inverse DCT and libjpeg's "fancy" triangle chroma upsampling. Grey images use one
 * channel. Float DCT, so not bit-exact with libjpeg-turbo's integer DCT: expect ±2 against Pillow.
 */
import { createImage, type Image } from '../image.js';

/** IJG standard luminance table (JPEG Annex K.1), natural order. */
export const LUMA_TABLE: readonly number[] = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];
/** IJG standard chrominance table (JPEG Annex K.2), natural order. */
export const CHROMA_TABLE: readonly number[] = [
  17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99,
  47, 66, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
  99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
];

/**
 * The IJG table scaled for `quality` 1..100: scale = 5000/q (integer division) below 50, else 200 − 2q;
 * entry = clamp(floor((base·scale + 50)/100), 1, 255). O(64).
 * @example scaledTable(LUMA_TABLE, 80).slice(0, 8) // [6,4,4,6,10,16,20,24]
 */
export function scaledTable(base: readonly number[], quality: number): Int32Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  const t = new Int32Array(64);
  for (let i = 0; i < 64; i++) t[i] = Math.min(255, Math.max(1, Math.floor(((base[i] as number) * scale + 50) / 100)));
  return t;
}

const COS = new Float64Array(64);
for (let x = 0; x < 8; x++) for (let u = 0; u < 8; u++) COS[x * 8 + u] = Math.cos(((2 * x + 1) * u * Math.PI) / 16) * (u === 0 ? Math.SQRT1_2 : 1);

/** In-place lossy step on one 8×8 block of level-shifted samples: DCT, quantise (round half away), dequantise, IDCT. */
function roundTripBlock(block: Float64Array, table: Int32Array, tmp: Float64Array): void {
  for (let v = 0; v < 8; v++) for (let x = 0; x < 8; x++) {
    let acc = 0;
    for (let y = 0; y < 8; y++) acc += (block[y * 8 + x] as number) * (COS[y * 8 + v] as number);
    tmp[v * 8 + x] = acc;
  }
  for (let v = 0; v < 8; v++) for (let u = 0; u < 8; u++) {
    let acc = 0;
    for (let x = 0; x < 8; x++) acc += (tmp[v * 8 + x] as number) * (COS[x * 8 + u] as number);
    const coef = acc / 4;
    const q = table[v * 8 + u] as number;
    const k = Math.sign(coef) * Math.floor(Math.abs(coef) / q + 0.5);
    block[v * 8 + u] = k * q;
  }
  for (let y = 0; y < 8; y++) for (let u = 0; u < 8; u++) {
    let acc = 0;
    for (let v = 0; v < 8; v++) acc += (block[v * 8 + u] as number) * (COS[y * 8 + v] as number);
    tmp[y * 8 + u] = acc;
  }
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
    let acc = 0;
    for (let u = 0; u < 8; u++) acc += (tmp[y * 8 + u] as number) * (COS[x * 8 + u] as number);
    block[y * 8 + x] = acc / 4;
  }
}

/** Round-trips one plane (w×h, values 0..255) in place, padding blocks by edge replication. */
function roundTripPlane(plane: Float64Array, w: number, h: number, table: Int32Array): void {
  const block = new Float64Array(64);
  const tmp = new Float64Array(64);
  for (let by = 0; by < h; by += 8) for (let bx = 0; bx < w; bx += 8) {
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
      const yy = Math.min(by + y, h - 1);
      const xx = Math.min(bx + x, w - 1);
      block[y * 8 + x] = (plane[yy * w + xx] as number) - 128;
    }
    roundTripBlock(block, table, tmp);
    for (let y = 0; y < 8 && by + y < h; y++) for (let x = 0; x < 8 && bx + x < w; x++) {
      plane[(by + y) * w + bx + x] = Math.min(255, Math.max(0, Math.round((block[y * 8 + x] as number) + 128)));
    }
  }
}

function byteOf(v: number): number { return Math.min(255, Math.max(0, Math.round(v * 255))); }

/** libjpeg h2v2 fancy upsampling of a cw×ch plane to full size W×H (triangle filter, edges replicated). */
function upsample(src: Float64Array, cw: number, ch: number, dst: Float64Array, W: number, H: number): void {
  for (let oy = 0; oy < H; oy++) {
    const r0 = oy >> 1;
    const r1 = Math.min(ch - 1, Math.max(0, (oy & 1) === 0 ? r0 - 1 : r0 + 1));
    for (let ox = 0; ox < W; ox++) {
      const c0 = ox >> 1;
      const c1 = Math.min(cw - 1, Math.max(0, (ox & 1) === 0 ? c0 - 1 : c0 + 1));
      const near = 3 * (src[r0 * cw + c0] as number) + (src[r1 * cw + c0] as number);
      const far = 3 * (src[r0 * cw + c1] as number) + (src[r1 * cw + c1] as number);
      dst[oy * W + ox] = Math.floor((3 * near + far + ((ox & 1) === 0 ? 8 : 7)) / 16);
    }
  }
}

/**
 * JPEG round trip at `quality` (1..100) with Pillow's defaults (baseline IJG tables, 4:2:0 for RGB).
 * Output values are k/255. O(W·H·C·8).
 * @example a flat (128,128,128) image stays exactly 128 at any quality
 */
export function jpegRoundTrip(img: Image, quality: number): Image {
  const { width: W, height: H, channels: C } = img;
  const s = img.data;
  const lumaT = scaledTable(LUMA_TABLE, quality);
  const out = createImage(W, H, C);
  const o = out.data;
  const Y = new Float64Array(W * H);
  if (C === 1) {
    for (let i = 0; i < W * H; i++) Y[i] = byteOf(s[i] as number);
    roundTripPlane(Y, W, H, lumaT);
    for (let i = 0; i < W * H; i++) o[i] = (Y[i] as number) / 255;
    return out;
  }
  const chromaT = scaledTable(CHROMA_TABLE, quality);
  const cw = Math.ceil(W / 2);
  const chh = Math.ceil(H / 2);
  const cb = new Float64Array(cw * chh);
  const cr = new Float64Array(cw * chh);
  const fullCb = new Float64Array(W * H);
  const fullCr = new Float64Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const r = byteOf(s[3 * i] as number);
    const g = byteOf(s[3 * i + 1] as number);
    const b = byteOf(s[3 * i + 2] as number);
    Y[i] = Math.min(255, Math.max(0, Math.round(0.299 * r + 0.587 * g + 0.114 * b)));
    fullCb[i] = Math.min(255, Math.max(0, Math.round(-0.168735892 * r - 0.331264108 * g + 0.5 * b + 128)));
    fullCr[i] = Math.min(255, Math.max(0, Math.round(0.5 * r - 0.418687589 * g - 0.081312411 * b + 128)));
  }
  for (let y = 0; y < chh; y++) for (let x = 0; x < cw; x++) {
    const y0 = 2 * y; const y1 = Math.min(2 * y + 1, H - 1);
    const x0 = 2 * x; const x1 = Math.min(2 * x + 1, W - 1);
    const bias = (x & 1) === 0 ? 1 : 2;
    cb[y * cw + x] = Math.floor(((fullCb[y0 * W + x0] as number) + (fullCb[y0 * W + x1] as number) + (fullCb[y1 * W + x0] as number) + (fullCb[y1 * W + x1] as number) + bias) / 4);
    cr[y * cw + x] = Math.floor(((fullCr[y0 * W + x0] as number) + (fullCr[y0 * W + x1] as number) + (fullCr[y1 * W + x0] as number) + (fullCr[y1 * W + x1] as number) + bias) / 4);
  }
  roundTripPlane(Y, W, H, lumaT);
  roundTripPlane(cb, cw, chh, chromaT);
  roundTripPlane(cr, cw, chh, chromaT);
  upsample(cb, cw, chh, fullCb, W, H);
  upsample(cr, cw, chh, fullCr, W, H);
  for (let i = 0; i < W * H; i++) {
    const yv = Y[i] as number;
    const cbv = (fullCb[i] as number) - 128;
    const crv = (fullCr[i] as number) - 128;
    o[3 * i] = Math.min(255, Math.max(0, Math.round(yv + 1.402 * crv))) / 255;
    o[3 * i + 1] = Math.min(255, Math.max(0, Math.round(yv - 0.344136286 * cbv - 0.714136286 * crv))) / 255;
    o[3 * i + 2] = Math.min(255, Math.max(0, Math.round(yv + 1.772 * cbv))) / 255;
  }
  return out;
}
