import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  DEBIAN_PATHS, encodeIdx, loadDataset, makeDataset, parseDatasetSpec, parseIdx, parseSklearnDigits, selectImages,
  stratifiedIndices, tilesFromSheet,
} from '../../src/datasets/index.js';
import { Rng } from '../../src/math/rng.js';
import { isCalibraError, type CalibraErrorCode } from '../../src/errors.js';
import { requiresFile } from '../support/requires.js';

function expectCode(fn: () => unknown, code: CalibraErrorCode): void {
  try { fn(); } catch (e) { expect(isCalibraError(e, code), String(e)).toBe(true); return; }
  expect.unreachable(`expected ${code}`);
}
async function expectCodeAsync(p: Promise<unknown>, code: CalibraErrorCode): Promise<void> {
  try { await p; } catch (e) { expect(isCalibraError(e, code), String(e)).toBe(true); return; }
  expect.unreachable(`expected ${code}`);
}
const counts = (labels: Int32Array, k: number) => { const c = new Array<number>(k).fill(0); for (const l of labels) c[l] = (c[l] ?? 0) + 1; return c; };

describe('idx format', () => {
  it('round-trips dims and bytes, gzipped or not', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i * 7);
    for (const gz of [true, false]) {
      const p = parseIdx(encodeIdx([2, 3, 4], data, gz));
      expect(p.dims).toEqual([2, 3, 4]);
      expect(Array.from(p.data)).toEqual(Array.from(data));
    }
    expect(parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 2, 7, 9))).toMatchObject({ dims: [2] });
  });
  it('names bad magic, data type and truncation with exact codes', () => {
    expectCode(() => parseIdx(Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 1, 5)), 'E_FORMAT');
    expectCode(() => parseIdx(Uint8Array.of(0, 0, 0x0d, 1, 0, 0, 0, 1, 5)), 'E_DTYPE');
    expectCode(() => parseIdx(Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 3, 5)), 'E_TRUNCATED');
    expectCode(() => parseIdx(Uint8Array.of(0, 0, 8, 2, 0, 0)), 'E_TRUNCATED');
    expectCode(() => parseIdx(Uint8Array.of(0x1f, 0x8b, 1, 2, 3)), 'E_FORMAT');
  });
});

describe('dataset specs', () => {
  it('parses every form', () => {
    expect(parseDatasetSpec('fashion-mnist:train')).toEqual({ kind: 'fashion-mnist', split: 'train', subsetOnly: false });
    expect(parseDatasetSpec('fashion-mnist-subset:test')).toEqual({ kind: 'fashion-mnist', split: 'test', subsetOnly: true });
    expect(parseDatasetSpec('opencv-digits')).toEqual({ kind: 'opencv-digits' });
    expect(parseDatasetSpec('folder:/a/b:c')).toEqual({ kind: 'folder', path: '/a/b:c' });
    expect(parseDatasetSpec('csv:x.csv')).toEqual({ kind: 'csv', path: 'x.csv' });
  });
  it('rejects bad specs with E_OPTION and lists the forms', () => {
    for (const bad of ['mnist', 'fashion-mnist:val', 'opencv-digits:1', 'folder:', 'csv']) expectCode(() => parseDatasetSpec(bad), 'E_OPTION');
    try { parseDatasetSpec('cifar10'); } catch (e) { expect((e as { fix: string }).fix).toContain('fashion-mnist:test'); }
  });
});

describe('ImageDataset block', () => {
  const ds = makeDataset({ name: 't', width: 2, height: 1, channels: 1, pixels: Uint8Array.of(0, 255, 51, 102, 255, 0), labels: Int32Array.of(1, 0, 1), classes: ['a', 'b'], source: '-', note: '' });
  it('gives f-domain images from one block', () => {
    expect(Array.from(ds.image(1).data)).toEqual([0.2, 0.4].map((v) => Math.fround(v)));
    expectCode(() => ds.image(3), 'E_OPTION');
  });
  it('checks block size and label range', () => {
    expectCode(() => makeDataset({ name: 't', width: 2, height: 1, channels: 1, pixels: new Uint8Array(5), labels: Int32Array.of(0, 0, 0), classes: ['a'], source: '-', note: '' }), 'E_SHAPE');
    expectCode(() => makeDataset({ name: 't', width: 1, height: 1, channels: 1, pixels: new Uint8Array(1), labels: Int32Array.of(2), classes: ['a', 'b'], source: '-', note: '' }), 'E_LABEL_RANGE');
  });
  it('selects images in the given order and samples strata', () => {
    const s = selectImages(ds, [2, 0]);
    expect(Array.from(s.labels)).toEqual([1, 1]);
    expect(Array.from(s.pixels)).toEqual([255, 0, 0, 255]);
    const labels = Int32Array.from({ length: 100 }, (_, i) => i % 4);
    const idx = stratifiedIndices(labels, 4, 5, new Rng(1));
    expect(counts(Int32Array.from(idx, (i) => labels[i] as number), 4)).toEqual([5, 5, 5, 5]);
    expect(Array.from(idx)).toEqual(Array.from(idx).sort((a, b) => a - b));
    expect(Array.from(stratifiedIndices(labels, 4, 5, new Rng(1)))).toEqual(Array.from(idx));
  });
});

describe('committed datasets (fresh clone)', () => {
  it('Fashion-MNIST subset: 2 000 test and 6 000 train images, balanced, 28×28', async () => {
    const test = await loadDataset('fashion-mnist-subset:test');
    expect([test.count, test.width, test.height, test.channels]).toEqual([2000, 28, 28, 1]);
    expect(counts(test.labels, 10)).toEqual(new Array(10).fill(200));
    expect(test.classes[9]).toBe('Ankle boot');
    expect(test.note).toContain('committed');
    const train = await loadDataset('fashion-mnist:train', { preferCommitted: true });
    expect(counts(train.labels, 10)).toEqual(new Array(10).fill(600));
  });
  it.runIf(requiresFile(join(DEBIAN_PATHS.fashionMnist, 't10k-images-idx3-ubyte.gz'), 'the Fashion-MNIST data set', 'dataset-fashion-mnist'))('the subset holds exactly the full-set images listed in indices.json', async () => {
    const full = await loadDataset('fashion-mnist:test');
    expect(full.count).toBe(10000);
    expect(full.note).toContain('full');
    const sub = await loadDataset('fashion-mnist-subset:test');
    const kept = (JSON.parse(readFileSync(new URL('../../data/fashion-mnist-subset/indices.json', import.meta.url), 'utf8')) as { test: number[] }).test;
    for (const k of [0, 1, 999, 1999]) {
      const i = kept[k] as number;
      expect(sub.labels[k]).toBe(full.labels[i]);
      expect(Array.from(sub.pixels.subarray(k * 784, (k + 1) * 784))).toEqual(Array.from(full.pixels.subarray(i * 784, (i + 1) * 784)));
    }
  });
  it('falls back to the committed subset when the full Fashion-MNIST files are absent, and says so', async () => {
    const d = await loadDataset('fashion-mnist:test', { fashionMnistDir: '/nonexistent/fashion-mnist' });
    expect(d.count).toBe(2000);
    expect(d.note).toMatch(/committed.*install Debian dataset-fashion-mnist/);
    expect(d.source).toContain('data/fashion-mnist-subset');
  });
  it.runIf(requiresFile(DEBIAN_PATHS.opencvDigits, 'the OpenCV digits image', 'opencv-doc'))('the committed digits.png decodes to the same tiles as the Debian copy', async () => {
    const a = await loadDataset('opencv-digits');
    const b = await loadDataset('opencv-digits', { preferCommitted: true });
    expect(Buffer.compare(Buffer.from(a.pixels), Buffer.from(b.pixels))).toBe(0);
  });
  it('OpenCV digits: 5 000 20×20 tiles, 500 per digit, row r labelled floor(r/5)', async () => {
    const d = await loadDataset('opencv-digits', { preferCommitted: true });
    expect([d.count, d.width, d.height]).toEqual([5000, 20, 20]);
    expect(counts(d.labels, 10)).toEqual(new Array(10).fill(500));
    expect([d.labels[0], d.labels[499], d.labels[500], d.labels[2500], d.labels[4999]]).toEqual([0, 0, 1, 5, 9]);
    let ink = 0;
    for (let i = 0; i < 400; i++) ink += d.pixels[i] as number;
    expect(ink).toBeGreaterThan(0);
  });
  it('cuts a sheet into tiles row by row', () => {
    const sheet = Uint8Array.from({ length: 4 * 2 }, (_, i) => i);
    const t = tilesFromSheet(sheet, 4, 2, 2, 1);
    expect(Array.from(t.pixels)).toEqual([0, 1, 4, 5, 2, 3, 6, 7]);
    expect(Array.from(t.labels)).toEqual([0, 0]);
    expectCode(() => tilesFromSheet(sheet, 4, 2, 3, 1), 'E_SHAPE');
  });
  it('sklearn digits: 1 797 8×8 images with values 0..16 and the known class counts', async () => {
    const d = await loadDataset('sklearn-digits', { preferCommitted: true });
    expect([d.count, d.width, d.height, d.maxValue]).toEqual([1797, 8, 8, 16]);
    expect(counts(d.labels, 10)).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
    expect(Array.from(d.pixels.subarray(0, 8))).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(d.image(0).data[3]).toBeCloseTo(13 / 16, 7);
  });
  it('sklearn digits parser names the bad line and field', () => {
    expectCode(() => parseSklearnDigits(new TextEncoder().encode('1,2,3\n')), 'E_FORMAT');
    const row = new Array(64).fill('0');
    try { parseSklearnDigits(new TextEncoder().encode([...row, '3'].join(',') + '\n' + [...row.slice(1), '17', '1'].join(','))); expect.unreachable(); } catch (e) {
      expect((e as { where: string }).where).toBe('line 2, field 64');
    }
  });
});

describe('image folders and labels CSV', () => {
  async function png(path: string, w: number, h: number, v: number): Promise<void> {
    await sharp(Buffer.alloc(w * h * 3, v), { raw: { width: w, height: h, channels: 3 } }).png().toFile(path);
  }
  it('loads one sub-folder per class, CSV variant, and rejects mixed sizes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'calibra-folder-'));
    try {
      for (const [cls, v] of [['cat', 10], ['dog', 200]] as const) {
        mkdirSync(join(root, cls));
        await png(join(root, cls, 'a.png'), 4, 3, v);
        await png(join(root, cls, 'b.png'), 4, 3, v + 1);
      }
      writeFileSync(join(root, 'cat', 'notes.txt'), 'not an image');
      const d = await loadDataset(`folder:${root}`);
      expect([d.count, d.width, d.height, d.channels]).toEqual([4, 4, 3, 3]);
      expect(d.classes).toEqual(['cat', 'dog']);
      expect(Array.from(d.labels)).toEqual([0, 0, 1, 1]);
      expect([d.pixels[0], d.pixels[36], d.pixels[72], d.pixels[108]]).toEqual([10, 11, 200, 201]);
      writeFileSync(join(root, 'labels.csv'), 'file,label\ndog/a.png,7\ncat/b.png,10\n');
      const c = await loadDataset(`csv:${join(root, 'labels.csv')}`, { channels: 1 });
      expect(c.classes).toEqual(['7', '10']);
      expect(Array.from(c.labels)).toEqual([0, 1]);
      expect([c.channels, c.pixels[0], c.pixels[12]]).toEqual([1, 200, 11]);
      await png(join(root, 'dog', 'c.png'), 5, 3, 0);
      await expectCodeAsync(loadDataset(`folder:${root}`), 'E_SHAPE');
      const r = await loadDataset(`folder:${root}`, { resize: [2, 2] });
      expect([r.count, r.width, r.height]).toEqual([5, 2, 2]);
      await expectCodeAsync(loadDataset(`folder:${join(root, 'missing')}`), 'E_IO');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
