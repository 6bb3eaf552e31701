import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkLabelsMatch, loadLabels, loadLogits, loadProbs, loadViewsFile, readNpyChunks, readNpyFileHeader, saveMatrix, saveViewsFile } from '../../src/data/files.js';
import { decodeToFloat64 } from '../../src/data/dtype.js';
import { encodeNpy, parseNpy } from '../../src/data/npy.js';
import { encodeNpz } from '../../src/data/npz.js';
import { expectCode } from './helpers.js';

const FIX = path.join(__dirname, '..', 'fixtures', 'npy');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-files-'));
const at = (name: string): string => path.join(tmp, name);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const manifest = JSON.parse(fs.readFileSync(path.join(FIX, 'manifest.json'), 'utf8')) as { files: { views: Record<string, number[]> } };

describe('loadLogits / loadProbs / loadLabels across formats', () => {
  const logits = { data: new Float64Array([1.5, -2, 0.25, 3, 1e4, -1e4]), rows: 3, cols: 2 };
  for (const ext of ['.npy', '.csv', '.json']) {
    it(`saveMatrix then loadLogits round-trips ${ext} exactly`, () => {
      saveMatrix(at(`l${ext}`), logits);
      expect(loadLogits(at(`l${ext}`))).toEqual(logits);
    });
  }
  it('reads logits and labels from numpy .npz archives (stored and deflated) by member name', () => {
    for (const f of ['stored.npz', 'deflated.npz']) {
      expect(loadLogits(path.join(FIX, f)).rows).toBe(3);
      expect(loadLabels(path.join(FIX, f), 4)).toEqual(new Int32Array([0, 3, 1]));
    }
  });
  it('reads every integer dtype as labels, and big-endian floats as logits', () => {
    expect(loadLabels(path.join(FIX, 'labels_i8.npy'), 4)).toEqual(new Int32Array([0, 2, 1, 3, 3]));
    expect(loadLogits(path.join(FIX, 'f4_be.npy')).data[0]).toBe(-2.25);
    expect(expectCode(() => loadLabels(path.join(FIX, 'i1_le.npy')), 'E_LABEL_RANGE').where).toBe('row 0');
  });
  it('loadProbs checks rows and accepts a binary P(y=1) vector', () => {
    fs.writeFileSync(at('p.csv'), 'p0,p1\n0.2,0.8\n0.5,0.5\n');
    expect(loadProbs(at('p.csv')).rows).toBe(2);
    fs.writeFileSync(at('p1.json'), '[0.9, 0.1]');
    expect(loadProbs(at('p1.json')).data).toEqual(new Float64Array([1 - 0.9, 0.9, 1 - 0.1, 0.1]));
    fs.writeFileSync(at('bad.csv'), '0.2,0.7\n');
    expect(expectCode(() => loadProbs(at('bad.csv')), 'E_PROBS').source).toBe(at('bad.csv'));
  });
  it('one-hot labels in CSV, labels from a JSON object with both keys', () => {
    fs.writeFileSync(at('onehot.csv'), '0,1,0\n1,0,0\n');
    expect(loadLabels(at('onehot.csv'), 3)).toEqual(new Int32Array([1, 0]));
    fs.writeFileSync(at('both.json'), '{"logits": [[0, 1], [2, 3]], "labels": [1, 0]}');
    expect(loadLabels(at('both.json'), 2)).toEqual(new Int32Array([1, 0]));
    expect(loadLogits(at('both.json')).rows).toBe(2);
    expectCode(() => loadProbs(at('both.json')), 'E_FORMAT');
  });
  it('names the file in every error: missing, empty, unknown extension, folder, NaN position, N mismatch', () => {
    expect(expectCode(() => loadLogits(at('nope.npy')), 'E_IO').source).toBe(at('nope.npy'));
    fs.writeFileSync(at('empty.npy'), '');
    expectCode(() => loadLogits(at('empty.npy')), 'E_EMPTY');
    fs.writeFileSync(at('x.txt'), '1');
    expectCode(() => loadLogits(at('x.txt')), 'E_FORMAT');
    fs.mkdirSync(at('dir.npy'));
    expectCode(() => loadLogits(at('dir.npy')), 'E_IO');
    fs.writeFileSync(at('nan.csv'), '1,2\n3,nan\n');
    expect(expectCode(() => loadLogits(at('nan.csv')), 'E_NON_FINITE').where).toBe('row 1, column 1');
    const e = expectCode(() => checkLabelsMatch(logits, new Int32Array(2), 'val.npy', 'y.npy'), 'E_SHAPE');
    expect([e.source, e.message]).toEqual(['val.npy', '3 rows here but 2 labels in y.npy']);
  });
  it('refuses files larger than the limit before reading them', () => {
    expectCode(() => loadLogits(at('l.npy'), { maxBytes: 8 }), 'E_TOO_LARGE');
  });
  it('npz without the asked member says which arrays it has', () => {
    fs.writeFileSync(at('two.npz'), encodeNpz([['a', { shape: [1], data: new Float64Array(1) }], ['b', { shape: [1], data: new Float64Array(1) }]]));
    expect(expectCode(() => loadLogits(at('two.npz')), 'E_FORMAT').message).toContain('arrays: "a", "b"');
  });
  it('saveMatrix refuses to replace without force (E_EXISTS) and unknown extensions', () => {
    expectCode(() => saveMatrix(at('l.npy'), logits), 'E_EXISTS');
    saveMatrix(at('l.npy'), { data: new Float32Array([1, 2]), rows: 1, cols: 2 }, { force: true });
    expect(loadLogits(at('l.npy')).rows).toBe(1);
    expectCode(() => saveMatrix(at('l.xlsx'), logits), 'E_FORMAT');
  });
});

describe('readNpyChunks', () => {
  const rows = 1003;
  const cols = 7;
  const data = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 10);
  fs.writeFileSync(at('big.npy'), encodeNpy({ shape: [rows, cols], data }));
  it('yields the same rows as a whole-file load, in order, for chunk sizes 1, 100, 1003, 5000', () => {
    const whole = loadLogits(at('big.npy'));
    for (const size of [1, 100, 1003, 5000]) {
      const parts: number[] = [];
      let next = 0;
      for (const { start, matrix } of readNpyChunks(at('big.npy'), size)) {
        expect(start).toBe(next);
        expect(matrix.rows).toBeLessThanOrEqual(size);
        next += matrix.rows;
        parts.push(...matrix.data);
      }
      expect(new Float64Array(parts)).toEqual(whole.data);
    }
  });
  it('reads the header without the data, and refuses truncated and Fortran files', () => {
    expect(readNpyFileHeader(at('big.npy')).shape).toEqual([rows, cols]);
    expectCode(() => [...readNpyChunks(path.join(FIX, 'truncated.npy'), 10)], 'E_TRUNCATED');
    expectCode(() => [...readNpyChunks(path.join(FIX, 'lying_shape.npy'), 10)], 'E_FORMAT');
    expectCode(() => [...readNpyChunks(path.join(FIX, 'fortran_2d.npy'), 10)], 'E_UNSUPPORTED');
    expectCode(() => [...readNpyChunks(path.join(FIX, 'object.npy'), 10)], 'E_PICKLE');
    expectCode(() => [...readNpyChunks(at('big.npy'), 0)], 'E_OPTION');
  });
  it('decodes every dtype and byte order as the whole-file reader does (numpy fixtures, 2 rows per chunk)', () => {
    const names = fs.readdirSync(FIX).filter((n) => /^(f|i|u|b)\d?.*\.npy$|^v\d\.npy$|^labels_i8\.npy$/.test(n) && !n.startsWith('fortran'));
    expect(names.length).toBeGreaterThan(20);
    for (const n of names) {
      const whole = parseNpy(new Uint8Array(fs.readFileSync(path.join(FIX, n))));
      const expected = Array.from(whole.data as ArrayLike<number | bigint>, Number);
      const got: number[] = [];
      for (const { matrix } of readNpyChunks(path.join(FIX, n), 2)) got.push(...matrix.data);
      expect([n, got]).toEqual([n, expected]);
    }
  });
  it('decodeToFloat64 handles unaligned offsets', () => {
    const b = new Uint8Array(17);
    new DataView(b.buffer).setFloat64(1, Math.PI, true);
    new DataView(b.buffer).setFloat64(9, -2.5, true);
    const out = new Float64Array(2);
    decodeToFloat64(b, 1, 2, { type: 'f8', itemsize: 8, littleEndian: true, decodedItemsize: 8, descr: '<f8' }, out);
    expect(Array.from(out)).toEqual([Math.PI, -2.5]);
  });
  it('with finite: true, names the row of a NaN in the whole file', () => {
    const d = new Float64Array(40);
    d[33] = NaN;
    fs.writeFileSync(at('nanbig.npy'), encodeNpy({ shape: [20, 2], data: d }));
    expect(expectCode(() => [...readNpyChunks(at('nanbig.npy'), 3, { finite: true })], 'E_NON_FINITE').where).toBe('row 16, column 1');
  });
});

describe('views files', () => {
  const v = manifest.files.views;
  it('loads a numpy-written views file with view_names: names, order, values', () => {
    const f = loadViewsFile(path.join(FIX, 'views_named.npz'));
    expect(f.views.names).toEqual(['rotation', 'greyscale', 'colorjitter']);
    expect(Array.from(f.original.data)).toEqual(v['original']);
    expect(f.views.logits.map((m) => Array.from(m.data))).toEqual([v['rotation'], v['greyscale'], v['colorjitter']]);
    expect(Array.from(f.labels)).toEqual(v['labels']);
  });
  it('without view_names, the views are the other members in archive (keyword) order', () => {
    expect(loadViewsFile(path.join(FIX, 'views_unnamed.npz')).views.names).toEqual(['greyscale', 'rotation']);
  });
  it('saveViewsFile then loadViewsFile round-trips, with extra arrays ignored', () => {
    const original = { data: new Float32Array([1, 2, 3, 4]), rows: 2, cols: 2 };
    const views = { names: ['rotation', 'blur'], logits: [{ data: new Float32Array([5, 6, 7, 8]), rows: 2, cols: 2 }, { data: new Float64Array([0.5, 0, 0, 0.5]), rows: 2, cols: 2 }] };
    saveViewsFile(at('v.npz'), { original, views, labels: new Int32Array([1, 0]), extra: [['rotation_angles', { shape: [2], data: new Int32Array([90, -90]) }]] }, { compress: true });
    const back = loadViewsFile(at('v.npz'));
    expect(back.views.names).toEqual(['rotation', 'blur']);
    expect(back.views.logits[1]?.data).toEqual(new Float64Array([0.5, 0, 0, 0.5]));
    expect(back.labels).toEqual(new Int32Array([1, 0]));
    expectCode(() => saveViewsFile(at('v.npz'), { original, views, labels: new Int32Array([1, 0]) }), 'E_EXISTS');
  });
  it('refuses missing arrays, shape mismatches, unknown listed names, labels out of range', () => {
    const m = (rows: number, cols: number): { shape: number[]; data: Float64Array } => ({ shape: [rows, cols], data: new Float64Array(rows * cols) });
    const write = (name: string, arrays: [string, { shape: number[]; data: Float64Array | Int32Array | string[] }][]): string => {
      fs.writeFileSync(at(name), encodeNpz(arrays));
      return at(name);
    };
    expect(expectCode(() => loadViewsFile(write('a.npz', [['original', m(2, 3)], ['rotation', m(2, 3)]])), 'E_FORMAT').message).toContain('"labels"');
    expect(expectCode(() => loadViewsFile(write('b.npz', [['original', m(2, 3)], ['rotation', m(2, 4)], ['labels', { shape: [2], data: new Int32Array(2) }]])), 'E_SHAPE').where).toBe('array "rotation"');
    expectCode(() => loadViewsFile(write('c.npz', [['original', m(2, 3)], ['rotation', m(2, 3)], ['labels', { shape: [2], data: new Int32Array(2) }], ['view_names', { shape: [2], data: ['rotation', 'greyscale'] }]])), 'E_VIEWS_MISMATCH');
    expect(expectCode(() => loadViewsFile(write('d.npz', [['original', m(2, 3)], ['rotation', m(2, 3)], ['labels', { shape: [2], data: new Int32Array([0, 3]) }]])), 'E_LABEL_RANGE').where).toBe('array "labels", row 1');
    expectCode(() => loadViewsFile(write('e.npz', [['original', m(2, 3)], ['labels', { shape: [2], data: new Int32Array(2) }]])), 'E_FORMAT');
  });
});
