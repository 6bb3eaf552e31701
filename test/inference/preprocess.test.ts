import { describe, expect, it } from 'vitest';
import { createImage } from '../../src/views/image.js';
import { isCalibraError } from '../../src/errors.js';
import { fitIntoFrame, parsePreprocessJson, resizeBilinear, resolvePreprocess, valuesPerImage, writeImageTensor } from '../../src/inference/preprocess.js';

describe('resizeBilinear', () => {
  it('upsamples 1×2 -> 1×4 with half-pixel centres (hand-computed: src x = -0.25, 0.25, 0.75, 1.25, clamped)', () => {
    const img = createImage(2, 1, 1, Float32Array.of(0, 1));
    expect(Array.from(resizeBilinear(img, 1, 4).data)).toEqual([0, 0.25, 0.75, 1]);
  });
  it('downsamples 4×4 -> 2×2 by averaging 2×2 blocks (src centres at 0.5 and 2.5)', () => {
    const img = createImage(4, 4, 1, Float32Array.from({ length: 16 }, (_, i) => i / 16));
    const out = resizeBilinear(img, 2, 2).data;
    // block means: (0+1+4+5)/4/16 = 2.5/16, (2+3+6+7)/4/16 = 4.5/16, 10.5/16, 12.5/16
    expect(out[0]).toBeCloseTo(2.5 / 16, 6);
    expect(out[1]).toBeCloseTo(4.5 / 16, 6);
    expect(out[2]).toBeCloseTo(10.5 / 16, 6);
    expect(out[3]).toBeCloseTo(12.5 / 16, 6);
  });
  it('keeps a constant image constant and per-channel values apart', () => {
    const img = createImage(3, 2, 3, Float32Array.from({ length: 18 }, (_, i) => [0.1, 0.5, 0.9][i % 3] as number));
    const out = resizeBilinear(img, 5, 7);
    for (let i = 0; i < out.data.length; i++) expect(out.data[i]).toBeCloseTo([0.1, 0.5, 0.9][i % 3] as number, 6);
  });
});

describe('writeImageTensor', () => {
  // 2×1 RGB image: pixel 0 = (0.2, 0.4, 0.6), pixel 1 = (1, 0, 0.5)
  const rgb = createImage(2, 1, 3, Float32Array.of(0.2, 0.4, 0.6, 1, 0, 0.5));
  it('NCHW RGB with mean/std: planes R, G, B', () => {
    const cfg = resolvePreprocess({ mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 0.5] });
    const out = new Float32Array(6);
    expect(writeImageTensor(rgb, cfg, out, 0)).toBe(6);
    const want = [(0.2 - 0.5) / 0.5, (1 - 0.5) / 0.5, (0.4 - 0.5) / 0.25, (0 - 0.5) / 0.25, (0.6 - 0.5) / 0.5, (0.5 - 0.5) / 0.5];
    want.forEach((w, i) => expect(out[i]).toBeCloseTo(w, 6));
  });
  it('NHWC BGR with scale 255: channels swapped, pixel-major', () => {
    const cfg = resolvePreprocess({ channels: 'bgr', layout: 'nhwc', scale: 255 });
    const out = new Float32Array(8);
    writeImageTensor(rgb, cfg, out, 2);
    const want = [0, 0, 0.6 * 255, 0.4 * 255, 0.2 * 255, 0.5 * 255, 0, 255];
    want.forEach((w, i) => expect(out[i]).toBeCloseTo(w, 3));
  });
  it('RGB image into a grey model uses ITU-R 601 luma 0.2989/0.587/0.114', () => {
    const cfg = resolvePreprocess({ channels: 'grey' });
    const out = new Float32Array(2);
    writeImageTensor(rgb, cfg, out, 0);
    expect(out[0]).toBeCloseTo(0.2989 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6, 6);
    expect(out[1]).toBeCloseTo(0.2989 + 0.114 * 0.5, 6);
  });
  it('grey image into an RGB model is replicated', () => {
    const grey = createImage(1, 1, 1, Float32Array.of(0.25));
    const out = new Float32Array(3);
    writeImageTensor(grey, resolvePreprocess({}), out, 0);
    expect(Array.from(out)).toEqual([0.25, 0.25, 0.25]);
  });
  it('resizes to inputSize first', () => {
    const cfg = resolvePreprocess({ inputSize: [1, 4], channels: 'grey' });
    const img = createImage(2, 1, 1, Float32Array.of(0, 1));
    expect(valuesPerImage(cfg, img)).toBe(4);
    const out = new Float32Array(4);
    writeImageTensor(img, cfg, out, 0);
    expect(Array.from(out)).toEqual([0, 0.25, 0.75, 1]);
  });
});

describe('resolvePreprocess / parsePreprocessJson', () => {
  it('fills defaults and accepts a zoo manifest with a preprocess field', () => {
    const cfg = parsePreprocessJson('{"id":"m","preprocess":{"inputSize":[28,28],"channels":"gray"}}', 'm.json');
    expect(cfg).toMatchObject({ inputSize: [28, 28], channels: 'grey', layout: 'nchw', scale: 1, mean: [0], std: [1], inputName: null, output: 'logits' });
  });
  it.each([
    [{ colour: 'rgb' }, "field 'colour'"],
    [{ layout: 'chw' }, "field 'layout'"],
    [{ std: [1, 0, 1] }, "field 'std'"],
    [{ inputSize: [0, 3] }, "field 'inputSize'"],
    [{ channels: 'grey', mean: [0.1, 0.2, 0.3] }, "field 'mean'"],
    [{ output: 'softmax' }, "field 'output'"],
  ])('rejects %j with E_OPTION at %s', (raw, where) => {
    try { resolvePreprocess(raw, 'cfg.json'); expect.unreachable(); } catch (e) {
      expect(isCalibraError(e, 'E_OPTION')).toBe(true);
      if (isCalibraError(e)) { expect(e.where).toBe(where); expect(e.source).toBe('cfg.json'); }
    }
  });
  it('rejects bad JSON with E_FORMAT', () => {
    expect(() => parsePreprocessJson('{', 'x.json')).toThrow(expect.objectContaining({ code: 'E_FORMAT' }));
  });
});

describe('fitIntoFrame', () => {
  it('centres a resized image in a zero frame (1×1 white pixel into the middle of 3×3)', () => {
    const out = fitIntoFrame(createImage(1, 1, 1, Float32Array.of(1)), 1, 3);
    expect(Array.from(out.data)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
  });
  it('puts an 8×8 constant image into rows/cols 3..16 of a 20×20 frame when inner = 14', () => {
    const out = fitIntoFrame(createImage(8, 8, 1, new Float32Array(64).fill(0.5)), 14, 20);
    for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) {
      const inside = y >= 3 && y < 17 && x >= 3 && x < 17;
      expect(out.data[y * 20 + x]).toBeCloseTo(inside ? 0.5 : 0, 6);
    }
  });
});
