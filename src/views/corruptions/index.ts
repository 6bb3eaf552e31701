/**
 * Corruptions for shifted test sets in the style of CIFAR-10-C / ImageNet-C (Hendrycks & Dietterich 2019,
 * arXiv:1903.12261) and MNIST-C (Mu & Gilmer 2019, arXiv:1906.02337), at severities 1..5.
 * `applyCorruption(name, severity, image, rng)` returns the corrupted image (quantised to bytes by
 * truncation, as the released datasets are) and the draws it used.
 */
import { CalibraError } from '../../errors.js';
import { createImage, type Image } from '../image.js';
import type { RandomSource } from '../random.js';
import type { ViewParams } from '../registry.js';
import * as P from './params.js';
import type { SeverityTable } from './params.js';
import { gaussianNoise, impulseNoise, shotNoise } from './noise.js';
import { brightness, contrast, fogWithMap, plasmaFractal } from './photometric.js';
import { defocusBlur, motionBlur, zoomBlur, zoomFactors } from './blur.js';
import { pixelate } from './pixelate.js';
import { jpegRoundTrip } from './jpeg.js';
import { elasticWithDraws, sampleElasticDraws } from './elastic.js';

export type { SeverityTable } from './params.js';

/** Every corruption id, in the CIFAR-10-C order. */
export const corruptionIds = [
  'gaussian_noise', 'shot_noise', 'impulse_noise', 'defocus_blur', 'motion_blur', 'zoom_blur',
  'fog', 'brightness', 'contrast', 'elastic_transform', 'pixelate', 'jpeg_compression',
] as const;

/** One corruption id. */
export type CorruptionId = (typeof corruptionIds)[number];

/** Options for `applyCorruption`. */
export interface CorruptionOptions {
  /** Severity table. Default: 'mnist' (= ImageNet-C levels) for 1-channel images, 'cifar' for RGB. */
  readonly table?: SeverityTable;
  /** Truncate the result to bytes (k/255) like the released datasets. Default true. */
  readonly quantize?: boolean;
}

/** What a corruption returns. */
export interface CorruptionResult {
  readonly image: Image;
  /** name, severity, table, the level's parameters and any random draw worth storing (e.g. angle). */
  readonly params: ViewParams;
}

/** A parsed `name:severity` id. */
export interface CorruptionSpec { readonly name: CorruptionId; readonly severity: number }

/**
 * Parses 'gaussian_noise:3' (severity defaults to 3 when omitted; '-' may stand for '_').
 * Throws E_OPTION naming the valid names or severities.
 * @example parseCorruptionId('motion-blur:5') // => { name: 'motion_blur', severity: 5 }
 */
export function parseCorruptionId(text: string): CorruptionSpec {
  const [rawName = '', rawSev, extra] = text.trim().split(':');
  const name = rawName.toLowerCase().replace(/-/g, '_');
  if (!(corruptionIds as readonly string[]).includes(name)) {
    throw new CalibraError('E_OPTION', `unknown corruption '${rawName}'`, { where: `'${text}'`, fix: `use NAME:SEVERITY with NAME one of ${corruptionIds.join(', ')}` });
  }
  const severity = rawSev === undefined ? 3 : Number(rawSev);
  if (extra !== undefined || !Number.isInteger(severity) || severity < 1 || severity > 5) {
    throw new CalibraError('E_OPTION', `corruption severity must be an integer 1..5, got '${rawSev ?? ''}${extra !== undefined ? ':' + extra : ''}'`, { where: `'${text}'`, fix: `e.g. ${name}:3` });
  }
  return { name: name as CorruptionId, severity };
}

function nextPow2(n: number): number { let p = 1; while (p < n) p *= 2; return p; }

function quantizeTrunc(img: Image): Image {
  const out = createImage(img.width, img.height, img.channels);
  const s = img.data;
  for (let i = 0; i < s.length; i++) out.data[i] = Math.min(255, Math.floor((s[i] as number) * 255 + 1e-4)) / 255;
  return out;
}

function run(name: CorruptionId, sev: number, img: Image, rng: RandomSource, table: SeverityTable): { image: Image; params: Record<string, number | string | readonly number[]> } {
  switch (name) {
    case 'gaussian_noise': { const s = P.level(P.GAUSSIAN_NOISE, table, sev); return { image: gaussianNoise(img, s, rng), params: { sigma: s } }; }
    case 'shot_noise': { const c = P.level(P.SHOT_NOISE, table, sev); return { image: shotNoise(img, c, rng), params: { photons: c } }; }
    case 'impulse_noise': { const a = P.level(P.IMPULSE_NOISE, table, sev); return { image: impulseNoise(img, a, rng), params: { amount: a } }; }
    case 'defocus_blur': { const [r, al] = P.level(P.DEFOCUS_BLUR, table, sev); return { image: defocusBlur(img, r, al), params: { radius: r, alias: al } }; }
    case 'motion_blur': {
      const [r, s] = P.level(P.MOTION_BLUR, table, sev);
      const angle = rng.uniform(-45, 45);
      return { image: motionBlur(img, r, s, angle), params: { radius: r, sigma: s, angle } };
    }
    case 'zoom_blur': { const [n, st] = P.level(P.ZOOM_BLUR, table, sev); return { image: zoomBlur(img, zoomFactors(n, st)), params: { zooms: n, step: st } }; }
    case 'fog': {
      const [s, decay] = P.level(P.FOG, table, sev);
      const size = table === 'mnist' ? Math.max(256, nextPow2(Math.max(img.width, img.height))) : nextPow2(Math.max(img.width, img.height));
      return { image: fogWithMap(img, s, plasmaFractal(size, decay, rng), size), params: { strength: s, decay, mapSize: size } };
    }
    case 'brightness': { const c = P.level(P.BRIGHTNESS, table, sev); return { image: brightness(img, c), params: { shift: c } }; }
    case 'contrast': { const c = P.level(P.CONTRAST, table, sev); return { image: contrast(img, c), params: { factor: c } }; }
    case 'elastic_transform': {
      const [alpha, sigma, affine] = P.level(P.ELASTIC, table, sev);
      const draws = sampleElasticDraws(rng, img.height, img.width, affine);
      return { image: elasticWithDraws(img, alpha, sigma, draws, table === 'mnist'), params: { alpha, sigma, affine, affineNoise: Array.from(draws.affineNoise) } };
    }
    case 'pixelate': { const c = P.level(P.PIXELATE, table, sev); return { image: pixelate(img, c), params: { factor: c } }; }
    case 'jpeg_compression': { const q = P.level(P.JPEG_QUALITY, table, sev); return { image: jpegRoundTrip(img, q), params: { quality: q } }; }
  }
}

/**
 * Applies corruption `name` at `severity` (1..5) with draws from `rng` (use one per image:
 * `imageRng(seed, 'gaussian_noise:3', index)`). Cost O(W·H·C) for most; blurs multiply by their taps.
 * @example
 * import { createImage } from '../image.js';
 * import { Rng } from '../../math/rng.js';
 * applyCorruption('contrast', 1, createImage(2, 2, 3), new Rng(0), {table: 'cifar'}).params // => { name: 'contrast', severity: 1, table: 'cifar', factor: 0.75 }
 */
export function applyCorruption(name: CorruptionId | string, severity: number, image: Image, rng: RandomSource, opts: CorruptionOptions = {}): CorruptionResult {
  const spec = parseCorruptionId(`${name}:${severity}`);
  const table: SeverityTable = opts.table ?? (image.channels === 1 ? 'mnist' : 'cifar');
  const { image: raw, params } = run(spec.name, spec.severity, image, rng, table);
  const out = opts.quantize === false ? raw : quantizeTrunc(raw);
  return { image: out, params: { name: spec.name, severity: spec.severity, table, ...params } };
}
