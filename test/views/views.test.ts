import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assertImage, createImage, imageFromU8, imageToU8, roundHalfEven, type Image } from '../../src/views/image.js';
import { horizontalFlip, rotateRightAngle } from '../../src/views/geometric.js';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation, colourJitter, greyscale } from '../../src/views/colour.js';
import { gaussianBlur, gaussianKernel1d, borderIndex } from '../../src/views/filter.js';
import { erase, sampleEraseParams } from '../../src/views/erasing.js';
import { applyView, parseViewId, viewIds, viewSpecs } from '../../src/views/registry.js';
import { imageRng, imageSeed } from '../../src/views/seed.js';
import { isCalibraError } from '../../src/errors.js';
import { expectClose, imageOf, pixel, rowsOf } from './helpers.js';

const golden = JSON.parse(readFileSync(new URL('../golden/views.json', import.meta.url), 'utf8')) as {
  gaussian_blur: { image: number[]; shape: [number, number, number]; sigma: number; out: number[] };
};

const grid3 = imageOf([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
const rgb4 = imageOf([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [100, 150, 200]]], 255);

describe('rotation (spec §1.2 oracles)', () => {
  it('rotates a 3×3 image by +90, −90 and 180 degrees exactly', () => {
    expect(rowsOf(rotateRightAngle(grid3, 90))).toEqual([[3, 6, 9], [2, 5, 8], [1, 4, 7]]);
    expect(rowsOf(rotateRightAngle(grid3, -90))).toEqual([[7, 4, 1], [8, 5, 2], [9, 6, 3]]);
    expect(rowsOf(rotateRightAngle(grid3, 180))).toEqual([[9, 8, 7], [6, 5, 4], [3, 2, 1]]);
  });
  it('fills uncovered strips with 0 on same-parity non-square images (2×4 and 3×5)', () => {
    const a = imageOf([[1, 2, 3, 4], [5, 6, 7, 8]]);
    expect(rowsOf(rotateRightAngle(a, 90))).toEqual([[0, 3, 7, 0], [0, 2, 6, 0]]);
    expect(rowsOf(rotateRightAngle(a, -90))).toEqual([[0, 6, 2, 0], [0, 7, 3, 0]]);
    expect(rowsOf(rotateRightAngle(a, 180))).toEqual([[8, 7, 6, 5], [4, 3, 2, 1]]);
    const b = imageOf([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15]]);
    expect(rowsOf(rotateRightAngle(b, 90))).toEqual([[0, 4, 9, 14, 0], [0, 3, 8, 13, 0], [0, 2, 7, 12, 0]]);
    expect(rowsOf(rotateRightAngle(b, -90))).toEqual([[0, 12, 7, 2, 0], [0, 13, 8, 3, 0], [0, 14, 9, 4, 0]]);
  });
  it('is a permutation equal to rot90 on square RGB images, carrying channels', () => {
    const n = 5;
    const img = createImage(n, n, 3);
    for (let i = 0; i < img.data.length; i++) img.data[i] = (i % 97) / 97;
    const r = rotateRightAngle(img, 90);
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) expect(pixel(r, y, x)).toEqual(pixel(img, x, n - 1 - y));
    expect(rotateRightAngle(rotateRightAngle(img, 90), -90).data).toEqual(img.data);
  });
  it('rejects angles that are not multiples of 90 with E_OPTION', () => {
    expect(() => rotateRightAngle(grid3, 45)).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
});

describe('horizontal flip (§1.7)', () => {
  it('mirrors [[0,1,2],[3,4,5]] to [[2,1,0],[5,4,3]]', () => {
    expect(rowsOf(horizontalFlip(imageOf([[0, 1, 2], [3, 4, 5]])))).toEqual([[2, 1, 0], [5, 4, 3]]);
  });
});

describe('greyscale (§1.3)', () => {
  it('uses the torchvision tensor weights 0.2989/0.587/0.114 into 3 channels', () => {
    const g = greyscale(rgb4);
    expect(g.channels).toBe(3);
    expectClose(pixel(g, 0, 0, 255), [76.2195, 76.2195, 76.2195], 1e-3);
    expectClose(pixel(g, 0, 1, 255), [149.685, 149.685, 149.685], 1e-3);
    expectClose(pixel(g, 1, 0, 255), [29.07, 29.07, 29.07], 1e-3);
    expectClose(pixel(g, 1, 1), [0.551922, 0.551922, 0.551922], 1e-5);
    expectClose(pixel(greyscale(imageOf([[[255, 255, 255]]], 255)), 0, 0), [0.9999, 0.9999, 0.9999], 1e-6);
  });
  it('is reported as an identity on a 1-channel image (no channel replication, like torchvision)', () => {
    const grey = imageOf([[0.2, 0.4]]);
    const r = applyView('greyscale', grey, imageRng(0, 'greyscale', 0));
    expect(r.identityOnGrey).toBe(true);
    expect(r.identities).toEqual(['greyscale']);
    expect(r.image.channels).toBe(1);
    expect(r.params['identityOnGrey']).toBe(true);
  });
});

describe('colour jitter ops with fixed factors (§1.4 oracles)', () => {
  it('brightness 1.1', () => {
    expectClose(adjustBrightness(rgb4, 1.1).data, [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.431373, 0.647059, 0.862745], 1e-5);
  });
  it('contrast 0.9 blends with the mean luma 0.3879554', () => {
    expectClose(adjustContrast(rgb4, 0.9).data, [0.938796, 0.038796, 0.038796, 0.038796, 0.938796, 0.038796, 0.038796, 0.038796, 0.938796, 0.391737, 0.568207, 0.744678], 1e-5);
  });
  it('saturation 1.2', () => {
    expectClose(adjustSaturation(rgb4, 1.2).data, [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.360204, 0.595498, 0.830792], 1e-5);
  });
  it('hue +0.05 and −0.1 (wrapping red to H = 0.9)', () => {
    expectClose(adjustHue(rgb4, 0.05).data, [1, 0.3, 0, 0, 1, 0.3, 0.3, 0, 1, 0.392157, 0.470588, 0.784314], 1e-5);
    expectClose(adjustHue(rgb4, -0.1).data, [1, 0, 0.6, 0.6, 1, 0, 0, 0.6, 1, 0.392157, 0.784314, 0.745098], 1e-5);
  });
  it('composite b=1.1, c=0.9, s=1.2, h=0.05 depends on the order', () => {
    const p = { brightness: 1.1, contrast: 0.9, saturation: 1.2, hue: 0.05 };
    expectClose(colourJitter(rgb4, { ...p, order: [0, 1, 2, 3] }).image.data, [1, 0.3, 0, 0, 1, 0.3, 0.31376, 0.019656, 1, 0.396778, 0.489955, 0.86266], 1e-5);
    expectClose(colourJitter(rgb4, { ...p, order: [3, 2, 1, 0] }).image.data, [1, 0.310767, 0.048417, 0.048417, 1, 0.28182, 0.364491, 0.048417, 1, 0.418693, 0.511869, 0.884575], 1e-5);
    expectClose(colourJitter(rgb4, { ...p, order: [2, 0, 3, 1] }).image.data, [0.945396, 0.315396, 0.045396, 0.045396, 0.945396, 0.315396, 0.315397, 0.045396, 0.945396, 0.401998, 0.495174, 0.86788], 1e-5);
  });
  it('on a grey image applies contrast (0.8 → [[0.26,0.42],[0.58,0.74]]) and reports saturation and hue as identities', () => {
    const grey = imageOf([[0.2, 0.4], [0.6, 0.8]]);
    const r = colourJitter(grey, { order: [2, 1, 3, 0], brightness: 1, contrast: 0.8, saturation: 1.2, hue: 0.05 });
    expectClose(r.image.data, [0.26, 0.42, 0.58, 0.74], 1e-6);
    expect(r.identities).toEqual(['saturation', 'hue']);
    const v = applyView('colour-jitter', grey, imageRng(1, 'colour-jitter', 0));
    expect(v.identities.slice().sort()).toEqual(['hue', 'saturation']);
    expect(v.params['identityOps']).toBe(v.identities.join(','));
    expect(v.identityOnGrey).toBe(false);
  });
  it('samples factors in [0.8, 1.2] and hue in [−0.1, 0.1] with a permutation order', () => {
    for (let i = 0; i < 50; i++) {
      const p = viewSpecs['colour-jitter'].sample(imageRng(3, 'colour-jitter', i), 8, 8);
      for (const k of ['brightness', 'contrast', 'saturation']) { expect(p[k]).toBeGreaterThanOrEqual(0.8); expect(p[k]).toBeLessThanOrEqual(1.2); }
      expect(Math.abs(p['hue'] as number)).toBeLessThanOrEqual(0.1);
      expect([...(p['order'] as number[])].sort()).toEqual([0, 1, 2, 3]);
    }
  });
});

describe('gaussian blur (§1.5)', () => {
  it('builds the reference 1-D kernels', () => {
    expectClose(gaussianKernel1d(5, 1), [0.0544887, 0.2442014, 0.40262, 0.2442014, 0.0544887], 1e-7);
    expectClose(gaussianKernel1d(9, 2), [0.0276305, 0.0662822, 0.1238315, 0.1801738, 0.2041637, 0.1801738, 0.1238315, 0.0662822, 0.0276305], 1e-7);
    expectClose(gaussianKernel1d(5, 5), [0.1920506, 0.2039264, 0.208046, 0.2039264, 0.1920506], 1e-7);
    expectClose(gaussianKernel1d(9, 0.1), [0, 0, 0, 0, 1, 0, 0, 0, 0], 1e-12);
  });
  it('matches the σ = 1, kernel (5, 9) oracle on a 5×3 ramp', () => {
    const img = createImage(3, 5, 1, Float32Array.from({ length: 15 }, (_, i) => i));
    expectClose(gaussianBlur(img, 1).data, [2.8890657, 3.1827083, 3.4763503, 4.0850925, 4.3787355, 4.6723776, 6.706358, 6.999999, 7.293643, 9.327624, 9.621264, 9.9149065, 10.523646, 10.817295, 11.110933], 1e-5);
    const u8 = createImage(3, 5, 1, Float32Array.from({ length: 15 }, (_, i) => (17 * i) / 255));
    expect(Array.from(gaussianBlur(u8, 1).data, (v) => roundHalfEven(v * 255))).toEqual([49, 54, 59, 69, 74, 79, 114, 119, 124, 159, 164, 169, 179, 184, 189]);
  });
  it('gives the impulse response of the 9×5 kernel (centre 0.1606226)', () => {
    const img = createImage(9, 9, 1);
    img.data[40] = 1;
    const out = gaussianBlur(img, 1);
    expectClose([out.data[40] as number], [0.1606226], 1e-6);
    expectClose([0, 1, 2, 3, 4].map((y) => out.data[y * 9 + 4] as number), [0.0001078, 0.0017844, 0.0217379, 0.0974225, 0.1606226], 1e-7);
  });
  it('matches SciPy correlate1d (mode mirror) on an 11×7 RGB image with σ = 2.3 (golden)', () => {
    const g = golden.gaussian_blur;
    const img = createImage(g.shape[1], g.shape[0], 3, Float32Array.from(g.image));
    expectClose(gaussianBlur(img, g.sigma).data, g.out, 1e-6);
  });
  it('maps border indices like NumPy reflect / symmetric / edge', () => {
    expect([-2, -1, 3, 4].map((i) => borderIndex(i, 3, 'reflect'))).toEqual([2, 1, 1, 0]);
    expect([-2, -1, 3, 4].map((i) => borderIndex(i, 3, 'symmetric'))).toEqual([1, 0, 2, 1]);
    expect([-2, 5].map((i) => borderIndex(i, 3, 'edge'))).toEqual([0, 2]);
    expect(borderIndex(-1, 3, 'constant')).toBe(-1);
  });
});

describe('random erasing (§1.6)', () => {
  const withRatio = (r: number) => ({ random: () => 0.5, uniform: () => Math.log(r), int: () => 0 });
  it('gives the (h, w) table as a function of the aspect ratio at 32 and 224', () => {
    const rs = [0.3, 0.5, 1, 2, 3.3];
    expect(rs.map((r) => { const p = sampleEraseParams(withRatio(r), 32, 32); return [p.h, p.w]; })).toEqual([[6, 18], [7, 14], [10, 10], [14, 7], [18, 6]]);
    expect(rs.map((r) => { const p = sampleEraseParams(withRatio(r), 224, 224); return [p.h, p.w]; })).toEqual([[39, 129], [50, 100], [71, 71], [100, 50], [129, 39]]);
  });
  it('erases exactly the rectangle to 0 in every channel', () => {
    const img = createImage(4, 3, 3, new Float32Array(36).fill(0.5));
    const out = erase(img, { i: 1, j: 2, h: 2, w: 2 });
    let zeros = 0;
    for (let y = 0; y < 3; y++) for (let x = 0; x < 4; x++) {
      const inside = y >= 1 && x >= 2;
      expect(pixel(out, y, x)).toEqual(inside ? [0, 0, 0] : [0.5, 0.5, 0.5]);
      if (inside) zeros++;
    }
    expect(zeros).toBe(4);
  });
});

function randomImage(w: number, h: number, c: 1 | 3, seed: number): Image {
  const rng = imageRng(seed, 'test-image', 0);
  const img = createImage(w, h, c);
  for (let i = 0; i < img.data.length; i++) img.data[i] = rng.random();
  return img;
}

describe('view registry', () => {
  it('resolves aliases and rejects unknown ids with E_OPTION listing the ids', () => {
    expect(parseViewId('gray')).toBe('greyscale');
    expect(parseViewId('colorjitter')).toBe('colour-jitter');
    try { parseViewId('sharpen'); expect.unreachable(); } catch (e) {
      expect(isCalibraError(e, 'E_OPTION')).toBe(true);
      expect((e as Error & { fix: string }).fix).toContain('rotation');
    }
  });
  it.each([...viewIds])('%s is deterministic per (seed, index), keeps the shape and stays in [0, 1]', (id) => {
    for (const c of [1, 3] as const) {
      const img = randomImage(12, 12, c, 5);
      const a = applyView(id, img, imageRng(42, id, 7));
      const b = applyView(id, img, imageRng(42, id, 7));
      expect(a.params).toEqual(b.params);
      expect(a.image.data).toEqual(b.image.data);
      expect([a.image.width, a.image.height, a.image.channels]).toEqual([12, 12, c]);
      expect(a.image.data.findIndex((v) => !(v >= 0 && v <= 1))).toBe(-1);
      const again = viewSpecs[id].apply(img, a.params);
      expect(again.image.data).toEqual(a.image.data);
    }
  });
  it('draws rotation angles from {−90, 90, 180}, all three over 60 images, and stores them', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 60; i++) seen.add(applyView('rotation', grid3, imageRng(0, 'rotation', i)).params['angle'] as number);
    expect([...seen].sort((a, b) => a - b)).toEqual([-90, 90, 180]);
  });
  it('derives different streams for different indices, names and seeds', () => {
    const s = new Set([imageSeed(0, 'rotation', 0), imageSeed(0, 'rotation', 1), imageSeed(1, 'rotation', 0), imageSeed(0, 'greyscale', 0)]);
    expect(s.size).toBe(4);
  });
  it('rejects stored params that do not fit (E_OPTION)', () => {
    expect(() => viewSpecs['random-erasing'].apply(grid3, { i: 2, j: 2, h: 2, w: 2 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    expect(() => viewSpecs['colour-jitter'].apply(grid3, { order: [0, 0, 1, 2], brightness: 1, contrast: 1, saturation: 1, hue: 0 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
  it('imageToU8 truncates like np.uint8 (white grey 0.9999 → 254)', () => {
    expect(Array.from(imageToU8(greyscale(imageOf([[[255, 255, 255]]], 255))))).toEqual([254, 254, 254]);
  });
});

describe('image helpers', () => {
  it('converts bytes to floats and back (trunc and round half up)', () => {
    const img = imageFromU8(Uint8Array.of(9, 0, 255, 128), 2, 1, 1, 1);
    expect(Array.from(img.data)).toEqual([0, 1]);
    const half = createImage(2, 1, 1, Float32Array.of(0.5, 1.2));
    expect(Array.from(imageToU8(half))).toEqual([127, 255]);
    expect(Array.from(imageToU8(half, 'roundHalfUp'))).toEqual([128, 255]);
  });
  it('rounds half to even like torch.round', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });
  it('rejects bad shapes and out-of-range values with exact codes', () => {
    expect(() => createImage(0, 1, 1)).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => createImage(2, 2, 1, new Float32Array(3))).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
    expect(() => assertImage(createImage(1, 1, 1, Float32Array.of(Number.NaN)))).toThrow(expect.objectContaining({ code: 'E_NON_FINITE' }));
    expect(() => assertImage(createImage(1, 1, 1, Float32Array.of(1.5)))).toThrow(expect.objectContaining({ code: 'E_NON_FINITE' }));
    expect(() => assertImage(createImage(1, 1, 3, Float32Array.of(0, 0.5, 1)))).not.toThrow();
  });
});

// The pre-speed-up rotation (torchvision's inverse grid with round-half-even for every pixel), kept here as
// the oracle of the index-permutation fast paths of rotateRightAngle.
function rotateByGrid(img: Image, angle: number): Image {
  const a = ((angle % 360) + 360) % 360;
  const cos = a === 0 ? 1 : a === 180 ? -1 : 0;
  const sin = a === 90 ? 1 : a === 270 ? -1 : 0;
  const { width: W, height: H, channels: C } = img;
  const out = createImage(W, H, C);
  const cx = (W - 1) / 2;
  const cy = (H - 1) / 2;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const sx = roundHalfEven(cx + cos * (x - cx) - sin * (y - cy));
      const sy = roundHalfEven(cy + sin * (x - cx) + cos * (y - cy));
      if (sx < 0 || sx >= W || sy < 0 || sy >= H) continue;
      for (let c = 0; c < C; c++) out.data[(y * W + x) * C + c] = img.data[(sy * W + sx) * C + c] as number;
    }
  }
  return out;
}

describe('view buffers (W6 speed-ups)', () => {
  const rand = (w: number, h: number, c: 1 | 3, seed: number): Image =>
    createImage(w, h, c, Float32Array.from({ length: w * h * c }, (_, i) => ((i * 7919 + seed * 104729) % 1000) / 999));

  it('rotateRightAngle equals the inverse-grid rotation for every angle, square and non-square, grey and RGB, into a reused out', () => {
    for (const [w, h] of [[1, 1], [2, 2], [3, 3], [28, 28], [4, 2], [5, 3], [2, 5], [6, 5]] as const) {
      for (const c of [1, 3] as const) {
        const img = rand(w, h, c, w * 10 + h);
        const before = img.data.slice();
        const out = createImage(w, h, c, Float32Array.from({ length: w * h * c }, () => 0.5));
        for (const a of [0, 90, -90, 180, 270, 360, -180, 450]) {
          const want = Array.from(rotateByGrid(img, a).data);
          expect(Array.from(rotateRightAngle(img, a).data)).toEqual(want);
          const got = rotateRightAngle(img, a, out);
          expect(got).toBe(out);
          expect(Array.from(got.data)).toEqual(want);
        }
        expect(img.data).toEqual(before);
      }
    }
  });

  it('colourJitter into a reused out equals the op-by-op pure functions, never changes its input, and refuses out = input', () => {
    for (const c of [1, 3] as const) {
      const img = rand(5, 4, c, c);
      const before = img.data.slice();
      const out = createImage(5, 4, c, new Float32Array(5 * 4 * c).fill(0.25));
      for (const order of [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]]) {
        const p = { order, brightness: 1.13, contrast: 0.87, saturation: 1.19, hue: -0.07 };
        let want = img;
        for (const op of order) {
          want = op === 0 ? adjustBrightness(want, p.brightness) : op === 1 ? adjustContrast(want, p.contrast) : op === 2 ? adjustSaturation(want, p.saturation) : adjustHue(want, p.hue);
        }
        const res = colourJitter(img, p, out);
        expect(res.image).toBe(out);
        expect(Array.from(res.image.data)).toEqual(Array.from(want.data));
        expect(res.identities).toEqual(c === 1 ? order.filter((o) => o >= 2).map((o) => (o === 2 ? 'saturation' : 'hue')) : []);
        expect(Array.from(colourJitter(img, p).image.data)).toEqual(Array.from(want.data));
      }
      expect(img.data).toEqual(before);
      try { colourJitter(img, { order: [0, 1, 2, 3], brightness: 1, contrast: 1, saturation: 1, hue: 0 }, img); expect.unreachable(); } catch (e) { expect(isCalibraError(e) && e.code).toBe('E_SHAPE'); }
    }
  });

  it('rotateRightAngle refuses an out of another shape (E_SHAPE)', () => {
    try { rotateRightAngle(grid3, 90, createImage(2, 3, 1)); expect.unreachable(); } catch (e) { expect(isCalibraError(e) && e.code).toBe('E_SHAPE'); }
  });
});
