/**
 * Blur corruptions (spec §2.2.4–2.2.6): defocus (disk kernel smoothed by a small Gaussian, OpenCV
 * filter2D semantics), motion (ImageMagick MotionBlurImage's one-sided kernel, bit-exact reconstruction)
 * and zoom (average of centre zooms, SciPy zoom order 1). f-domain in and out.
 */
import { createImage, roundHalfEven, type Image } from '../image.js';
import { borderIndex } from '../filter.js';

function clamp(v: number): number { return v < 0 ? 0 : v > 1 ? 1 : v; }

/** A sparse 2-D kernel: taps (dy, dx, weight) with non-negligible weight. */
export interface SparseKernel { readonly dy: Int32Array; readonly dx: Int32Array; readonly w: Float64Array }

/**
 * The defocus kernel of hendrycks' `disk(radius, alias_blur)`: a normalised disk on the grid
 * [−L, L]² (L = 8, or ceil(radius) above 8), then OpenCV GaussianBlur with a 3×3 (radius ≤ 8) or 5×5
 * window and σ = alias, reflect-101 at the grid border, not renormalised. Taps below 1e-12 are dropped.
 * O(L²).
 */
export function defocusKernel(radius: number, alias: number): SparseKernel {
  const L = radius <= 8 ? 8 : Math.ceil(radius);
  const side = 2 * L + 1;
  const ksize = radius <= 8 ? 3 : 5;
  const grid = new Float64Array(side * side);
  let count = 0;
  for (let y = -L; y <= L; y++) for (let x = -L; x <= L; x++) if (x * x + y * y <= radius * radius) count++;
  for (let y = -L; y <= L; y++) for (let x = -L; x <= L; x++) if (x * x + y * y <= radius * radius) grid[(y + L) * side + x + L] = 1 / count;
  const g = new Float64Array(ksize);
  const half = (ksize - 1) / 2;
  let gs = 0;
  for (let i = 0; i < ksize; i++) { g[i] = Math.exp(-((i - half) ** 2) / (2 * alias * alias)); gs += g[i] as number; }
  for (let i = 0; i < ksize; i++) g[i] = (g[i] as number) / gs;
  const tmp = new Float64Array(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    let acc = 0;
    for (let t = 0; t < ksize; t++) acc += (g[t] as number) * (grid[borderIndex(y + t - half, side, 'reflect') * side + x] as number);
    tmp[y * side + x] = acc;
  }
  const dy: number[] = [];
  const dx: number[] = [];
  const w: number[] = [];
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    let acc = 0;
    for (let t = 0; t < ksize; t++) acc += (g[t] as number) * (tmp[y * side + borderIndex(x + t - half, side, 'reflect')] as number);
    if (acc > 1e-12) { dy.push(y - L); dx.push(x - L); w.push(acc); }
  }
  return { dy: Int32Array.from(dy), dx: Int32Array.from(dx), w: Float64Array.from(w) };
}

/**
 * Cross-correlates each channel with a sparse kernel, reflect-101 border (OpenCV's default), then
 * clips to [0, 1]. O(W·H·C·taps).
 */
export function applySparseKernel(img: Image, k: SparseKernel): Image {
  const { width: W, height: H, channels: C } = img;
  const s = img.data;
  const out = createImage(W, H, C);
  const o = out.data;
  let L = 0;
  for (let t = 0; t < k.w.length; t++) L = Math.max(L, Math.abs(k.dy[t] as number), Math.abs(k.dx[t] as number));
  const span = 2 * L + 1;
  const rowIdx = new Int32Array(H * span);
  for (let y = 0; y < H; y++) for (let d = -L; d <= L; d++) rowIdx[y * span + d + L] = borderIndex(y + d, H, 'reflect');
  const colIdx = new Int32Array(W * span);
  for (let x = 0; x < W; x++) for (let d = -L; d <= L; d++) colIdx[x * span + d + L] = borderIndex(x + d, W, 'reflect');
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) {
    let acc = 0;
    for (let t = 0; t < k.w.length; t++) {
      const yy = rowIdx[y * span + (k.dy[t] as number) + L] as number;
      const xx = colIdx[x * span + (k.dx[t] as number) + L] as number;
      acc += (k.w[t] as number) * (s[(yy * W + xx) * C + c] as number);
    }
    o[(y * W + x) * C + c] = clamp(acc);
  }
  return out;
}

/** Defocus blur with the kernel of `defocusKernel(radius, alias)`. O(W·H·C·taps). */
export function defocusBlur(img: Image, radius: number, alias: number): Image {
  return applySparseKernel(img, defocusKernel(radius, alias));
}

/**
 * ImageMagick 6 `MotionBlurImage(radius, sigma, angle)` kernel: K = 2·ceil(radius)+1 one-sided taps,
 * w_i ∝ exp(−i²/(2σ²)), offsets ox_i = ceil(i·cos a − 0.5), oy_i = ceil(i·sin a − 0.5) computed with IM's
 * own expression. O(K).
 */
export function motionKernel(radius: number, sigma: number, angleDeg: number): SparseKernel {
  const K = 2 * Math.ceil(radius) + 1;
  const a = (Math.PI * angleDeg) / 180;
  const px = K * Math.sin(a);
  const py = K * Math.cos(a);
  const hyp = Math.hypot(px, py);
  const w = new Float64Array(K);
  const dx = new Int32Array(K);
  const dy = new Int32Array(K);
  let sum = 0;
  for (let i = 0; i < K; i++) {
    w[i] = Math.exp(-(i * i) / (2 * sigma * sigma));
    sum += w[i] as number;
    dx[i] = Math.ceil((i * py) / hyp - 0.5);
    dy[i] = Math.ceil((i * px) / hyp - 0.5);
  }
  for (let i = 0; i < K; i++) w[i] = (w[i] as number) / sum;
  return { dy, dx, w };
}

/**
 * Motion blur along `angleDeg` (x right, y down), edge-replicating reads, summed in the 0..255 domain
 * and quantised like ImageMagick Q16: out = floor(roundHalfUp(257·m)/257). Output values are k/255.
 * @example
 * import { imageFromU8 } from '../image.js';
 * const edge = imageFromU8(Uint8Array.from({ length: 64 }, (_, i) => (i % 16 < 8 ? 0 : 200)), 16, 4, 1); // 4×16 step edge
 * Array.from(motionBlur(edge, 6, 2, 0).data.slice(0, 9), (v) => Math.round(v * 255)) // => [0, 0, 0, 3, 12, 34, 74, 133, 200]
 */
export function motionBlur(img: Image, radius: number, sigma: number, angleDeg: number): Image {
  const k = motionKernel(radius, sigma, angleDeg);
  const { width: W, height: H, channels: C } = img;
  const s = img.data;
  const out = createImage(W, H, C);
  const o = out.data;
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) {
    let m = 0;
    for (let t = 0; t < k.w.length; t++) {
      const yy = borderIndex(y + (k.dy[t] as number), H, 'edge');
      const xx = borderIndex(x + (k.dx[t] as number), W, 'edge');
      m += (k.w[t] as number) * Math.round((s[(yy * W + xx) * C + c] as number) * 255);
    }
    const q = Math.min(255, Math.floor(Math.floor(257 * m + 0.5) / 257));
    o[(y * W + x) * C + c] = q / 255;
  }
  return out;
}

/**
 * The zoom factors of `np.arange(1, stop, step)`: 1 + k·δ with δ = (1 + step) − 1 as NumPy computes it
 * (0.010000000000000009 for 0.01), k = 0..count−1. The δ matters: 26·1.2500000000000002 rounds to 33.
 */
export function zoomFactors(count: number, step: number): Float64Array {
  const z = new Float64Array(count);
  const delta = 1 + step - 1;
  for (let k = 0; k < count; k++) z[k] = 1 + k * delta;
  return z;
}

/**
 * hendrycks' `clipped_zoom`: crop the centre ceil(N/z) square (per axis), resize it to
 * roundHalfEven(ch·z) with corner-aligned linear interpolation (SciPy `zoom(order=1)`), crop the centre
 * back to the input size, and add the result into `acc` (float64, HWC). O(W·H·C).
 */
export function addClippedZoom(img: Image, z: number, acc: Float64Array): void {
  const { width: W, height: H, channels: C } = img;
  const s = img.data;
  const chH = Math.ceil(H / z);
  const chW = Math.ceil(W / z);
  const topH = Math.floor((H - chH) / 2);
  const topW = Math.floor((W - chW) / 2);
  const nH = roundHalfEven(chH * z);
  const nW = roundHalfEven(chW * z);
  const trimH = Math.floor((nH - H) / 2);
  const trimW = Math.floor((nW - W) / 2);
  const sy = nH > 1 ? (chH - 1) / (nH - 1) : 0;
  const sx = nW > 1 ? (chW - 1) / (nW - 1) : 0;
  for (let y = 0; y < H; y++) {
    const py = (y + trimH) * sy;
    const y0 = Math.min(Math.floor(py), chH - 1);
    const y1 = Math.min(y0 + 1, chH - 1);
    const fy = py - y0;
    for (let x = 0; x < W; x++) {
      const px = (x + trimW) * sx;
      const x0 = Math.min(Math.floor(px), chW - 1);
      const x1 = Math.min(x0 + 1, chW - 1);
      const fx = px - x0;
      for (let c = 0; c < C; c++) {
        const v00 = s[((topH + y0) * W + topW + x0) * C + c] as number;
        const v01 = s[((topH + y0) * W + topW + x1) * C + c] as number;
        const v10 = s[((topH + y1) * W + topW + x0) * C + c] as number;
        const v11 = s[((topH + y1) * W + topW + x1) * C + c] as number;
        const top = v00 + (v01 - v00) * fx;
        const bot = v10 + (v11 - v10) * fx;
        const i = (y * W + x) * C + c;
        acc[i] = (acc[i] as number) + top + (bot - top) * fy;
      }
    }
  }
}

/**
 * Zoom blur: (x + Σ_z clipped_zoom(x, z)) / (count + 1), clipped. O(count·W·H·C).
 * @example
 * import { createImage } from '../image.js';
 * const flat = createImage(8, 8, 3, new Float32Array(8 * 8 * 3).fill(0.5)); // a flat image stays flat
 * Array.from(new Set(zoomBlur(flat, zoomFactors(3, 0.02)).data)) // ~> [0.5000]
 */
export function zoomBlur(img: Image, zooms: Float64Array): Image {
  const acc = new Float64Array(img.data.length);
  for (let k = 0; k < zooms.length; k++) addClippedZoom(img, zooms[k] as number, acc);
  const out = createImage(img.width, img.height, img.channels);
  const o = out.data;
  const s = img.data;
  for (let i = 0; i < s.length; i++) o[i] = clamp(((s[i] as number) + (acc[i] as number)) / (zooms.length + 1));
  return out;
}
