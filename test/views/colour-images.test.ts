/**
 * calibra's colour views on colour images: tinted Fashion-MNIST images (the coloured benchmark's pixels)
 * against torchvision 0.14's tensor ops restated in torch, and SciPy's rotation
 * (scripts/golden/coloured_reference.py → test/golden/coloured.json), plus what the views must do on
 * colour input: no identities, the greyscale view removes the tint, the hue jitter moves it.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { colourJitter, greyscale } from '../../src/views/colour.js';
import { rotateBilinear, rotateRightAngle } from '../../src/views/geometric.js';
import { createImage, type Image } from '../../src/views/image.js';
import { applyView, viewSpecs } from '../../src/views/registry.js';
import { imageRng } from '../../src/views/seed.js';
import { classHue, makeDataset, tintBytes, tintColour } from '../../src/datasets/index.js';
import { computeViewsLogits, type ImageClassifier } from '../../src/inference/views-pipeline.js';
import type { Matrix } from '../../src/math/matrix.js';

const golden = JSON.parse(readFileSync(new URL('../golden/coloured.json', import.meta.url), 'utf8')) as {
  images: string;
  tint: { hues: (number | null)[]; tinted: string[] };
  rotation: { angle: number; image: number; float32: string }[];
  views: { image: number; greyscale: string; jitter: { params: { order: number[]; brightness: number; contrast: number; saturation: number; hue: number }; result: string }[] }[];
};
const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
const floats = (b64: string): Float32Array => { const b = Buffer.from(b64, 'base64'); return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.length)); };
const greyBytes = bytes(golden.images);
const PX = 28 * 28;

/** Golden tinted image k as a float image (bytes / 255 in float32, as ImageDataset.image does). */
function tinted(k: number): Image {
  const b = bytes(golden.tint.tinted[k] as string);
  const img = createImage(28, 28, 3);
  for (let i = 0; i < b.length; i++) img.data[i] = (b[i] as number) / 255;
  return img;
}
function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}
/** Hue in [0, 1) of pixel p of an RGB float image (hexcone), NaN for grey. */
function hueAt(img: Image, p: number): number {
  const r = img.data[3 * p] as number, g = img.data[3 * p + 1] as number, b = img.data[3 * p + 2] as number;
  const mx = Math.max(r, g, b), mn = Math.min(r, g, b);
  if (mx - mn < 1e-6) return Number.NaN;
  const d = mx - mn;
  const h = mx === r ? (g - b) / d : mx === g ? 2 + (b - r) / d : 4 + (r - g) / d;
  return ((h / 6) % 1 + 1) % 1;
}
const hueDist = (a: number, b: number): number => { const d = Math.abs(a - b) % 1; return Math.min(d, 1 - d); };

describe('colour views on tinted Fashion-MNIST images (torchvision 0.14 ops restated in torch, golden)', () => {
  for (const v of golden.views) {
    it(`greyscale and three ColorJitter draws on image ${v.image} (hue ${String(golden.tint.hues[v.image])}) agree to 2e-6`, () => {
      const img = tinted(v.image);
      expect(maxAbsDiff(greyscale(img).data, floats(v.greyscale))).toBeLessThan(2e-6);
      for (const j of v.jitter) {
        const res = colourJitter(img, j.params);
        expect(res.identities).toEqual([]);
        expect(maxAbsDiff(res.image.data, floats(j.result)), JSON.stringify(j.params)).toBeLessThan(2e-6);
      }
    });
  }
});

describe('rotateBilinear (SciPy ndimage.rotate order 1, constant 0, golden)', () => {
  it('matches scipy on tinted images at 30, -45, 17.3 and -8.25 degrees', () => {
    for (const r of golden.rotation) {
      expect(maxAbsDiff(rotateBilinear(tinted(r.image), r.angle).data, floats(r.float32)), `angle ${r.angle}`).toBeLessThan(1e-6);
    }
  });
  it('is the right-angle rotation view at multiples of 90 on square images, and the identity at 0', () => {
    const img = tinted(2);
    for (const a of [0, 90, -90, 180, 270]) expect(Array.from(rotateBilinear(img, a).data)).toEqual(Array.from(rotateRightAngle(img, a).data));
  });
  it('writes into out and rejects a bad out or angle', () => {
    const img = tinted(1);
    const out = createImage(28, 28, 3);
    expect(rotateBilinear(img, 12, out)).toBe(out);
    expect(() => rotateBilinear(img, 12, img)).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => rotateBilinear(img, Number.NaN)).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
});

describe('what the CA views do on colour images', () => {
  // Class 2's hue (0.2, yellow-green) on image 0.
  const grey = greyBytes.subarray(0, PX);
  const px = new Uint8Array(PX * 3);
  tintBytes(grey, 0, PX, tintColour(classHue(2)), px, 0);
  const img = createImage(28, 28, 3);
  for (let i = 0; i < px.length; i++) img.data[i] = (px[i] as number) / 255;
  const bright: number[] = [];
  for (let p = 0; p < PX; p++) if ((grey[p] as number) > 100) bright.push(p);

  it('greyscale removes the tint: equal channels, L = luma of the tint times the grey value, not an identity', () => {
    const r = applyView('greyscale', img, imageRng(0, 'greyscale', 0));
    expect(r.identityOnGrey).toBe(false);
    expect(r.identities).toEqual([]);
    const [tr, tg, tb] = tintColour(classHue(2));
    for (let p = 0; p < PX; p++) {
      const d = r.image.data;
      expect(d[3 * p]).toBe(d[3 * p + 1]);
      expect(d[3 * p]).toBe(d[3 * p + 2]);
      expect(Math.abs((d[3 * p] as number) - (0.2989 * (px[3 * p] as number) + 0.587 * (px[3 * p + 1] as number) + 0.114 * (px[3 * p + 2] as number)) / 255)).toBeLessThan(1e-6);
      // ≈ grey · luma(tint), up to the byte rounding of the tint
      expect(Math.abs((d[3 * p] as number) - ((grey[p] as number) / 255) * (0.2989 * tr + 0.587 * tg + 0.114 * tb))).toBeLessThan(1 / 255);
    }
  });
  it('a hue-only jitter moves every foreground pixel\'s hue by the factor (0.2 → 0.27, 0.2 → 0.11)', () => {
    for (const h of [0.07, -0.09]) {
      const r = colourJitter(img, { order: [3, 0, 1, 2], brightness: 1, contrast: 1, saturation: 1, hue: h });
      for (const p of bright) expect(hueDist(hueAt(r.image, p), classHue(2) + h), `pixel ${p}`).toBeLessThan(0.005);
    }
  });
  it('a sampled jitter draw keeps all four ops (no identities) and changes the pixels; saturation 0 gives the greyscale view', () => {
    for (let i = 0; i < 20; i++) {
      const r = applyView('colour-jitter', img, imageRng(5, 'colour-jitter', i));
      expect(r.identities).toEqual([]);
      expect(r.params['identityOps']).toBeUndefined();
      expect(maxAbsDiff(r.image.data, img.data)).toBeGreaterThan(0.01);
    }
    const s0 = viewSpecs['colour-jitter'].apply(img, { order: [2, 0, 1, 3], brightness: 1, contrast: 1, saturation: 0, hue: 0 });
    expect(maxAbsDiff(s0.image.data, greyscale(img).data)).toBeLessThan(1e-6);
  });
  it('the views pipeline runs every view on a 3-channel dataset (greyscale logits differ from the original\'s)', async () => {
    const ds = makeDataset({ name: 'c', width: 28, height: 28, channels: 3, pixels: px, labels: Int32Array.of(2), classes: Array.from({ length: 10 }, (_, i) => String(i)), source: '-', note: '' });
    // A stand-in classifier: logits = mean of each channel (3 "classes").
    const clf: ImageClassifier = {
      logits(count, getImage): Promise<Matrix<Float64Array>> {
        const data = new Float64Array(count * 3);
        for (let i = 0; i < count; i++) {
          const im = getImage(i);
          for (let p = 0; p < im.width * im.height; p++) for (let c = 0; c < 3; c++) data[i * 3 + c] = (data[i * 3 + c] as number) + (im.data[3 * p + c] as number) / PX;
        }
        return Promise.resolve({ data, rows: count, cols: 3 });
      },
    };
    const run = await computeViewsLogits(clf, ds, { views: ['rotation', 'greyscale', 'colorjitter'], seed: 0 });
    expect(run.notes).toEqual([]);
    const [rotation, greyV, jitter] = run.views.logits as [Matrix<Float64Array>, Matrix<Float64Array>, Matrix<Float64Array>];
    // rotation by a right angle keeps each channel's mean exactly (a permutation)
    for (let c = 0; c < 3; c++) expect(rotation.data[c]).toBeCloseTo(run.original.data[c] as number, 12);
    // greyscale: the three channel means become equal
    expect(greyV.data[0]).toBeCloseTo(greyV.data[1] as number, 12);
    expect(run.original.data[2]).toBe(0); // class 2's tint has no blue; its grey view does
    expect(greyV.data[2]).toBeGreaterThan(0.05);
    expect(maxAbsDiff(Float32Array.from(jitter.data), Float32Array.from(run.original.data))).toBeGreaterThan(1e-3);
  });
});
