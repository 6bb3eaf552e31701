/**
 * Colour views in torchvision's tensor semantics (f domain, float32 storage): greyscale with the
 * tensor weights 0.2989/0.587/0.114 (ITU-R 601 luma), and the four ColorJitter ops (brightness,
 * contrast, saturation, hue), each clamping to [0, 1] immediately. Spec: views-and-corruptions §1.3–1.4.
 */
import { createImage, type Image } from './image.js';
import { CalibraError } from '../errors.js';

/** torchvision's `rgb_to_grayscale` tensor weights (they sum to 0.9999). */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.2989, 0.587, 0.114];

/**
 * ITU-R 601 luma of a 3-channel image written into 3 channels (torchvision `Grayscale(3)`, tensor path).
 * A 1-channel image is returned unchanged (1 channel), as torchvision does; callers must report that
 * as an identity. Cost O(W·H).
 * @example
 * import { createImage } from './image.js';
 * greyscale(createImage(1, 1, 3, Float32Array.of(1, 0, 0))).data // ~> [0.2989, 0.2989, 0.2989]
 */
export function greyscale(img: Image): Image {
  if (img.channels === 1) return img;
  const out = createImage(img.width, img.height, 3);
  const s = img.data;
  const o = out.data;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const l = 0.2989 * (s[3 * i] as number) + 0.587 * (s[3 * i + 1] as number) + 0.114 * (s[3 * i + 2] as number);
    o[3 * i] = l; o[3 * i + 1] = l; o[3 * i + 2] = l;
  }
  return out;
}

function clamp(v: number): number { return v < 0 ? 0 : v > 1 ? 1 : v; }

/** Brightness: clamp(b·x, 0, 1) (torchvision `adjust_brightness`). O(W·H·C). */
export function adjustBrightness(img: Image, factor: number): Image {
  const out = createImage(img.width, img.height, img.channels);
  brightnessInto(img.data, out.data, factor);
  return out;
}

function brightnessInto(s: Float32Array, o: Float32Array, factor: number): void {
  for (let i = 0; i < s.length; i++) o[i] = clamp(factor * (s[i] as number));
}

/** Mean of the greyscale image (one scalar), accumulated in float64 over float32 luma values. */
export function meanLuma(img: Image): number {
  const s = img.data;
  let sum = 0;
  if (img.channels === 1) {
    for (let i = 0; i < s.length; i++) sum += s[i] as number;
    return sum / s.length;
  }
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    sum += Math.fround(0.2989 * (s[3 * i] as number) + 0.587 * (s[3 * i + 1] as number) + 0.114 * (s[3 * i + 2] as number));
  }
  return sum / n;
}

/**
 * Contrast: blend with the image's mean luma m: clamp(c·x + (1−c)·m) (torchvision `adjust_contrast`).
 * Works on grey images too (m = plain mean). O(W·H·C).
 * @example
 * import { createImage } from './image.js';
 * const img = createImage(2, 1, 3, Float32Array.of(0.1, 0.2, 0.3, 0.9, 0.8, 0.7));
 * adjustContrast(img, 1).data // => img.data
 */
export function adjustContrast(img: Image, factor: number): Image {
  const out = createImage(img.width, img.height, img.channels);
  contrastInto(img, out.data, factor);
  return out;
}

/** Contrast from `img` into `o` (may be `img.data`: the mean is taken before any write). */
function contrastInto(img: Image, o: Float32Array, factor: number): void {
  const m = Math.fround(meanLuma(img));
  const s = img.data;
  const k = (1 - factor) * m;
  for (let i = 0; i < s.length; i++) o[i] = clamp(factor * (s[i] as number) + k);
}

/**
 * Saturation: blend each pixel with its own luma: clamp(s·x + (1−s)·L) (torchvision `adjust_saturation`).
 * A grey image is returned unchanged (an identity; the caller reports it). O(W·H).
 */
export function adjustSaturation(img: Image, factor: number): Image {
  if (img.channels === 1) return img;
  const out = createImage(img.width, img.height, 3);
  saturationInto(img.data, out.data, factor);
  return out;
}

/** Saturation of RGB values `s` into `o` (may be `s`: each pixel is read before it is written). */
function saturationInto(s: Float32Array, o: Float32Array, factor: number): void {
  const n = s.length / 3;
  for (let i = 0; i < n; i++) {
    const r = s[3 * i] as number;
    const g = s[3 * i + 1] as number;
    const b = s[3 * i + 2] as number;
    const l = (1 - factor) * Math.fround(0.2989 * r + 0.587 * g + 0.114 * b);
    o[3 * i] = clamp(factor * r + l);
    o[3 * i + 1] = clamp(factor * g + l);
    o[3 * i + 2] = clamp(factor * b + l);
  }
}

/**
 * Hue: RGB → HSV (torchvision `_rgb2hsv`), H' = mod1(H + h), back to RGB (`_hsv2rgb`).
 * `factor` must lie in [−0.5, 0.5]. A grey image is returned unchanged (an identity). O(W·H).
 * @example
 * import { createImage } from './image.js';
 * adjustHue(createImage(1, 1, 3, Float32Array.of(1, 0, 0)), 1 / 3).data // ~> [0.00000, 1.00000, 0.00000]
 */
export function adjustHue(img: Image, factor: number): Image {
  if (img.channels === 1) return img;
  const out = createImage(img.width, img.height, 3);
  hueInto(img.data, out.data, factor);
  return out;
}

/** Hue shift of RGB values `s` into `o` (may be `s`: each pixel is read before it is written). */
function hueInto(s: Float32Array, o: Float32Array, factor: number): void {
  const n = s.length / 3;
  for (let i = 0; i < n; i++) {
    const r = s[3 * i] as number;
    const g = s[3 * i + 1] as number;
    const b = s[3 * i + 2] as number;
    const maxc = Math.max(r, g, b);
    const minc = Math.min(r, g, b);
    const eqc = maxc === minc;
    const cr = maxc - minc;
    const sat = Math.fround(cr / (eqc ? 1 : maxc));
    const div = eqc ? 1 : cr;
    const rc = (maxc - r) / div;
    const gc = (maxc - g) / div;
    const bc = (maxc - b) / div;
    let h: number;
    if (maxc === r) h = bc - gc;
    else if (maxc === g) h = 2 + rc - bc;
    else h = 4 + gc - rc;
    h = (h / 6 + 1) % 1;
    h = Math.fround(h + factor);
    h = ((h % 1) + 1) % 1;
    const v = maxc;
    const h6 = Math.fround(h * 6);
    const fi = Math.floor(h6);
    const f = h6 - fi;
    const p = clamp(v * (1 - sat));
    const q = clamp(v * (1 - sat * f));
    const t = clamp(v * (1 - sat * (1 - f)));
    let ro: number, go: number, bo: number;
    switch (((fi % 6) + 6) % 6) {
      case 0: ro = v; go = t; bo = p; break;
      case 1: ro = q; go = v; bo = p; break;
      case 2: ro = p; go = v; bo = t; break;
      case 3: ro = p; go = q; bo = v; break;
      case 4: ro = t; go = p; bo = v; break;
      default: ro = v; go = p; bo = q; break;
    }
    o[3 * i] = ro; o[3 * i + 1] = go; o[3 * i + 2] = bo;
  }
}

/**
 * HSV → RGB in float64, Python's `colorsys.hsv_to_rgb` step for step; the hue is taken modulo 1 first.
 * (The jitter's hue op keeps torchvision's float32 path in `hueInto`; this one is for building images.)
 * O(1).
 * @example hsvToRgb(1 / 3, 1, 1) // ~> [0.0000000, 1.0000000, 0.0000000]
 */
export function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  if (s === 0) return [v, v, v];
  const hh = h - Math.floor(h);
  const i = Math.trunc(hh * 6);
  const f = hh * 6 - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  switch (i % 6) {
    case 0: return [v, t, p];
    case 1: return [q, v, p];
    case 2: return [p, v, t];
    case 3: return [p, q, v];
    case 4: return [t, p, v];
    default: return [v, p, q];
  }
}

/** The parameters of one ColorJitter draw: op order (0 brightness, 1 contrast, 2 saturation, 3 hue) and factors. */
export interface JitterParams {
  readonly order: readonly number[];
  readonly brightness: number;
  readonly contrast: number;
  readonly saturation: number;
  readonly hue: number;
}

/**
 * Brightness and contrast of a grey image in either order, in two passes with the values of the op-by-op
 * functions: brightness first keeps the float32 results and sums them for the contrast mean in one pass;
 * contrast first takes the mean, then applies contrast (rounded to float32, as stored) and brightness.
 */
function greyBrightnessContrast(s: Float32Array, o: Float32Array, brightnessFirst: boolean, b: number, c: number): void {
  const n = s.length;
  let sum = 0;
  if (brightnessFirst) {
    for (let i = 0; i < n; i++) { o[i] = clamp(b * (s[i] as number)); sum += o[i] as number; }
    const k = (1 - c) * Math.fround(sum / n);
    for (let i = 0; i < n; i++) o[i] = clamp(c * (o[i] as number) + k);
  } else {
    for (let i = 0; i < n; i++) sum += s[i] as number;
    const k = (1 - c) * Math.fround(sum / n);
    for (let i = 0; i < n; i++) o[i] = clamp(b * Math.fround(clamp(c * (s[i] as number) + k)));
  }
}

/**
 * Applies ColorJitter with explicit parameters, ops in `order`, each clamping (order matters).
 * Returns the image and the ops that were identities on a grey image ('saturation', 'hue').
 * The first op that changes pixels writes into `out` (or a new image), the rest work in place there, so
 * one buffer serves the whole draw; `img` is never modified. With no pixel op (impossible for a valid
 * order) the input itself is returned. Cost O(W·H·C) per op, no allocation when `out` is given.
 */
export function colourJitter(img: Image, p: JitterParams, out?: Image): { image: Image; identities: string[] } {
  if (out !== undefined && (out === img || out.data === img.data || out.width !== img.width || out.height !== img.height || out.channels !== img.channels)) {
    throw new CalibraError('E_SHAPE', `colourJitter: 'out' must be a separate ${img.width}×${img.height}×${img.channels} image`);
  }
  if (img.channels === 1) {
    // Grey: saturation and hue are identities, brightness and contrast are fused into two passes.
    const identities = p.order.filter((op) => op === 2 || op === 3).map((op) => (op === 2 ? 'saturation' : 'hue'));
    const dst = out ?? createImage(img.width, img.height, 1);
    greyBrightnessContrast(img.data, dst.data, p.order.indexOf(0) < p.order.indexOf(1), p.brightness, p.contrast);
    return { image: dst, identities };
  }
  let cur = img;
  const identities: string[] = [];
  const target = (): Image => (cur === img ? out ?? createImage(img.width, img.height, img.channels) : cur);
  for (const op of p.order) {
    if ((op === 2 || op === 3) && cur.channels === 1) { identities.push(op === 2 ? 'saturation' : 'hue'); continue; }
    const dst = target();
    if (op === 0) brightnessInto(cur.data, dst.data, p.brightness);
    else if (op === 1) contrastInto(cur, dst.data, p.contrast);
    else if (op === 2) saturationInto(cur.data, dst.data, p.saturation);
    else if (op === 3) hueInto(cur.data, dst.data, p.hue);
    else continue;
    cur = dst;
  }
  return { image: cur, identities };
}
