import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import { evaluateMetrics } from '../../src/metrics/evaluate.js';
import { formatMetric } from '../../src/report/html.js';
import { loadLabels, loadLogits, saveViewsFile, type ViewsFileInput } from '../../src/data/files.js';
import { Rng } from '../../src/math/rng.js';

const EX = 'examples/report/';
const dir = mkdtempSync(join(tmpdir(), 'calibra-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = ['--val-logits', `${EX}val_logits.npy`, '--val-labels', `${EX}val_labels.npy`, '--test-logits', `${EX}test_logits.npy`, '--test-labels', `${EX}test_labels.npy`];

describe('calibra report', () => {
  it('fits the methods, writes one HTML file and PNGs, and prints the ECE table that evaluateMetrics gives', async () => {
    const io = memoryIo();
    const out = join(dir, 'r.html');
    const code = await runCli(['report', ...base, '--test-set', `shifted=${EX}shifted_logits.npy,${EX}shifted_labels.npy`, '--methods', 'ts', '--bootstrap', '5', '--primary', 'ece', '--ci-bootstrap', '200', '--out', out, '--png-dir', join(dir, 'png')], io);
    expect(io.err()).not.toMatch(/E_|internal/);
    expect(code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<h1>calibra report</h1>');
    expect(html).toContain('ts — Temperature scaling');
    expect(readdirSync(join(dir, 'png')).sort()).toEqual([
      'headline-recommended.png', 'headline-uncalibrated.png', 'ranking-0.png', 'ranking-1.png', 'shifted-ece-vs-bins.png', 'shifted-none-reliability.png', 'shifted-none-smooth.png', 'shifted-ts-reliability.png', 'shifted-ts-smooth.png',
      'test-ece-vs-bins.png', 'test-none-reliability.png', 'test-none-smooth.png', 'test-ts-reliability.png', 'test-ts-smooth.png',
    ]);
    expect(readFileSync(join(dir, 'png', 'test-ts-reliability.png')).subarray(1, 4).toString()).toBe('PNG');
    // Oracle: the same fit through the library API, evaluated by evaluateMetrics.
    const val = { logits: loadLogits(`${EX}val_logits.npy`), labels: loadLabels(`${EX}val_labels.npy`) };
    const model = getCalibrator('ts').fit(val, {}, { seed: 0 }).model;
    const probs = model.predictProba({ logits: loadLogits(`${EX}test_logits.npy`) });
    const ece = evaluateMetrics(probs, loadLabels(`${EX}test_labels.npy`), ['ece']).ece as number;
    const tsLine = io.out().split('\n').find((l) => l.startsWith('ts ')) ?? '';
    expect(tsLine.trim().split(/\s+/)[1]?.replace('*', '')).toBe(formatMetric(ece));
    expect(io.out()).toContain(`wrote ${out}`);
    expect(io.out()).toMatch(/\nverdict: use temperature scaling \(ts\)\n {2}ece on test/);
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('id="ranking"'));
    expect(html.indexOf('id="ranking"')).toBeLessThan(html.indexOf('id="summary"'));
  });

  it('draws the per-sample temperatures of CA when given views files', async () => {
    const rng = new Rng(5);
    const make = (n: number): ViewsFileInput => {
      const labels = new Int32Array(n);
      const logit = (): Float64Array => new Float64Array(n * 4);
      const original = logit();
      const views = [logit(), logit(), logit()];
      for (let i = 0; i < n; i++) {
        labels[i] = rng.int(4);
        for (let k = 0; k < 4; k++) {
          const z = 3 * (rng.normal() + (k === labels[i] ? 1.5 : 0));
          original[i * 4 + k] = z;
          for (const v of views) v[i * 4 + k] = z + 2 * rng.normal();
        }
      }
      return { original: { data: original, rows: n, cols: 4 }, views: { names: ['rotation', 'greyscale', 'colorjitter'], logits: views.map((d) => ({ data: d, rows: n, cols: 4 })) }, labels };
    };
    saveViewsFile(join(dir, 'val.npz'), make(200));
    saveViewsFile(join(dir, 'test.npz'), make(150));
    const io = memoryIo();
    const out = join(dir, 'ca.html');
    const code = await runCli(['report', '--val-views', join(dir, 'val.npz'), '--test-views', join(dir, 'test.npz'), '--methods', 'ts,ca', '--option', 'ca.steps=50', '--option', 'ca.select=none', '--bootstrap', '0', '--out', out], io);
    expect(io.err()).not.toMatch(/E_|internal/);
    expect(code).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('ca: per-sample temperatures');
    expect(html).not.toContain('ts: per-sample temperatures');
    expect(html).toMatch(/Histogram of per-sample temperatures: \d+ correct and \d+ wrong samples/);
    expect(html).toMatch(/ca: T mean [\d.]+ sd [\d.]+ p5 [\d.]+ p95 [\d.]+ .*AUROC of T for wrong-vs-right .*steps 50, selected step \d+/);
  });

  it('refuses to overwrite the report without --force (E_EXISTS, exit 2) and overwrites with it', async () => {
    const out = join(dir, 'twice.html');
    const args = ['report', ...base, '--methods', 'ts', '--bootstrap', '0', '--metrics', 'ece', '--out', out];
    expect(await runCli(args, memoryIo())).toBe(0);
    const io = memoryIo();
    expect(await runCli(args, io)).toBe(2);
    expect(io.err()).toMatch(/^calibra: E_EXISTS: /);
    expect(await runCli([...args, '--force'], memoryIo())).toBe(0);
  });

  it('reports usage errors in one line with exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['report', ...base], /E_USAGE: .*missing --out/],
      [['report', '--out', join(dir, 'x.html'), '--test-logits', `${EX}test_logits.npy`, '--test-labels', `${EX}test_labels.npy`], /E_USAGE: .*missing the validation set/],
      [['report', ...base, '--out', join(dir, 'x.html'), '--methods', 'nope'], /E_OPTION: .*unknown calibration method 'nope'/],
      [['report', ...base, '--out', join(dir, 'x.html'), '--test-set', 'bad'], /E_USAGE: .*--test-set "bad"/],
      [['report', ...base, '--out', join(dir, 'x.html'), '--methods', 'ts', '--option', 'vs.x=1'], /E_USAGE: .*--option names method 'vs'/],
      [['report', ...base, '--out', join(dir, 'x.html'), '--methods', 'ca'], /E_VIEWS_MISMATCH: .*needs views/],
      [['report', ...base, '--out', join(dir, 'x.html'), '--scheme', 'odd'], /E_USAGE: .*--scheme "odd"/],
      [['report', ...base, '--out', join(dir, 'no', 'such', 'x.html')], /E_IO: .*folder of the output file does not exist/],
    ];
    for (const [argv, re] of cases) {
      const io = memoryIo();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.err()).toMatch(re);
      expect(io.err().trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
  });

  it('prints its usage for --help', async () => {
    const io = memoryIo();
    expect(await runCli(['report', '--help'], io)).toBe(0);
    expect(io.out()).toContain('usage: calibra report');
  });
});
