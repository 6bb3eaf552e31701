import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { loadViewsFile } from '../../src/data/files.js';
import { parseNpz } from '../../src/data/npz.js';
import { readFileSync } from 'node:fs';
import { loadDataset } from '../../src/datasets/index.js';
import { OnnxClassifier } from '../../src/inference/onnx-runner.js';
import { parsePreprocessJson } from '../../src/inference/preprocess.js';

const dir = mkdtempSync(join(tmpdir(), 'calibra-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calibra views', () => {
  it('writes original + 3 views + labels + draws for 12 test images; originals match a direct model run', async () => {
    const out = join(dir, 'v.npz');
    const io = memoryIo();
    const code = await runCli(['views', '--model', 'models/fmnist-mlp.onnx', '--dataset', 'fashion-mnist-subset:test', '--limit', '12', '--seed', '3', '--out', out], io);
    expect(io.err()).toContain('views');
    expect(code).toBe(0);
    expect(io.out()).toContain('wrote');
    const v = loadViewsFile(out);
    expect(v.original.rows).toBe(12);
    expect(v.original.cols).toBe(10);
    expect(v.views.names).toEqual(['rotation', 'greyscale', 'colorjitter']);
    const ds = await loadDataset('fashion-mnist-subset:test');
    expect(Array.from(v.labels)).toEqual(Array.from(ds.labels.subarray(0, 12)));
    const arch = parseNpz(new Uint8Array(readFileSync(out)));
    expect(arch.names).toEqual(expect.arrayContaining(['rotation_angle', 'colorjitter_brightness', 'indices']));
    const clf = await OnnxClassifier.load('models/fmnist-mlp.onnx', parsePreprocessJson(readFileSync('models/fmnist-mlp.json', 'utf8'), 'm'));
    const direct = await clf.logits(12, (i) => ds.image(i));
    await clf.close();
    Array.from(direct.data).forEach((x, i) => expect(v.original.data[i]).toBeCloseTo(x, 4));
    // the same seed gives the same file contents
    const again = join(dir, 'v2.npz');
    expect(await runCli(['views', '--model', 'models/fmnist-mlp.onnx', '--dataset', 'fashion-mnist-subset:test', '--limit', '12', '--seed', '3', '--out', again, '--quiet'], memoryIo())).toBe(0);
    const w = loadViewsFile(again);
    expect(Array.from(w.views.logits[2]?.data ?? [])).toEqual(Array.from(v.views.logits[2]?.data ?? []));
  });

  it('applies --corruption before the views and accepts a --preprocess file', async () => {
    const cfg = join(dir, 'pre.json');
    writeFileSync(cfg, JSON.stringify({ inputSize: [28, 28], channels: 'grey' }));
    const out = join(dir, 'c.npz');
    const io = memoryIo();
    const code = await runCli(['views', '--model', 'models/fmnist-mlp.onnx', '--dataset', 'fashion-mnist-subset:test', '--limit', '6', '--views', 'rotation', '--corruption', 'contrast:5', '--preprocess', cfg, '--out', out, '--quiet'], io);
    expect(io.err()).toContain('contrast:5');
    expect(code).toBe(0);
    const plain = join(dir, 'p.npz');
    expect(await runCli(['views', '--model', 'models/fmnist-mlp.onnx', '--dataset', 'fashion-mnist-subset:test', '--limit', '6', '--views', 'rotation', '--out', plain, '--quiet'], memoryIo())).toBe(0);
    expect(Array.from(loadViewsFile(out).original.data)).not.toEqual(Array.from(loadViewsFile(plain).original.data));
  });

  it('refuses to overwrite without --force (E_EXISTS) and names bad input (exit 2)', async () => {
    const out = join(dir, 'exists.npz');
    writeFileSync(out, 'x');
    let io = memoryIo();
    expect(await runCli(['views', '--model', 'models/fmnist-mlp.onnx', '--dataset', 'fashion-mnist-subset:test', '--out', out], io)).toBe(2);
    expect(io.err()).toContain('E_EXISTS');
    io = memoryIo();
    expect(await runCli(['views', '--model', 'models/fmnist-mlp.onnx', '--dataset', 'fashion-mnist-subset:test', '--views', 'sepia', '--limit', '2', '--out', join(dir, 'x.npz')], io)).toBe(2);
    expect(io.err()).toContain('E_OPTION');
    io = memoryIo();
    expect(await runCli(['views', '--model', join(dir, 'missing.onnx'), '--dataset', 'fashion-mnist-subset:test', '--out', join(dir, 'y.npz')], io)).toBe(2);
    expect(io.err()).toContain('E_IO');
    io = memoryIo();
    expect(await runCli(['views', '--model', 'models/fmnist-mlp.onnx', '--dataset', 'fashion-mnist-subset:test', '--corruption', 'rain:3', '--out', join(dir, 'z.npz')], io)).toBe(2);
    expect(existsSync(join(dir, 'z.npz'))).toBe(false);
  });

  it('--threads 2 gives the logits of the default single thread (to float32 rounding); --threads 0 is E_USAGE', async () => {
    const one = join(dir, 't1.npz');
    const two = join(dir, 't2.npz');
    const args = ['views', '--model', 'models/fmnist-mlp.onnx', '--dataset', 'fashion-mnist-subset:test', '--limit', '8', '--quiet'];
    expect(await runCli([...args, '--out', one], memoryIo())).toBe(0);
    expect(await runCli([...args, '--threads', '2', '--out', two], memoryIo())).toBe(0);
    const a = loadViewsFile(one);
    const b = loadViewsFile(two);
    Array.from(a.original.data).forEach((x, i) => expect(b.original.data[i]).toBeCloseTo(x, 4));
    Array.from(a.views.logits[0]?.data ?? []).forEach((x, i) => expect(b.views.logits[0]?.data[i]).toBeCloseTo(x, 4));
    const io = memoryIo();
    expect(await runCli([...args, '--threads', '0', '--out', join(dir, 't0.npz')], io)).toBe(2);
    expect(io.err()).toContain('E_USAGE');
    expect(existsSync(join(dir, 't0.npz'))).toBe(false);
  });
});
