/**
 * Noise corruptions (Hendrycks & Dietterich 2019, ImageNet-C / CIFAR-10-C; spec §2.2.1–2.2.3). Inputs and
 * outputs are f-domain images; outputs are clipped to [0, 1] (the caller quantises). Random fields are
 * drawn one value per element in C-order (y, x, c).
 */
import { createImage, type Image } from '../image.js';
import { poisson, type RandomSource } from '../random.js';

function clamp(v: number): number { return v < 0 ? 0 : v > 1 ? 1 : v; }

/**
 * Gaussian noise: clip(x + σ·z), z ~ N(0, 1) per element. O(W·H·C).
 * @example
 * import { createImage } from '../image.js';
 * const z15 = { random: () => 0.5, uniform: (lo: number) => lo, normal: () => 1.5 }; // a source whose every z is 1.5
 * gaussianNoise(createImage(1, 1, 1, Float32Array.of(100 / 255)), 0.04, z15).data[0]! * 255 // ~> 115.30
 */
export function gaussianNoise(img: Image, sigma: number, rng: RandomSource): Image {
  const out = createImage(img.width, img.height, img.channels);
  const s = img.data;
  const o = out.data;
  for (let i = 0; i < s.length; i++) o[i] = clamp((s[i] as number) + sigma * rng.normal());
  return out;
}

/**
 * Shot (Poisson) noise: clip(k / c), k ~ Poisson(x·c) per element. O(W·H·C) expected.
 * @example
 * import { createImage } from '../image.js';
 * import { Rng } from '../../math/rng.js';
 * const v = shotNoise(createImage(1, 1, 1, Float32Array.of(200 / 255)), 50, new Rng(0)).data[0]!; // k / 50 for a count k
 * Math.abs(v * 50 - Math.round(v * 50)) < 1e-5 // => true
 */
export function shotNoise(img: Image, photons: number, rng: RandomSource): Image {
  const out = createImage(img.width, img.height, img.channels);
  const s = img.data;
  const o = out.data;
  for (let i = 0; i < s.length; i++) o[i] = clamp(poisson(rng, (s[i] as number) * photons) / photons);
  return out;
}

/**
 * Salt-and-pepper noise as scikit-image `random_noise(mode='s&p', amount, salt_vs_pepper=0.5)`: a first
 * uniform field U1 picks the flipped elements (U1 ≤ amount), a second U2 picks salt (U2 ≤ 0.5 → 1) or
 * pepper (0). Per element, channels independent. Allocates one byte mask. O(W·H·C).
 */
export function impulseNoise(img: Image, amount: number, rng: RandomSource): Image {
  const out = createImage(img.width, img.height, img.channels);
  const s = img.data;
  const o = out.data;
  const flip = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) flip[i] = rng.random() <= amount ? 1 : 0;
  for (let i = 0; i < s.length; i++) {
    const salt = rng.random() <= 0.5;
    o[i] = flip[i] === 1 ? (salt ? 1 : 0) : (s[i] as number);
  }
  return out;
}
