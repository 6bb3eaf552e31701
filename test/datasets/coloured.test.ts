import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  COLOURED_FMNIST, COLOURED_SETS, classHue, colourFashionMnist, drawTint, loadDataset, makeDataset, parseDatasetSpec,
  tintBytes, tintColour, type ColouredSet,
} from '../../src/datasets/index.js';
import { imageRng } from '../../src/views/seed.js';
import { rotateBilinear } from '../../src/views/geometric.js';
import { createImage, imageToU8 } from '../../src/views/image.js';
import { isCalibraError } from '../../src/errors.js';

/** Golden values from scripts/golden/coloured_reference.py (colorsys, SciPy, torch; no calibra code). */
const golden = JSON.parse(readFileSync(new URL('../golden/coloured.json', import.meta.url), 'utf8')) as {
  images: string; labels: number[];
  tint: { hues: (number | null)[]; tinted: string[] };
  rotation: { angle: number; hue: number | null; image: number; bytes: string }[];
};
const bytes = (b64: string): Uint8Array => new Uint8Array(Buffer.from(b64, 'base64'));
const greyImages = bytes(golden.images);
const PX = 28 * 28;

/** Hue of an RGB byte triple in [0, 1) (standard hexcone formula), NaN for grey. */
function hueOf(r: number, g: number, b: number): number {
  const mx = Math.max(r, g, b), mn = Math.min(r, g, b);
  if (mx === mn) return Number.NaN;
  const d = mx - mn;
  const h = mx === r ? (g - b) / d : mx === g ? 2 + (b - r) / d : 4 + (r - g) / d;
  return ((h / 6) % 1 + 1) % 1;
}
const hueDist = (a: number, b: number): number => { const d = Math.abs(a - b) % 1; return Math.min(d, 1 - d); };

describe('tint (against colorsys, golden)', () => {
  it('matches floor(g·hsv_to_rgb(h, 1, 1) + 0.5) byte for byte on 6 Fashion-MNIST images, grey = replicated', () => {
    golden.tint.hues.forEach((h, k) => {
      const out = new Uint8Array(PX * 3);
      tintBytes(greyImages, k * PX, PX, h === null ? null : tintColour(h), out, 0);
      expect(Array.from(out)).toEqual(Array.from(bytes(golden.tint.tinted[k] as string)));
    });
  });
  it('gives the class hues pure colours: class 0 red, class 5 cyan (h = 0.5)', () => {
    expect(tintColour(classHue(0))).toEqual([1, 0, 0]);
    expect(tintColour(classHue(5))).toEqual([0, 1, 1]);
    const [r, g, b] = tintColour(classHue(1));
    expect(r).toBe(1); expect(g).toBeCloseTo(0.6, 12); expect(b).toBe(0);
  });
});

describe('rotated set geometry (against SciPy ndimage.rotate, golden)', () => {
  it('rotates the tinted bytes like scipy (order 1, constant 0) and rounds half up to bytes', () => {
    for (const r of golden.rotation) {
      const tinted = new Uint8Array(PX * 3);
      tintBytes(greyImages, r.image * PX, PX, r.hue === null ? null : tintColour(r.hue), tinted, 0);
      const expected = bytes(r.bytes);
      // rotateBilinear on floats is checked in test/views/colour-images.test.ts; here the bytes end to end.
      let maxDiff = 0, differ = 0;
      const got = rotateBytes(tinted, r.angle);
      for (let i = 0; i < got.length; i++) {
        const d = Math.abs((got[i] as number) - (expected[i] as number));
        maxDiff = Math.max(maxDiff, d);
        if (d !== 0) differ++;
      }
      expect(maxDiff, `angle ${r.angle}`).toBeLessThanOrEqual(1);
      // Only exact .5 ties (float32 vs float64 inputs) may round apart.
      expect(differ, `angle ${r.angle}`).toBeLessThanOrEqual(3);
    }
  });
});

function rotateBytes(tinted: Uint8Array, angle: number): Uint8Array {
  const img = createImage(28, 28, 3);
  for (let k = 0; k < tinted.length; k++) img.data[k] = (tinted[k] as number) / 255;
  return imageToU8(rotateBilinear(img, angle), 'roundHalfUp');
}

describe('drawTint', () => {
  const draws = (set: ColouredSet, n: number, seed = 0) => Array.from({ length: n }, (_, i) => drawTint(imageRng(seed, 'coloured-fmnist:test', i), i % 10, set));
  it('in distribution: the class hue (± 0.02) with probability 0.9, otherwise another class\'s hue', () => {
    const n = 20000;
    const d = draws('test', n);
    let agree = 0;
    const otherCounts = new Array<number>(10).fill(0);
    d.forEach((t, i) => {
      const label = i % 10;
      expect(t.angle).toBe(0);
      expect(hueDist(t.hue as number, classHue(t.hueClass))).toBeLessThanOrEqual(COLOURED_FMNIST.hueNoise + 1e-12);
      if (t.hueClass === label) agree++;
      else otherCounts[(t.hueClass - label + 10) % 10]! += 1;
    });
    // Binomial(20000, 0.9): sd 42; 5 sd either way.
    expect(Math.abs(agree - 0.9 * n)).toBeLessThan(5 * Math.sqrt(n * 0.9 * 0.1));
    expect(otherCounts[0]).toBe(0);
    // The other class is uniform over the 9: each offset about 2000 / 9 = 222 (sd ≈ 14).
    for (let k = 1; k < 10; k++) expect(Math.abs((otherCounts[k] as number) - (n - agree) / 9)).toBeLessThan(80);
  });
  it('uses the same per-image draws in every test set: permuted = class +5, shift = +0.05, rotated = ID hue plus an angle', () => {
    const id = draws('test', 2000);
    const perm = draws('permuted-hue', 2000);
    const shift = draws('colour-shift', 2000);
    const rot = draws('rotated', 2000);
    const rnd = draws('random-hue', 2000);
    const grey = draws('grey', 2000);
    let agreePerm = 0;
    const angles: number[] = [];
    id.forEach((t, i) => {
      expect(perm[i]?.hueClass).toBe((t.hueClass + 5) % 10);
      expect(hueDist(shift[i]?.hue as number, (t.hue as number) + 0.05)).toBeLessThan(1e-12);
      expect(rot[i]?.hue).toBe(t.hue);
      expect(Math.abs(rot[i]?.angle as number)).toBeLessThanOrEqual(45);
      angles.push(rot[i]?.angle as number);
      expect(rnd[i]?.hueClass).toBe(-1);
      expect(grey[i]).toEqual({ hue: null, hueClass: -1, angle: 0 });
      if (perm[i]?.hueClass === ((i % 10) + 5) % 10) agreePerm++;
    });
    expect(agreePerm / 2000).toBeGreaterThan(0.86);
    expect(Math.min(...angles)).toBeLessThan(-40);
    expect(Math.max(...angles)).toBeGreaterThan(40);
  });
  it('random-hue: hues uniform on [0, 1) and independent of the class (10 bins chi-square)', () => {
    const d = draws('random-hue', 20000);
    const agreeBins = new Array<number>(10).fill(0);
    d.forEach((t, i) => { agreeBins[(Math.floor((t.hue as number) * 10 + 0.5) - (i % 10) + 20) % 10]! += 1; });
    const e = 2000;
    const chi2 = agreeBins.reduce((s, c) => s + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(33); // chi-square(9) 0.9999 quantile ≈ 33.7
  });
  it('is a function of (seed, index) only and changes with the seed', () => {
    const a = draws('test', 50, 3);
    expect(draws('test', 50, 3)).toEqual(a);
    expect(draws('test', 50, 4)).not.toEqual(a);
  });
});

describe('colourFashionMnist builder', () => {
  const base = makeDataset({ name: 'g', width: 28, height: 28, channels: 1, pixels: greyImages, labels: Int32Array.from(golden.labels), classes: Array.from({ length: 10 }, (_, i) => String(i)), source: '-', note: '' });
  const orig = Int32Array.of(7, 3, 1000, 42, 9999, 5);
  it('tints each image with its drawn hue (pixels = tintBytes of the draw) and keeps the labels', () => {
    const b = colourFashionMnist({ base, rows: [0, 1, 2, 3, 4, 5], originalIndex: orig, set: 'test', seed: 1, name: 'x', note: '' });
    expect(b.dataset.channels).toBe(3);
    expect(Array.from(b.dataset.labels)).toEqual(golden.labels);
    for (let i = 0; i < 6; i++) {
      const d = drawTint(imageRng(1, 'coloured-fmnist:test', orig[i] as number), golden.labels[i] as number, 'test');
      expect(b.hues[i]).toBe(d.hue);
      const want = new Uint8Array(PX * 3);
      tintBytes(greyImages, i * PX, PX, tintColour(d.hue as number), want, 0);
      expect(Array.from(b.dataset.pixels.subarray(i * PX * 3, (i + 1) * PX * 3))).toEqual(Array.from(want));
      // The foreground's hue is the drawn hue (bright pixels, where byte rounding is negligible).
      let n = 0;
      for (let p = 0; p < PX; p++) {
        const r = b.dataset.pixels[i * PX * 3 + 3 * p] as number, g = b.dataset.pixels[i * PX * 3 + 3 * p + 1] as number, bl = b.dataset.pixels[i * PX * 3 + 3 * p + 2] as number;
        if (Math.max(r, g, bl) < 100) continue;
        expect(hueDist(hueOf(r, g, bl), d.hue as number)).toBeLessThan(0.01);
        n++;
      }
      expect(n).toBeGreaterThan(30);
    }
  });
  it('grey set: 3 equal channels equal to the original bytes; rotated set: the rotated ID image', () => {
    const g = colourFashionMnist({ base, rows: [0, 1], originalIndex: orig, set: 'grey', seed: 0, name: 'x', note: '' });
    for (let p = 0; p < 2 * PX; p++) for (let c = 0; c < 3; c++) expect(g.dataset.pixels[3 * p + c]).toBe(greyImages[p]);
    const id = colourFashionMnist({ base, rows: [2], originalIndex: orig, set: 'test', seed: 0, name: 'x', note: '' });
    const rot = colourFashionMnist({ base, rows: [2], originalIndex: orig, set: 'rotated', seed: 0, name: 'x', note: '' });
    expect(rot.hues[0]).toBe(id.hues[0]);
    expect(Array.from(rot.dataset.pixels)).toEqual(Array.from(rotateBytes(id.dataset.pixels, rot.angles[0] as number)));
    expect(Math.abs(rot.angles[0] as number)).toBeGreaterThan(0);
  });
  it('rejects colour input and bad rows', () => {
    const rgb = makeDataset({ name: 'c', width: 1, height: 1, channels: 3, pixels: Uint8Array.of(1, 2, 3), labels: Int32Array.of(0), classes: ['a'], source: '-', note: '' });
    expect(() => colourFashionMnist({ base: rgb, rows: [0], originalIndex: [0], set: 'test', seed: 0, name: 'x', note: '' })).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => colourFashionMnist({ base, rows: [6], originalIndex: orig, set: 'test', seed: 0, name: 'x', note: '' })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
});

describe('coloured-fmnist dataset specs and loading', () => {
  it('parses sets, seeds, aliases and the subset form; rejects the rest with E_OPTION', () => {
    expect(parseDatasetSpec('coloured-fmnist:random-hue')).toEqual({ kind: 'coloured-fmnist', set: 'random-hue', seed: 0, subsetOnly: false });
    expect(parseDatasetSpec('colored-fmnist:calibration:seed=7')).toEqual({ kind: 'coloured-fmnist', set: 'calibration', seed: 7, subsetOnly: false });
    expect(parseDatasetSpec('coloured-fmnist-subset:grey')).toEqual({ kind: 'coloured-fmnist', set: 'grey', seed: 0, subsetOnly: true });
    expect(parseDatasetSpec('coloured-fmnist')).toMatchObject({ set: 'test' });
    for (const bad of ['coloured-fmnist:val', 'coloured-fmnist:test:7', 'coloured-fmnist:test:seed=-1', 'coloured-fmnist:test:seed=1:x']) {
      try { parseDatasetSpec(bad); expect.unreachable(bad); } catch (e) { expect(isCalibraError(e, 'E_OPTION'), bad).toBe(true); }
    }
  });
  it('committed subset: every set loads with 3 channels; train/calibration split at original index 50 000; images match the full set\'s tint', async () => {
    const meta = JSON.parse(readFileSync(new URL('../../data/fashion-mnist-subset/indices.json', import.meta.url), 'utf8')) as { train: number[]; test: number[] };
    const counts: Record<string, number> = {};
    for (const set of COLOURED_SETS) {
      const ds = await loadDataset(`coloured-fmnist-subset:${set}`);
      expect(ds.channels).toBe(3);
      expect(ds.name).toBe(`coloured-fmnist-subset:${set}`);
      counts[set] = ds.count;
    }
    expect(counts['train']).toBe(meta.train.filter((i) => i < 50000).length);
    expect(counts['calibration']).toBe(meta.train.filter((i) => i >= 50000).length);
    expect(counts['test']).toBe(2000);
    // Tint keyed by original index: subset test image 0 (original meta.test[0]) gets the full set's draw.
    const ds = await loadDataset('coloured-fmnist-subset:test:seed=2');
    const d = drawTint(imageRng(2, 'coloured-fmnist:test', meta.test[0] as number), ds.labels[0] as number, 'test');
    const grey = await loadDataset('fashion-mnist-subset:test');
    const want = new Uint8Array(PX * 3);
    tintBytes(grey.pixels, 0, PX, tintColour(d.hue as number), want, 0);
    expect(Array.from(ds.pixels.subarray(0, PX * 3))).toEqual(Array.from(want));
  });
});
