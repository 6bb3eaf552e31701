/**
 * The registry of views (label-preserving transforms used by correctness-aware calibration, Liu et al.
 * 2024, arXiv:2404.13016; transforms as in liuyvchi/Vicinal-Risk-Proxy). Each view is a pure function
 * of (image, params) plus a sampler that draws params from a per-image Rng; `applyView` returns the
 * params it drew so they can be stored, and says when a colour op was an identity on a grey image.
 */
import type { Rng } from '../math/rng.js';
import { CalibraError } from '../errors.js';
import type { Image } from './image.js';
import { ROTATION_ANGLES, horizontalFlip, rotateRightAngle } from './geometric.js';
import { colourJitter, greyscale, type JitterParams } from './colour.js';
import { gaussianBlur } from './filter.js';
import { erase, sampleEraseParams } from './erasing.js';

/** The ids of all views. The CA paper trains on 'rotation', 'greyscale' and 'colour-jitter'. */
export const viewIds = ['rotation', 'greyscale', 'colour-jitter', 'gaussian-blur', 'random-erasing', 'horizontal-flip'] as const;

/** One view id. */
export type ViewId = (typeof viewIds)[number];

/** The draws a view used, as stored in a views manifest (plain JSON values). */
export type ViewParams = Readonly<Record<string, number | string | boolean | readonly number[]>>;

/** What a view returns. */
export interface ViewResult {
  /** The transformed image (same width, height and channel count as the input). */
  readonly image: Image;
  /** The random draws used, e.g. `{angle: 90}`. */
  readonly params: ViewParams;
  /** True when the whole view left the image unchanged because it is grey (greyscale on a 1-channel image). */
  readonly identityOnGrey: boolean;
  /** The colour ops skipped as identities on a grey image ('greyscale', 'saturation', 'hue'). */
  readonly identities: readonly string[];
}

/** A view's definition: summary for docs and `--help`, sampler and pure apply. */
export interface ViewSpec {
  readonly id: ViewId;
  readonly summary: string;
  /** Draws this view's parameters for an image of the given size, in the reference draw order. */
  sample(rng: Rng, height: number, width: number): ViewParams;
  /**
   * Applies the view with explicit parameters; `img` is never modified. Rotation and colour jitter write
   * into `out` when given (a separate image of the same shape, reused by the caller across images), so the
   * returned image may be `out` (or `img` itself for identities); the other views allocate their result.
   */
  apply(img: Image, params: ViewParams, out?: Image): ViewResult;
}

function num(params: ViewParams, key: string, view: string): number {
  const v = params[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new CalibraError('E_OPTION', `view '${view}': parameter '${key}' must be a finite number, got ${JSON.stringify(v)}`);
  }
  return v;
}

function plain(image: Image, params: ViewParams): ViewResult {
  return { image, params, identityOnGrey: false, identities: [] };
}

const JITTER = { brightness: 0.2, contrast: 0.2, saturation: 0.2, hue: 0.1 } as const;

/** Every view's spec, by id. */
export const viewSpecs: Readonly<Record<ViewId, ViewSpec>> = {
  'rotation': {
    id: 'rotation',
    summary: 'rotate counter-clockwise by a uniform choice of -90, 90 or 180 degrees (torchvision rotate, nearest, fill 0)',
    sample: (rng) => ({ angle: ROTATION_ANGLES[rng.int(ROTATION_ANGLES.length)] as number }),
    apply: (img, p, out) => plain(rotateRightAngle(img, num(p, 'angle', 'rotation'), out), p),
  },
  'greyscale': {
    id: 'greyscale',
    summary: 'ITU-R 601 luma 0.2989R+0.587G+0.114B into 3 channels (torchvision Grayscale(3)); identity on grey images',
    sample: () => ({}),
    apply: (img, p) => img.channels === 1
      ? { image: img, params: { ...p, identityOnGrey: true }, identityOnGrey: true, identities: ['greyscale'] }
      : plain(greyscale(img), p),
  },
  'colour-jitter': {
    id: 'colour-jitter',
    summary: 'ColorJitter(brightness=0.2, contrast=0.2, saturation=0.2, hue=0.1) in a random order; saturation and hue are identities on grey images',
    sample: (rng) => {
      const order = Array.from(rng.permutation(4));
      const b = Math.fround(rng.uniform(1 - JITTER.brightness, 1 + JITTER.brightness));
      const c = Math.fround(rng.uniform(1 - JITTER.contrast, 1 + JITTER.contrast));
      const s = Math.fround(rng.uniform(1 - JITTER.saturation, 1 + JITTER.saturation));
      const h = Math.fround(rng.uniform(-JITTER.hue, JITTER.hue));
      return { order, brightness: b, contrast: c, saturation: s, hue: h };
    },
    apply: (img, p, out) => {
      const order = p['order'];
      if (!Array.isArray(order) || order.length !== 4 || [0, 1, 2, 3].some((k) => !order.includes(k))) {
        throw new CalibraError('E_OPTION', `view 'colour-jitter': parameter 'order' must be a permutation of 0..3, got ${JSON.stringify(order)}`);
      }
      const jp: JitterParams = {
        order: order as readonly number[],
        brightness: num(p, 'brightness', 'colour-jitter'),
        contrast: num(p, 'contrast', 'colour-jitter'),
        saturation: num(p, 'saturation', 'colour-jitter'),
        hue: num(p, 'hue', 'colour-jitter'),
      };
      const { image, identities } = colourJitter(img, jp, out);
      const params = identities.length > 0 ? { ...p, identityOps: identities.join(',') } : p;
      return { image, params, identityOnGrey: false, identities };
    },
  },
  'gaussian-blur': {
    id: 'gaussian-blur',
    summary: 'GaussianBlur(kernel_size=(5, 9), sigma ~ U(0.1, 5)) with mirror (reflect) padding',
    sample: (rng) => ({ sigma: Math.fround(rng.uniform(0.1, 5)) }),
    apply: (img, p) => plain(gaussianBlur(img, num(p, 'sigma', 'gaussian-blur'), 5, 9), p),
  },
  'random-erasing': {
    id: 'random-erasing',
    summary: 'RandomErasing(p=1, scale=(0.1, 0.1), ratio=(0.3, 3.3), value=0): a black rectangle of 10% of the area',
    sample: (rng, height, width) => ({ ...sampleEraseParams(rng, height, width) }),
    apply: (img, p) => {
      const e = { i: num(p, 'i', 'random-erasing'), j: num(p, 'j', 'random-erasing'), h: num(p, 'h', 'random-erasing'), w: num(p, 'w', 'random-erasing') };
      if (e.i < 0 || e.j < 0 || e.i + e.h > img.height || e.j + e.w > img.width) {
        throw new CalibraError('E_OPTION', `view 'random-erasing': rectangle ${JSON.stringify(e)} is outside the ${img.height}×${img.width} image`);
      }
      return plain(erase(img, e), p);
    },
  },
  'horizontal-flip': {
    id: 'horizontal-flip',
    summary: 'mirror left-right (RandomHorizontalFlip(p=1))',
    sample: () => ({}),
    apply: (img, p) => plain(horizontalFlip(img), p),
  },
};

/** Aliases accepted by `parseViewId` (British/American spelling, paper names). */
const ALIASES: Readonly<Record<string, ViewId>> = {
  'rotate': 'rotation', 'grey': 'greyscale', 'gray': 'greyscale', 'grayscale': 'greyscale',
  'colorjitter': 'colour-jitter', 'color-jitter': 'colour-jitter', 'colourjitter': 'colour-jitter', 'jitter': 'colour-jitter',
  'blur': 'gaussian-blur', 'erasing': 'random-erasing', 'erase': 'random-erasing', 'flip': 'horizontal-flip', 'hflip': 'horizontal-flip',
};

/**
 * Resolves a view id or alias ('grey', 'colorjitter', 'hflip' …); throws E_OPTION listing the valid ids.
 * @example parseViewId('gray') // => 'greyscale'
 */
export function parseViewId(text: string): ViewId {
  const t = text.trim().toLowerCase();
  if ((viewIds as readonly string[]).includes(t)) return t as ViewId;
  const alias = ALIASES[t];
  if (alias !== undefined) return alias;
  throw new CalibraError('E_OPTION', `unknown view '${text}'`, { fix: `use one of: ${viewIds.join(', ')}` });
}

/**
 * Draws the view's parameters from `rng` and applies it. Use one Rng per image (`imageRng(seed, id, index)`)
 * so runs are reproducible. `out` is an optional scratch image of the same shape that rotation and colour
 * jitter write into (see ViewSpec.apply). Cost: that of the view, O(W·H·C) for all but the blur.
 * @example
 * import { createImage } from './image.js';
 * import { imageRng } from './seed.js';
 * const { params } = applyView('rotation', createImage(4, 4, 1), imageRng(0, 'rotation', 0));
 * [90, 180, 270].includes(params['angle'] as number) // => true
 */
export function applyView(id: ViewId | string, image: Image, rng: Rng, out?: Image): ViewResult {
  const spec = viewSpecs[parseViewId(id)];
  return spec.apply(image, spec.sample(rng, image.height, image.width), out);
}
