import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { createImage, imageFromU8, imageToU8, type Image } from '../../src/views/image.js';
import { NumpyRandom, poisson } from '../../src/views/random.js';
import { Rng } from '../../src/math/rng.js';
import { applyCorruption, corruptionIds, parseCorruptionId } from '../../src/views/corruptions/index.js';
import { gaussianNoise, impulseNoise, shotNoise } from '../../src/views/corruptions/noise.js';
import { brightness, contrast, fogWithMap, plasmaFractal } from '../../src/views/corruptions/photometric.js';
import { addClippedZoom, defocusBlur, defocusKernel, motionBlur, motionKernel, zoomBlur, zoomFactors } from '../../src/views/corruptions/blur.js';
import { boxResizeU8, pixelate } from '../../src/views/corruptions/pixelate.js';
import { jpegRoundTrip, LUMA_TABLE, scaledTable } from '../../src/views/corruptions/jpeg.js';
import { elasticWithDraws, gaussianFilter2d, sampleElasticDraws } from '../../src/views/corruptions/elastic.js';
import { imageRng } from '../../src/views/seed.js';
import { isCalibraError } from '../../src/errors.js';
import { expectClose, imageOf, patternP, pixel } from './helpers.js';

interface Golden {
  numpy_rng: { seed0_uniforms_then_normals: { uniforms: number[]; normals: number[] }; seed3_poisson: { lams: number[]; draws: number[][] } };
  noise: { image: number[]; 'gaussian_seed5_sigma0.08': number[]; shot_seed7_c50: number[] };
  plasma: { seed0_size32_decay3: number[]; 'seed11_size8_decay1.75': number[] };
  gaussian_filter: { field: number[]; shape: [number, number]; sigmas: number[]; outputs: number[][] };
  elastic_identity_affine: { image: number[]; fieldX: number[]; fieldY: number[]; cifar: { alpha: number; sigma: number; out255: number[] }; mnist_grey_channel0: { alpha: number; sigma: number; out255: number[] } };
  zoom_blur: { image: number[]; count: number; step: number; out255: number[] };
  defocus_blur: { image: number[]; cases: { radius: number; alias: number; kernelSum: number; out255: number[] }[] };
}
const golden = JSON.parse(readFileSync(new URL('../golden/views.json', import.meta.url), 'utf8')) as Golden;

const u8 = (img: Image): number[] => Array.from(imageToU8(img));
const times255 = (img: Image): number[] => Array.from(img.data, (v) => v * 255);
const rgb4 = imageOf([[[255, 0, 0], [0, 255, 0]], [[0, 0, 255], [100, 150, 200]]], 255);
const grey4 = imageOf([[0, 64], [128, 255]], 255);
const zeroDraws = (h: number, w: number) => ({ affineNoise: new Float64Array(6), fieldX: new Float64Array(h * w), fieldY: new Float64Array(h * w) });

describe('NumPy-compatible random stream (§2.5 oracles, golden from NumPy 1.24)', () => {
  it('reproduces np.random.seed(0) uniforms and normals', () => {
    const r = new NumpyRandom(0);
    expect(new NumpyRandom(0).nextUint32()).toBe(2357136044);
    expectClose([r.random(), r.random(), r.random()], [0.5488135039273248, 0.7151893663724195, 0.6027633760716439], 1e-16);
    const n = new NumpyRandom(0);
    expectClose([n.normal(), n.normal(), n.normal(), n.normal()], [1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458], 1e-14);
    const g = golden.numpy_rng.seed0_uniforms_then_normals;
    const m = new NumpyRandom(0);
    expectClose(Array.from({ length: 5 }, () => m.random()), g.uniforms, 1e-16);
    expectClose(Array.from({ length: 6 }, () => m.normal()), g.normals, 1e-13);
    const s = new NumpyRandom(42);
    expectClose([s.uniform(-45, 45), s.uniform(-45, 45)], [-11.291389303737375, 40.564287576892454], 1e-12);
  });
  it('reproduces np.random.poisson draws (multiplication method and PTRS)', () => {
    const r = new NumpyRandom(3);
    const g = golden.numpy_rng.seed3_poisson;
    expect(g.lams.map((l) => Array.from({ length: 4 }, () => poisson(r, l)))).toEqual(g.draws);
  });
  it('gives Poisson(37.3) and Poisson(4) means and variances within 3 standard errors over 1e5 draws', () => {
    const rng = new Rng(12);
    for (const lam of [4, 37.3]) {
      const n = 100000;
      let s = 0; let s2 = 0;
      for (let i = 0; i < n; i++) { const k = poisson(rng, lam); s += k; s2 += k * k; }
      const mean = s / n;
      const variance = s2 / n - mean * mean;
      expect(Math.abs(mean - lam)).toBeLessThan(3 * Math.sqrt(lam / n));
      expect(Math.abs(variance - lam)).toBeLessThan(3 * lam * Math.sqrt(2 / n) + 3 * Math.sqrt(lam / n));
    }
  });
});

describe('noise corruptions', () => {
  it('gaussian_noise: CIFAR severity 1 with np.random.seed(0) on the 2×2 image (§2.5)', () => {
    expect(u8(applyCorruption('gaussian_noise', 1, rgb4, new NumpyRandom(0), { table: 'cifar' }).image)).toEqual([255, 4, 9, 22, 255, 0, 9, 0, 253, 104, 151, 214]);
  });
  it('gaussian_noise: x = 100/255, z = 1.5, σ = 0.04 → 115 (§2.2.1)', () => {
    const z = { random: () => 0, uniform: () => 0, normal: () => 1.5 };
    expect(u8(gaussianNoise(imageOf([[100]], 255), 0.04, z))).toEqual([115]);
  });
  it('shot_noise: CIFAR severity 5 with np.random.seed(0) (§2.5)', () => {
    expect(u8(applyCorruption('shot_noise', 5, rgb4, new NumpyRandom(0), { table: 'cifar' }).image)).toEqual([255, 0, 0, 0, 255, 0, 0, 0, 244, 96, 224, 229]);
  });
  it('gaussian and shot noise match NumPy runs of the reference formulas on a 4×4 RGB image (golden)', () => {
    const img = imageFromU8(Uint8Array.from(golden.noise.image), 4, 4, 3);
    expect(u8(gaussianNoise(img, 0.08, new NumpyRandom(5)))).toEqual(golden.noise['gaussian_seed5_sigma0.08']);
    expect(u8(shotNoise(img, 50, new NumpyRandom(7)))).toEqual(golden.noise.shot_seed7_c50);
  });
  it('impulse_noise flips about `amount` of the elements to exactly 0 or 1, half salt', () => {
    const img = createImage(100, 100, 3, new Float32Array(30000).fill(0.5));
    const out = impulseNoise(img, 0.27, new Rng(4)).data;
    let flipped = 0; let salt = 0;
    for (const v of out) { if (v !== 0.5) { flipped++; expect(v === 0 || v === 1).toBe(true); if (v === 1) salt++; } }
    expect(Math.abs(flipped / 30000 - 0.27)).toBeLessThan(0.01);
    expect(Math.abs(salt / flipped - 0.5)).toBeLessThan(0.02);
  });
});

describe('defocus blur (§2.2.4)', () => {
  const dense = (r: number, a: number) => {
    const k = defocusKernel(r, a);
    const m = new Map<string, number>();
    k.w.forEach((w, t) => m.set(`${k.dy[t]},${k.dx[t]}`, w));
    return (dy: number, dx: number) => m.get(`${dy},${dx}`) ?? 0;
  };
  it('builds the CIFAR severity 1–3 kernels', () => {
    const k1 = dense(0.3, 0.4);
    expectClose([k1(-1, -1), k1(-1, 0), k1(0, 0)], [0.0016312, 0.0371255, 0.8449731], 1e-7);
    const k3 = dense(0.5, 0.6);
    expectClose([k3(-1, -1), k3(0, 1), k3(0, 0)], [0.0276818, 0.1110149, 0.4452132], 1e-7);
    const k5 = dense(1.5, 0.1);
    expectClose([k5(0, 0), k5(1, 1), k5(-1, 0)], [1 / 9, 1 / 9, 1 / 9], 1e-7);
  });
  it('sums to 1.0130 for radius 8 and 1.0108 for radius 10 (not renormalised)', () => {
    expect(defocusKernel(8, 0.5).w.reduce((a, b) => a + b, 0)).toBeCloseTo(1.013, 4);
    expect(defocusKernel(10, 0.5).w.reduce((a, b) => a + b, 0)).toBeCloseTo(1.0108, 4);
  });
  it('matches the 6×6 severity-4 oracle with reflect-101 at the corner', () => {
    const img = createImage(6, 6, 3);
    img.data[0] = 1; img.data[(3 * 6 + 3) * 3] = 1;
    const out = imageToU8(defocusBlur(img, 1, 0.2));
    const ch0 = Array.from({ length: 36 }, (_, i) => out[i * 3] as number);
    expect(ch0).toEqual([51, 50, 0, 0, 0, 0, 50, 0, 0, 0, 0, 0, 0, 0, 0, 50, 0, 0, 0, 0, 50, 51, 50, 0, 0, 0, 0, 50, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
  it('matches SciPy correlate (mode mirror) with the disk kernel for six (radius, alias) pairs (golden)', () => {
    const img = createImage(9, 9, 3, Float32Array.from(golden.defocus_blur.image));
    for (const c of golden.defocus_blur.cases) {
      expect(defocusKernel(c.radius, c.alias).w.reduce((a, b) => a + b, 0)).toBeCloseTo(c.kernelSum, 9);
      expectClose(times255(defocusBlur(img, c.radius, c.alias)), c.out255, 1e-3);
    }
  });
});

describe('motion blur (§2.2.5, ImageMagick reconstruction)', () => {
  it('builds the one-sided kernels and the offsets at 30° and −20°', () => {
    expectClose(Array.from(motionKernel(6, 1, 0).w.slice(0, 5)), [0.570348, 0.345934, 0.077188, 0.006336, 0.000191], 1e-6);
    expectClose(Array.from(motionKernel(9, 2.5, 0).w.slice(0, 4)), [0.275233, 0.254072, 0.19986, 0.13397], 1e-6);
    const k = motionKernel(6, 1, 30);
    expect(Array.from(k.dx)).toEqual([0, 1, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 10]);
    expect(Array.from(k.dy)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]);
    const m = motionKernel(9, 2.5, -20);
    expect(Array.from(m.dx)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(Array.from(m.dy)).toEqual([0, 0, -1, -1, -1, -2, -2, -2, -3, -3, -3, -4, -4, -4, -5, -5, -5, -6, -6]);
  });
  it('blurs a step edge at 0°, 180° and 90°', () => {
    const row = Array.from({ length: 16 }, (_, x) => (x < 8 ? [0, 0, 0] : [200, 200, 200]));
    const img = imageOf([row, row, row, row], 255);
    const ch0 = (a: number) => { const o = imageToU8(motionBlur(img, 6, 2, a)); return Array.from({ length: 16 }, (_, x) => o[(16 + x) * 3] as number); };
    expect(ch0(0)).toEqual([0, 0, 0, 3, 12, 34, 74, 133, 200, 200, 200, 200, 200, 200, 200, 200]);
    expect(ch0(180)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 66, 125, 165, 187, 196, 199, 199, 199]);
    expect(ch0(90)).toEqual(row.map((p) => p[0]));
  });
  it('gives the pattern P pixel (5, 27) oracles', () => {
    const p = patternP();
    const at = (r: number, s: number, a: number) => pixel(motionBlur(p, r, s, a), 5, 27, 255).map((v) => Math.round(v));
    expect(at(6, 1, 30)).toEqual([220, 40, 130]);
    expect(at(6, 1, -20)).toEqual([220, 39, 129]);
    expect(at(9, 2.5, 30)).toEqual([228, 45, 136]);
    expect(at(9, 2.5, -20)).toEqual([228, 35, 132]);
  });
});

describe('zoom blur (§2.2.6)', () => {
  it('clipped_zoom(z = 1.3) of an 8×8 column-index image gives rows 0, 0.75, …, 5.25', () => {
    const img = createImage(8, 8, 1, Float32Array.from({ length: 64 }, (_, i) => i % 8));
    const acc = new Float64Array(64);
    addClippedZoom(img, 1.3, acc);
    expectClose(acc.slice(8, 16), [0, 0.75, 1.5, 2.25, 3, 3.75, 4.5, 5.25], 1e-6);
  });
  it('gives the pattern P oracles at CIFAR severities 1 and 5', () => {
    const p = patternP();
    expectClose(pixel(zoomBlur(p, zoomFactors(7, 0.01)), 5, 27, 255), [210.0665, 38.9012, 124.4839], 1e-3);
    const s5 = zoomBlur(p, zoomFactors(26, 0.01));
    expectClose(pixel(s5, 5, 27, 255), [202.6992, 45.2625, 123.9809], 1e-3);
    expectClose(pixel(s5, 0, 0, 255), [9.4815, 9.4815, 9.4815], 1e-3);
  });
  it('matches SciPy zoom(order=1) clipped_zoom on a 12×12 RGB image, 16 zooms (golden)', () => {
    const g = golden.zoom_blur;
    const img = createImage(12, 12, 3, Float32Array.from(g.image));
    expectClose(times255(zoomBlur(img, zoomFactors(g.count, g.step))), g.out255, 1e-3);
  });
});

describe('contrast and brightness (§2.2.7–2.2.8)', () => {
  it('contrast on the 2×2 RGB image at CIFAR severities 1 and 5', () => {
    expect(u8(applyCorruption('contrast', 1, rgb4, new Rng(0), { table: 'cifar' }).image)).toEqual([213, 25, 28, 22, 216, 28, 22, 25, 219, 97, 137, 178]);
    expect(u8(applyCorruption('contrast', 5, rgb4, new Rng(0), { table: 'cifar' }).image)).toEqual([113, 86, 96, 75, 124, 96, 75, 86, 134, 90, 108, 126]);
    expectClose([(contrast(rgb4, 0.75).data[0] as number) * 255], [213.4375], 1e-3);
  });
  it('contrast on a grey image uses one mean (MNIST severities 1 and 5)', () => {
    expectClose(times255(contrast(grey4, 0.4)), [67.05, 92.65, 118.25, 169.05], 1e-3);
    expectClose(times255(contrast(grey4, 0.05)), [106.1625, 109.3625, 112.5625, 118.9125], 1e-3);
  });
  it('brightness shifts HSV value, black becoming grey (CIFAR severities 1 and 5)', () => {
    const img = imageOf([[[0, 0, 0], [128, 64, 32]], [[250, 250, 250], [10, 200, 30]]], 255);
    expectClose(times255(brightness(img, 0.05)), [12.75, 12.75, 12.75, 140.75, 70.375, 35.1875, 255, 255, 255, 10.6375, 212.75, 31.9125], 1e-3);
    expect(u8(applyCorruption('brightness', 5, img, new Rng(0), { table: 'cifar' }).image)).toEqual([76, 76, 76, 204, 102, 51, 255, 255, 255, 12, 255, 38]);
    expectClose(times255(brightness(imageOf([[[100, 150, 200]]], 255), 0.3)), [127.5, 191.25, 255], 1e-3);
  });
  it('brightness on a grey image is clip(x + c) (MNIST severities 1 and 5)', () => {
    expectClose(times255(brightness(grey4, 0.1)), [25.5, 89.5, 153.5, 255], 1e-3);
    expectClose(times255(brightness(grey4, 0.5)), [127.5, 191.5, 255, 255], 1e-3);
  });
});

describe('pixelate (§2.2.9, Pillow BOX)', () => {
  const expected: Record<number, number[]> = {
    1: [0, 8, 16, 24, 32, 40, 48, 60, 60, 72, 80, 88, 96, 104, 112, 120, 128, 136, 144, 152, 160, 168, 176, 188, 188, 200, 208, 216, 224, 232, 240, 248],
    2: [0, 8, 16, 28, 28, 40, 48, 56, 64, 72, 80, 92, 92, 104, 112, 120, 128, 136, 144, 156, 156, 168, 176, 184, 192, 200, 208, 220, 220, 232, 240, 248],
    3: [0, 8, 20, 20, 32, 40, 48, 56, 64, 76, 76, 88, 96, 104, 112, 124, 124, 136, 144, 152, 160, 172, 172, 184, 192, 200, 208, 216, 228, 228, 240, 248],
    4: [0, 12, 12, 24, 32, 44, 44, 56, 64, 76, 76, 88, 96, 108, 108, 120, 128, 140, 140, 152, 160, 172, 172, 184, 192, 204, 204, 216, 224, 236, 236, 248],
    5: [4, 4, 16, 28, 28, 40, 52, 52, 68, 68, 80, 92, 92, 104, 116, 116, 132, 132, 144, 156, 156, 168, 180, 180, 196, 196, 208, 220, 220, 232, 244, 244],
  };
  it.each([1, 2, 3, 4, 5])('reproduces the ramp row at CIFAR severity %i', (sev) => {
    const img = createImage(32, 32, 3);
    for (let i = 0; i < 32 * 32; i++) for (let c = 0; c < 3; c++) img.data[i * 3 + c] = (8 * (i % 32)) / 255;
    const out = imageToU8(applyCorruption('pixelate', sev, img, new Rng(0), { table: 'cifar' }).image);
    for (const y of [0, 17, 31]) expect(Array.from({ length: 32 }, (_, x) => out[(y * 32 + x) * 3 + 1] as number)).toEqual(expected[sev]);
  });
  it('rounds ties half up: (3,4,3,4) → (4,4) and (5,6,9,10) → (6,10)', () => {
    expect(Array.from(boxResizeU8(Uint8Array.of(3, 4, 3, 4), 4, 1, 1, 2, 1))).toEqual([4, 4]);
    expect(Array.from(boxResizeU8(Uint8Array.of(5, 6, 9, 10), 4, 1, 1, 2, 1))).toEqual([6, 10]);
  });
  it('28→7 averages blocks of 4 (MNIST severity 5 on a grey image)', () => {
    const img = createImage(28, 28, 1, Float32Array.from({ length: 784 }, (_, i) => (i % 28) / 255));
    const out = imageToU8(pixelate(img, 0.25));
    expect(Array.from(out.slice(0, 8))).toEqual([2, 2, 2, 2, 6, 6, 6, 6]);
  });
});

describe('JPEG round trip (§2.2.10)', () => {
  it('scales the IJG luma table by quality', () => {
    expect(Array.from(scaledTable(LUMA_TABLE, 80).slice(0, 8))).toEqual([6, 4, 4, 6, 10, 16, 20, 24]);
    expect(Array.from(scaledTable(LUMA_TABLE, 40).slice(0, 8))).toEqual([20, 14, 13, 20, 30, 50, 64, 76]);
  });
  it('reproduces the Pillow 9.4 / libjpeg-turbo flat-colour oracles exactly', () => {
    const flat = (rgb: number[]) => imageOf(Array.from({ length: 16 }, () => Array.from({ length: 16 }, () => rgb)), 255);
    const at = (rgb: number[], q: number) => Array.from(imageToU8(jpegRoundTrip(flat(rgb), q), 'roundHalfUp').slice(27, 30));
    expect([at([128, 128, 128], 80), at([128, 128, 128], 40)]).toEqual([[128, 128, 128], [128, 128, 128]]);
    expect([at([100, 150, 200], 80), at([100, 150, 200], 40)]).toEqual([[100, 150, 199], [100, 150, 201]]);
    expect([at([255, 0, 0], 80), at([255, 0, 0], 40)]).toEqual([[254, 0, 0], [253, 0, 2]]);
  });
  it('reproduces the pattern P pixel (5, 27) and mean absolute error per CIFAR severity exactly', () => {
    const p = patternP();
    const want = [[212, 42, 130], [218, 37, 130], [221, 36, 130], [217, 37, 126], [217, 34, 126]];
    const mae = [1.10, 2.04, 2.18, 2.34, 2.34];
    for (let s = 1; s <= 5; s++) {
      const out = applyCorruption('jpeg_compression', s, p, new Rng(0), { table: 'cifar' }).image;
      expect(pixel(out, 5, 27, 255).map(Math.round)).toEqual(want[s - 1]);
      let e = 0;
      for (let i = 0; i < p.data.length; i++) e += Math.abs((out.data[i] as number) - (p.data[i] as number)) * 255;
      expect(Math.abs(e / p.data.length - (mae[s - 1] as number))).toBeLessThan(0.005);
    }
  });
  it('is bit-exact with libjpeg (sharp) on grey 28×28, RGB 32×32 and odd-sized RGB 37×29 images', async () => {
    const rng = new Rng(3);
    for (const [w, h, c, q] of [[28, 28, 1, 15], [28, 28, 1, 7], [32, 32, 3, 58], [37, 29, 3, 80], [37, 29, 3, 25]] as const) {
      const img = createImage(w, h, c);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) {
        img.data[(y * w + x) * c + k] = Math.round(127 + 100 * Math.sin((x + 5 * k) / 3) * Math.cos((y - 3 * k) / 4) + 20 * rng.random()) / 255;
      }
      const bytes = imageToU8(img, 'roundHalfUp');
      const enc = sharp(bytes, { raw: { width: w, height: h, channels: c } });
      const jpg = await (c === 1 ? enc.toColourspace('b-w') : enc).jpeg({ quality: q, chromaSubsampling: '4:2:0' }).toBuffer();
      const dec = c === 1 ? await sharp(jpg).extractChannel(0).raw().toBuffer() : await sharp(jpg).raw().toBuffer();
      const ours = imageToU8(jpegRoundTrip(img, q), 'roundHalfUp');
      expect(Buffer.compare(Buffer.from(ours), dec), `${w}×${h}×${c} q${q}`).toBe(0);
    }
  });
});

describe('elastic transform (§2.2.11)', () => {
  it('is the identity with zero affine noise and α = 0 (RGB reflect and grey constant borders)', () => {
    const p = patternP();
    expect(elasticWithDraws(p, 0, 0, zeroDraws(32, 32), false).data).toEqual(p.data);
    const g = createImage(28, 28, 1, Float32Array.from({ length: 784 }, (_, i) => (i % 251) / 255));
    expect(elasticWithDraws(g, 0, 3, zeroDraws(28, 28), true).data).toEqual(g.data);
  });
  it('smooths fields like SciPy gaussian_filter(mode reflect, truncate 3) (golden, σ up to 19.6 on 9×7)', () => {
    const g = golden.gaussian_filter;
    g.sigmas.forEach((s, k) => expectClose(gaussianFilter2d(Float64Array.from(g.field), 9, 7, s), g.outputs[k] as number[], 1e-12));
  });
  it('resamples like SciPy map_coordinates(order 1) with identity affine, CIFAR and MNIST borders (golden)', () => {
    const g = golden.elastic_identity_affine;
    const img = createImage(10, 10, 3, Float32Array.from(g.image));
    const draws = { affineNoise: new Float64Array(6), fieldX: Float64Array.from(g.fieldX), fieldY: Float64Array.from(g.fieldY) };
    expectClose(times255(elasticWithDraws(img, g.cifar.alpha, g.cifar.sigma, draws, false)), g.cifar.out255, 2e-3);
    const grey = createImage(10, 10, 1, Float32Array.from({ length: 100 }, (_, i) => g.image[3 * i] as number));
    expectClose(times255(elasticWithDraws(grey, g.mnist_grey_channel0.alpha, g.mnist_grey_channel0.sigma, draws, true)), g.mnist_grey_channel0.out255, 2e-3);
  });
  it('a pure translation by the affine noise moves the image by that many pixels', () => {
    const img = createImage(9, 9, 1, Float32Array.from({ length: 81 }, (_, i) => (i % 9) / 8));
    const draws = { ...zeroDraws(9, 9), affineNoise: Float64Array.of(1, 0, 1, 0, 1, 0) };
    const out = elasticWithDraws(img, 0, 0, draws, true);
    expectClose(Array.from(out.data.slice(9, 18)), [0, 0, 1 / 8, 2 / 8, 3 / 8, 4 / 8, 5 / 8, 6 / 8, 7 / 8], 1e-6);
  });
  it('draws affine noise, then the dx field, then the dy field', () => {
    const d = sampleElasticDraws(new NumpyRandom(0), 2, 2, 1);
    const r = new NumpyRandom(0);
    const expected = Array.from({ length: 14 }, (_, i) => (i < 6 ? Math.fround(r.uniform(-1, 1)) : r.uniform(-1, 1)));
    expectClose([...d.affineNoise, ...d.fieldX, ...d.fieldY], expected, 0);
  });
});

describe('fog (§2.2.12)', () => {
  it('core formula: x = (0.2, 0.4, 0.6), s = 0.2, P = 0.5 → (57.375, 95.625, 133.875)', () => {
    const img = createImage(1, 1, 3, Float32Array.of(0.2, 0.4, 0.6));
    expectClose(times255(fogWithMap(img, 0.2, Float64Array.of(0.5), 1)), [57.375, 95.625, 133.875], 1e-3);
  });
  it('plasma(32, decay 3) with np.random.seed(0) matches the spec and the NumPy reference (golden)', () => {
    const m = plasmaFractal(32, 3, new NumpyRandom(0));
    expectClose(Array.from(m.slice(0, 5)), [0, 0.144796, 0.229361, 0.31173, 0.38299], 1e-6);
    expectClose([m[16 * 32 + 16] as number, m.reduce((a, b) => a + b, 0) / 1024, m[16] as number], [0.203732, 0.468802, 1], 1e-6);
    expectClose(m, golden.plasma.seed0_size32_decay3, 1e-12);
    expectClose(plasmaFractal(8, 1.75, new NumpyRandom(11)), golden.plasma['seed11_size8_decay1.75'], 1e-12);
  });
  it('pattern P, CIFAR severity 1, seed 0: pixel (5, 27) = (196.4819, 50.502, 123.492)', () => {
    const out = applyCorruption('fog', 1, patternP(), new NumpyRandom(0), { table: 'cifar', quantize: false }).image;
    expectClose(pixel(out, 5, 27, 255), [196.4819, 50.502, 123.492], 1e-3);
  });
});

describe('corruption registry', () => {
  it('parses NAME:SEVERITY and explains bad ids with E_OPTION', () => {
    expect(parseCorruptionId('gaussian_noise:3')).toEqual({ name: 'gaussian_noise', severity: 3 });
    expect(parseCorruptionId('motion-blur:5')).toEqual({ name: 'motion_blur', severity: 5 });
    expect(parseCorruptionId('fog')).toEqual({ name: 'fog', severity: 3 });
    for (const bad of ['snow:2', 'fog:0', 'fog:6', 'fog:2.5', 'fog:x', 'fog:1:2']) {
      try { parseCorruptionId(bad); expect.unreachable(bad); } catch (e) { expect(isCalibraError(e, 'E_OPTION')).toBe(true); }
    }
  });
  it.each([...corruptionIds])('%s: every severity keeps the shape, stays in [0, 1], is byte-quantised and seeded', (name) => {
    const grey = createImage(28, 28, 1, Float32Array.from({ length: 784 }, (_, i) => ((i * 37) % 256) / 255));
    const small = createImage(16, 16, 3, Float32Array.from({ length: 768 }, (_, i) => ((i * 53) % 256) / 255));
    for (const img of [grey, small]) {
      for (let s = 1; s <= 5; s++) {
        const a = applyCorruption(name, s, img, imageRng(9, `${name}:${s}`, 4));
        const b = applyCorruption(name, s, img, imageRng(9, `${name}:${s}`, 4));
        expect(a.image.data).toEqual(b.image.data);
        expect(a.params['table']).toBe(img.channels === 1 ? 'mnist' : 'cifar');
        expect([a.image.width, a.image.height, a.image.channels]).toEqual([img.width, img.height, img.channels]);
        const bad = a.image.data.findIndex((v) => !(v >= 0 && v <= 1) || Math.abs(v * 255 - Math.round(v * 255)) > 1e-3);
        expect(bad).toBe(-1);
      }
    }
  });
  it('records the motion blur angle it drew, in [−45, 45)', () => {
    const r = applyCorruption('motion_blur', 2, patternP(), new Rng(1));
    expect(Math.abs(r.params['angle'] as number)).toBeLessThanOrEqual(45);
    expect(r.params).toMatchObject({ name: 'motion_blur', severity: 2, radius: 6, sigma: 1.5 });
  });
});
