/**
 * Colour views in torchvision's tensor semantics (f domain, float32 storage): greyscale with the
 * tensor weights 0.2989/0.587/0.114 (ITU-R 601 luma), and the four ColorJitter ops (brightness,
 * contrast, saturation, hue), each clamping to [0, 1] immediately. Spec: views-and-corruptions §1.3–1.4.
 */
import { createImage, type Image } from './image.js';

/** torchvision's `rgb_to_grayscale` tensor weights (they sum to 0.9999). */
export const LUMA_WEIGHTS: readonly [number, number, number] = [0.2989, 0.587, 0.114];

/**
 * ITU-R 601 luma of a 3-channel image written into 3 channels (torchvision `Grayscale(3)`, tensor path).
 * A 1-channel image is returned unchanged (1 channel), as torchvision does; callers must report that
 * as an identity. Cost O(W·H).
 * @example greyscale(pixel (1, 0, 0)) // (0.2989, 0.2989, 0.2989)
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
  const s = img.data;
  const o = out.data;
  for (let i = 0; i < s.length; i++) o[i] = clamp(factor * (s[i] as number));
  return out;
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
 * @example adjustContrast(img, 1) // equals img
 */
export function adjustContrast(img: Image, factor: number): Image {
  const m = Math.fround(meanLuma(img));
  const out = createImage(img.width, img.height, img.channels);
  const s = img.data;
  const o = out.data;
  const k = (1 - factor) * m;
  for (let i = 0; i < s.length; i++) o[i] = clamp(factor * (s[i] as number) + k);
  return out;
}

/**
 * Saturation: blend each pixel with its own luma: clamp(s·x + (1−s)·L) (torchvision `adjust_saturation`).
 * A grey image is returned unchanged (an identity; the caller reports it). O(W·H).
 */
export function adjustSaturation(img: Image, factor: number): Image {
  if (img.channels === 1) return img;
  const out = createImage(img.width, img.height, 3);
  const s = img.data;
  const o = out.data;
  const n = img.width * img.height;
  for (let i = 0; i < n; i++) {
    const r = s[3 * i] as number;
    const g = s[3 * i + 1] as number;
    const b = s[3 * i + 2] as number;
    const l = (1 - factor) * Math.fround(0.2989 * r + 0.587 * g + 0.114 * b);
    o[3 * i] = clamp(factor * r + l);
    o[3 * i + 1] = clamp(factor * g + l);
    o[3 * i + 2] = clamp(factor * b + l);
  }
  return out;
}

/**
 * Hue: RGB → HSV (torchvision `_rgb2hsv`), H' = mod1(H + h), back to RGB (`_hsv2rgb`).
 * `factor` must lie in [−0.5, 0.5]. A grey image is returned unchanged (an identity). O(W·H).
 * @example adjustHue(pixel (1, 0, 0), 1/3) // ≈ (0, 1, 0)
 */
export function adjustHue(img: Image, factor: number): Image {
  if (img.channels === 1) return img;
  const out = createImage(img.width, img.height, 3);
  const s = img.data;
  const o = out.data;
  const n = img.width * img.height;
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
  return out;
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
 * Applies ColorJitter with explicit parameters, ops in `order`, each clamping (order matters).
 * Returns the image and the ops that were identities on a grey image ('saturation', 'hue').
 * Cost O(W·H·C) per op.
 */
export function colourJitter(img: Image, p: JitterParams): { image: Image; identities: string[] } {
  let cur = img;
  const identities: string[] = [];
  for (const op of p.order) {
    if (op === 0) cur = adjustBrightness(cur, p.brightness);
    else if (op === 1) cur = adjustContrast(cur, p.contrast);
    else if (op === 2) { if (cur.channels === 1) identities.push('saturation'); else cur = adjustSaturation(cur, p.saturation); }
    else if (op === 3) { if (cur.channels === 1) identities.push('hue'); else cur = adjustHue(cur, p.hue); }
  }
  return { image: cur, identities };
}
