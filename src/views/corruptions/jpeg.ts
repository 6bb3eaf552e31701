/**
 * JPEG compression as a pure round trip (spec §2.2.10), without entropy coding (Huffman coding is
 * lossless, so skipping it changes nothing): YCbCr conversion, 4:2:0 chroma subsampling (2×2 average),
 * 8×8 DCT, quantisation with the IJG tables scaled by quality (baseline, clamped to 1..255), then
 * dequantisation, inverse DCT and libjpeg's "fancy" triangle chroma upsampling. Grey images use one
 * channel. Every lossy step restates libjpeg's integer arithmetic (jccolor.c, jcsample.c h2v2, jfdctint.c
 * islow, jcdctmgr.c rounding, jidctint.c islow, jdsample.c h2v2 fancy, jdcolor.c), so the result should
 * match Pillow / libjpeg-turbo with default settings; the tests compare it with sharp's libjpeg.
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
 * @example scaledTable(LUMA_TABLE, 80).slice(0, 8) // => [6,4,4,6,10,16,20,24]
 */
export function scaledTable(base: readonly number[], quality: number): Int32Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  const t = new Int32Array(64);
  for (let i = 0; i < 64; i++) t[i] = Math.min(255, Math.max(1, Math.floor(((base[i] as number) * scale + 50) / 100)));
  return t;
}

// libjpeg's accurate integer DCT constants (jfdctint.c / jidctint.c): FIX(x) = round(x·2^13).
const CONST_BITS = 13;
const PASS1_BITS = 2;
const F0_298 = 2446; const F0_390 = 3196; const F0_541 = 4433; const F0_765 = 6270; const F0_899 = 7373;
const F1_175 = 9633; const F1_501 = 12299; const F1_847 = 15137; const F1_961 = 16069; const F2_053 = 16819;
const F2_562 = 20995; const F3_072 = 25172;

/** Arithmetic right shift with rounding, on doubles (no 32-bit overflow). */
function descale(x: number, n: number): number { return Math.floor((x + 2 ** (n - 1)) / 2 ** n); }

/** libjpeg `jpeg_fdct_islow` on one block of level-shifted samples, in place; output scaled by 8. */
function fdctIslow(d: Float64Array): void {
  for (let pass = 0; pass < 2; pass++) {
    const step = pass === 0 ? 1 : 8;
    const stride = pass === 0 ? 8 : 1;
    for (let r = 0; r < 8; r++) {
      const o = r * stride;
      const a0 = d[o] as number; const a1 = d[o + step] as number; const a2 = d[o + 2 * step] as number;
      const a3 = d[o + 3 * step] as number; const a4 = d[o + 4 * step] as number; const a5 = d[o + 5 * step] as number;
      const a6 = d[o + 6 * step] as number; const a7 = d[o + 7 * step] as number;
      const tmp0 = a0 + a7; const tmp7 = a0 - a7;
      const tmp1 = a1 + a6; const tmp6 = a1 - a6;
      const tmp2 = a2 + a5; const tmp5 = a2 - a5;
      const tmp3 = a3 + a4; const tmp4 = a3 - a4;
      const tmp10 = tmp0 + tmp3; const tmp13 = tmp0 - tmp3;
      const tmp11 = tmp1 + tmp2; const tmp12 = tmp1 - tmp2;
      const sh = pass === 0 ? CONST_BITS - PASS1_BITS : CONST_BITS + PASS1_BITS;
      d[o] = pass === 0 ? (tmp10 + tmp11) * 4 : descale(tmp10 + tmp11, PASS1_BITS);
      d[o + 4 * step] = pass === 0 ? (tmp10 - tmp11) * 4 : descale(tmp10 - tmp11, PASS1_BITS);
      const z1e = (tmp12 + tmp13) * F0_541;
      d[o + 2 * step] = descale(z1e + tmp13 * F0_765, sh);
      d[o + 6 * step] = descale(z1e - tmp12 * F1_847, sh);
      const z5 = (tmp4 + tmp6 + tmp5 + tmp7) * F1_175;
      const z1 = -(tmp4 + tmp7) * F0_899; const z2 = -(tmp5 + tmp6) * F2_562;
      const z3 = -(tmp4 + tmp6) * F1_961 + z5; const z4 = -(tmp5 + tmp7) * F0_390 + z5;
      d[o + 7 * step] = descale(tmp4 * F0_298 + z1 + z3, sh);
      d[o + 5 * step] = descale(tmp5 * F2_053 + z2 + z4, sh);
      d[o + 3 * step] = descale(tmp6 * F3_072 + z2 + z3, sh);
      d[o + 1 * step] = descale(tmp7 * F1_501 + z1 + z4, sh);
    }
  }
}

/** libjpeg `jpeg_idct_islow` on dequantised coefficients, in place; output are level-shifted samples 0..255. */
function idctIslow(d: Float64Array, ws: Float64Array): void {
  for (let pass = 0; pass < 2; pass++) {
    const src = pass === 0 ? d : ws;
    const dst = pass === 0 ? ws : d;
    const step = pass === 0 ? 8 : 1;
    const stride = pass === 0 ? 1 : 8;
    for (let r = 0; r < 8; r++) {
      const o = r * stride;
      const a0 = src[o] as number; const a1 = src[o + step] as number; const a2 = src[o + 2 * step] as number;
      const a3 = src[o + 3 * step] as number; const a4 = src[o + 4 * step] as number; const a5 = src[o + 5 * step] as number;
      const a6 = src[o + 6 * step] as number; const a7 = src[o + 7 * step] as number;
      const z1e = (a2 + a6) * F0_541;
      const tmp2e = z1e - a6 * F1_847;
      const tmp3e = z1e + a2 * F0_765;
      const tmp0e = (a0 + a4) * 8192;
      const tmp1e = (a0 - a4) * 8192;
      const tmp10 = tmp0e + tmp3e; const tmp13 = tmp0e - tmp3e;
      const tmp11 = tmp1e + tmp2e; const tmp12 = tmp1e - tmp2e;
      let tmp0 = a7; let tmp1 = a5; let tmp2 = a3; let tmp3 = a1;
      const z5 = (tmp0 + tmp2 + tmp1 + tmp3) * F1_175;
      const z1 = -(tmp0 + tmp3) * F0_899; const z2 = -(tmp1 + tmp2) * F2_562;
      const z3 = -(tmp0 + tmp2) * F1_961 + z5; const z4 = -(tmp1 + tmp3) * F0_390 + z5;
      tmp0 = tmp0 * F0_298 + z1 + z3; tmp1 = tmp1 * F2_053 + z2 + z4;
      tmp2 = tmp2 * F3_072 + z2 + z3; tmp3 = tmp3 * F1_501 + z1 + z4;
      const sh = pass === 0 ? CONST_BITS - PASS1_BITS : CONST_BITS + PASS1_BITS + 3;
      const lo = pass === 0 ? -Infinity : 0;
      const hi = pass === 0 ? Infinity : 255;
      const add = pass === 0 ? 0 : 128;
      dst[o] = Math.min(hi, Math.max(lo, descale(tmp10 + tmp3, sh) + add));
      dst[o + 7 * step] = Math.min(hi, Math.max(lo, descale(tmp10 - tmp3, sh) + add));
      dst[o + step] = Math.min(hi, Math.max(lo, descale(tmp11 + tmp2, sh) + add));
      dst[o + 6 * step] = Math.min(hi, Math.max(lo, descale(tmp11 - tmp2, sh) + add));
      dst[o + 2 * step] = Math.min(hi, Math.max(lo, descale(tmp12 + tmp1, sh) + add));
      dst[o + 5 * step] = Math.min(hi, Math.max(lo, descale(tmp12 - tmp1, sh) + add));
      dst[o + 3 * step] = Math.min(hi, Math.max(lo, descale(tmp13 + tmp0, sh) + add));
      dst[o + 4 * step] = Math.min(hi, Math.max(lo, descale(tmp13 - tmp0, sh) + add));
    }
  }
}

/**
 * libjpeg-turbo's `compute_reciprocal` (jcdctmgr.c, 16-bit DCTELEM): quantisation is
 * floor((|x| + corr)·fq / 2^r), which equals round-half-up division except in rare cases. O(1).
 */
function reciprocal(divisor: number): [number, number, number] {
  const b = Math.floor(Math.log2(divisor));
  let r = 16 + b;
  let fq = Math.floor(2 ** r / divisor);
  const fr = 2 ** r % divisor;
  let c = Math.floor(divisor / 2);
  if (fr === 0) { fq = Math.floor(fq / 2); r--; } else if (fr <= Math.floor(divisor / 2)) c++; else fq++;
  return [fq, c, r];
}

/**
 * In-place lossy step on one 8×8 block of level-shifted samples: libjpeg's integer forward DCT, quantise
 * (libjpeg-turbo's reciprocal multiplication), dequantise, integer inverse DCT; leaves samples 0..255.
 */
function roundTripBlock(block: Float64Array, table: Int32Array, recip: Float64Array, tmp: Float64Array): void {
  fdctIslow(block);
  for (let i = 0; i < 64; i++) {
    const c = block[i] as number;
    const k = Math.floor(((Math.abs(c) + (recip[64 + i] as number)) * (recip[i] as number)) / (recip[128 + i] as number));
    block[i] = (c < 0 ? -k : k) * (table[i] as number);
  }
  idctIslow(block, tmp);
}

/** The reciprocal table of a quantisation table: [fq × 64, corr × 64, 2^r × 64]. O(64). */
function reciprocalTable(table: Int32Array): Float64Array {
  const t = new Float64Array(192);
  for (let i = 0; i < 64; i++) {
    const [fq, corr, r] = reciprocal((table[i] as number) * 8);
    t[i] = fq; t[64 + i] = corr; t[128 + i] = 2 ** r;
  }
  return t;
}

/** Round-trips one plane (w×h, values 0..255) in place, padding blocks by edge replication. */
function roundTripPlane(plane: Float64Array, w: number, h: number, table: Int32Array): void {
  const block = new Float64Array(64);
  const tmp = new Float64Array(64);
  const recip = reciprocalTable(table);
  for (let by = 0; by < h; by += 8) for (let bx = 0; bx < w; bx += 8) {
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
      const yy = Math.min(by + y, h - 1);
      const xx = Math.min(bx + x, w - 1);
      block[y * 8 + x] = (plane[yy * w + xx] as number) - 128;
    }
    roundTripBlock(block, table, recip, tmp);
    for (let y = 0; y < 8 && by + y < h; y++) for (let x = 0; x < 8 && bx + x < w; x++) {
      plane[(by + y) * w + bx + x] = block[y * 8 + x] as number;
    }
  }
}

/** libjpeg's FIX(x) for 16-bit colour conversion. */
function fix(x: number): number { return Math.floor(x * 65536 + 0.5); }
const HALF = 32768;
const CBCR_OFFSET = 128 * 65536;

function byteOf(v: number): number { return Math.min(255, Math.max(0, Math.round(v * 255))); }

/**
 * libjpeg h2v2 fancy upsampling of a cw×ch plane (row stride `stride`) to full size W×H (triangle filter,
 * edge samples replicated).
 */
function upsample(src: Float64Array, stride: number, cw: number, ch: number, dst: Float64Array, W: number, H: number): void {
  for (let oy = 0; oy < H; oy++) {
    const r0 = oy >> 1;
    const r1 = Math.min(ch - 1, Math.max(0, (oy & 1) === 0 ? r0 - 1 : r0 + 1));
    for (let ox = 0; ox < W; ox++) {
      const c0 = ox >> 1;
      const c1 = Math.min(cw - 1, Math.max(0, (ox & 1) === 0 ? c0 - 1 : c0 + 1));
      const near = 3 * (src[r0 * stride + c0] as number) + (src[r1 * stride + c0] as number);
      const far = 3 * (src[r0 * stride + c1] as number) + (src[r1 * stride + c1] as number);
      dst[oy * W + ox] = Math.floor((3 * near + far + ((ox & 1) === 0 ? 8 : 7)) / 16);
    }
  }
}

/**
 * JPEG round trip at `quality` (1..100) with Pillow's defaults (baseline IJG tables, 4:2:0 for RGB).
 * Output values are k/255. O(W·H·C·8).
 * @example
 * import { imageFromU8 } from '../image.js';
 * const flat = imageFromU8(new Uint8Array(8 * 8 * 3).fill(128), 8, 8, 3); // a flat image stays exactly 128
 * jpegRoundTrip(flat, 10).data // => flat.data
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
  // Chroma blocks are filled from the edge-replicated full-resolution plane (jcsample.c expand_right_edge),
  // so the padding columns of a partial chroma block are not copies of the last chroma column.
  const cwPad = Math.ceil(cw / 8) * 8;
  const cb = new Float64Array(cwPad * chh);
  const cr = new Float64Array(cwPad * chh);
  const fullCb = new Float64Array(W * H);
  const fullCr = new Float64Array(W * H);
  for (let i = 0; i < W * H; i++) {
    const r = byteOf(s[3 * i] as number);
    const g = byteOf(s[3 * i + 1] as number);
    const b = byteOf(s[3 * i + 2] as number);
    // jccolor.c rgb_ycc_convert, 16-bit fixed point.
    Y[i] = Math.floor((fix(0.299) * r + fix(0.587) * g + fix(0.114) * b + HALF) / 65536);
    fullCb[i] = Math.floor((-fix(0.16874) * r - fix(0.33126) * g + fix(0.5) * b + CBCR_OFFSET + HALF - 1) / 65536);
    fullCr[i] = Math.floor((fix(0.5) * r - fix(0.41869) * g - fix(0.08131) * b + CBCR_OFFSET + HALF - 1) / 65536);
  }
  for (let y = 0; y < chh; y++) for (let x = 0; x < cwPad; x++) {
    const y0 = 2 * y; const y1 = Math.min(2 * y + 1, H - 1);
    const x0 = Math.min(2 * x, W - 1); const x1 = Math.min(2 * x + 1, W - 1);
    const bias = (x & 1) === 0 ? 1 : 2;
    cb[y * cwPad + x] = Math.floor(((fullCb[y0 * W + x0] as number) + (fullCb[y0 * W + x1] as number) + (fullCb[y1 * W + x0] as number) + (fullCb[y1 * W + x1] as number) + bias) / 4);
    cr[y * cwPad + x] = Math.floor(((fullCr[y0 * W + x0] as number) + (fullCr[y0 * W + x1] as number) + (fullCr[y1 * W + x0] as number) + (fullCr[y1 * W + x1] as number) + bias) / 4);
  }
  roundTripPlane(Y, W, H, lumaT);
  roundTripPlane(cb, cwPad, chh, chromaT);
  roundTripPlane(cr, cwPad, chh, chromaT);
  upsample(cb, cwPad, cw, chh, fullCb, W, H);
  upsample(cr, cwPad, cw, chh, fullCr, W, H);
  for (let i = 0; i < W * H; i++) {
    const yv = Y[i] as number;
    const cbv = (fullCb[i] as number) - 128;
    const crv = (fullCr[i] as number) - 128;
    // jdcolor.c ycc_rgb_convert tables.
    const r = yv + Math.floor((fix(1.402) * crv + HALF) / 65536);
    const g = yv + Math.floor((-fix(0.34414) * cbv + HALF - fix(0.71414) * crv) / 65536);
    const b = yv + Math.floor((fix(1.772) * cbv + HALF) / 65536);
    o[3 * i] = Math.min(255, Math.max(0, r)) / 255;
    o[3 * i + 1] = Math.min(255, Math.max(0, g)) / 255;
    o[3 * i + 2] = Math.min(255, Math.max(0, b)) / 255;
  }
  return out;
}
