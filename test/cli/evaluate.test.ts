/**
 * `calibra evaluate` through runCli with memoryIo: output formats, streaming == in memory, intervals, and
 * one-line errors with exit code 2.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { encodeNpy } from '../../src/data/npy.js';
import { Rng } from '../../src/math/rng.js';
import { evaluateLogits } from '../../src/metrics/evaluate.js';
import { presetMetricIds } from '../../src/metrics/ids.js';

const dir = mkdtempSync(join(tmpdir(), 'calibra-evaluate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 203;
const K = 4;
const rng = new Rng(7);
const logits = new Float32Array(N * K);
const labels = new Int32Array(N);
for (let i = 0; i < N; i++) { labels[i] = rng.int(K); for (let k = 0; k < K; k++) logits[i * K + k] = rng.normal() * 2 + (k === labels[i] ? 1 : 0); }
const logitsFile = join(dir, 'logits.npy');
const labelsFile = join(dir, 'labels.npy');
writeFileSync(logitsFile, encodeNpy({ shape: [N, K], data: logits }));
writeFileSync(labelsFile, encodeNpy({ shape: [N], data: labels }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(['evaluate', ...argv, '--quiet'], io);
  return { code, out: io.out(), err: io.err() };
}

type Doc = { n: number; classes: number; metrics: Record<string, number | null | { value: number; low: number; high: number }> };

describe('calibra evaluate', () => {
  it('writes {"n","classes","metrics"} JSON equal to evaluateLogits on the same data', async () => {
    const r = await cli('--logits', logitsFile, '--labels', labelsFile, '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as Doc;
    expect(Object.keys(doc)).toEqual(['n', 'classes', 'metrics']);
    expect(doc.n).toBe(N);
    expect(doc.classes).toBe(K);
    const want = evaluateLogits({ data: Float64Array.from(logits), rows: N, cols: K }, labels, presetMetricIds('default'));
    expect(Object.keys(doc.metrics)).toEqual(presetMetricIds('default'));
    for (const [id, v] of Object.entries(want)) expect(doc.metrics[id]).toBe(v);
  });

  it('streams a .npy in chunks with exactly the in-memory result (--chunk-rows and --max-memory)', async () => {
    const ids = 'accuracy,ece@10,ece_em,mce,rmsce,cw_ece,tl_ece,dece,ks,mmce,kde_ece,smece,brier,nll,auroc,aupr_error,fpr95,eaurc,ca_paper.sce,ca_paper.ace';
    const whole = await cli('--logits', logitsFile, '--labels', labelsFile, '--metrics', ids, '--format', 'json');
    const chunked = await cli('--logits', logitsFile, '--labels', labelsFile, '--metrics', ids, '--format', 'json', '--chunk-rows', '17');
    const budget = await cli('--logits', logitsFile, '--labels', labelsFile, '--metrics', ids, '--format', 'json', '--max-memory', '0.001');
    expect(whole.code).toBe(0);
    expect(chunked.out).toBe(whole.out);
    expect(budget.out).toBe(whole.out);
  });

  it('streams a binary N-vector of P(y=1) given with --probs exactly like the in-memory path', async () => {
    const q = new Float64Array(N);
    const y = new Int32Array(N);
    for (let i = 0; i < N; i++) { const v = rng.random(); q[i] = v; y[i] = rng.random() < v ? 1 : 0; }
    const qFile = join(dir, 'p1.npy');
    const yFile = join(dir, 'y1.npy');
    writeFileSync(qFile, encodeNpy({ shape: [N], data: q }));
    writeFileSync(yFile, encodeNpy({ shape: [N], data: y }));
    const whole = await cli('--probs', qFile, '--labels', yFile, '--format', 'json', '--edges', 'guo');
    const chunked = await cli('--probs', qFile, '--labels', yFile, '--format', 'json', '--edges', 'guo', '--chunk-rows', '10');
    expect(whole.code).toBe(0);
    expect((JSON.parse(whole.out) as Doc).classes).toBe(2);
    expect(chunked.out).toBe(whole.out);
  });

  it('adds {"value","low","high"} objects with --ci, reproducible by --seed', async () => {
    const args = ['--logits', logitsFile, '--labels', labelsFile, '--metrics', 'ece,nll,cw_ece', '--format', 'json', '--ci', '0.9', '--bootstrap', '50', '--seed', '3'];
    const a = await cli(...args);
    const b = await cli(...args);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
    const doc = JSON.parse(a.out) as Doc;
    const ece = doc.metrics.ece as { value: number; low: number; high: number };
    expect(Object.keys(ece)).toEqual(['value', 'low', 'high']);
    expect(ece.low).toBeLessThan(ece.high);
  });

  it('prints a readable table and a csv', async () => {
    const t = await cli('--logits', logitsFile, '--labels', labelsFile, '--metrics', 'ece,nll');
    expect(t.out).toMatch(/^n = 203, classes = 4\nmetric\s+value\n-+\s+-+\nece\s+0\.\d{6}\nnll\s+\d\.\d{6}\n$/);
    const c = await cli('--logits', logitsFile, '--labels', labelsFile, '--metrics', 'ece,nll', '--format', 'csv');
    expect(c.out.split('\n')[0]).toBe('metric,value');
    expect(c.out.split('\n')[1]).toMatch(/^ece,0\.\d+$/);
  });

  it('refuses ids that need the whole matrix when streaming, with exit 2 and one line', async () => {
    const r = await cli('--logits', logitsFile, '--labels', labelsFile, '--preset', 'sweep', '--chunk-rows', '50');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^calibra: E_OPTION: .*logits\.npy: cw_ece_em@5.* need the whole N×K matrix.*\(fix: .*\)\n$/);
  });

  it('gives one-line errors with exit 2 for bad input', async () => {
    const bad = join(dir, 'bad-probs.npy');
    writeFileSync(bad, encodeNpy({ shape: [2, 2], data: Float64Array.of(0.5, 0.6, 0.2, 0.8) }));
    const twoLabels = join(dir, 'two.npy');
    writeFileSync(twoLabels, encodeNpy({ shape: [2], data: Int32Array.of(0, 1) }));
    const outOfRange = join(dir, 'range.npy');
    writeFileSync(outOfRange, encodeNpy({ shape: [N], data: Int32Array.from(labels, (y, i) => (i === 5 ? 9 : y)) }));
    const cases: [string[], RegExp][] = [
      [['--probs', bad, '--labels', twoLabels], /E_PROBS: .*bad-probs\.npy: row 0/],
      [['--logits', logitsFile, '--labels', outOfRange], /E_LABEL_RANGE/],
      [['--logits', logitsFile, '--labels', twoLabels], /E_SHAPE/],
      [['--logits', join(dir, 'missing.npy'), '--labels', labelsFile], /E_IO: .*missing\.npy/],
      [['--logits', logitsFile, '--labels', labelsFile, '--metrics', 'ece@x'], /E_OPTION: metrics: bad bin count/],
      [['--logits', logitsFile, '--probs', logitsFile, '--labels', labelsFile], /E_USAGE/],
    ];
    for (const [argv, re] of cases) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(re);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    }
  });
});
