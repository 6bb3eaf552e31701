import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import { loadLabels, loadLogits } from '../../src/data/files.js';
import { evaluateMetrics } from '../../src/metrics/evaluate.js';
import { planPredict, rowsWhere, sameData, stratifiedFolds, stratifiedHoldout, takeInputRows } from '../../src/cli/split.js';
import type { LoadedInput } from '../../src/cli/commands/calibration-io.js';

const fx = 'test/fixtures/overconfident';
const logits = loadLogits(`${fx}/val-logits.npy`);
const labels = loadLabels(`${fx}/val-labels.npy`, logits.cols);
const data: LoadedInput = { logits: { data: Float64Array.from(logits.data), rows: logits.rows, cols: logits.cols }, labels, source: 'val', kind: 'logits' };
const dir = mkdtempSync(join(tmpdir(), 'calibra-split-'));

describe('stratified folds and hold-out', () => {
  it('puts every row in one fold; per class and overall the folds differ by at most one row (StratifiedKFold)', () => {
    for (const k of [2, 5, 7]) {
      const folds = stratifiedFolds(labels, k, 3);
      const size = new Array<number>(k).fill(0);
      const perClass = new Map<number, number[]>();
      folds.forEach((f, i) => {
        expect(f >= 0 && f < k).toBe(true);
        size[f] = (size[f] as number) + 1;
        const c = perClass.get(labels[i] as number) ?? new Array<number>(k).fill(0);
        c[f] = (c[f] as number) + 1;
        perClass.set(labels[i] as number, c);
      });
      expect(Math.max(...size) - Math.min(...size)).toBeLessThanOrEqual(1);
      for (const c of perClass.values()) expect(Math.max(...c) - Math.min(...c)).toBeLessThanOrEqual(1);
    }
    expect(Array.from(stratifiedFolds(labels, 5, 1))).toEqual(Array.from(stratifiedFolds(labels, 5, 1)));
    expect(Array.from(stratifiedFolds(labels, 5, 1))).not.toEqual(Array.from(stratifiedFolds(labels, 5, 2)));
  });
  it('holds out round(F · n_c) rows of each class', () => {
    const held = stratifiedHoldout(labels, 0.3, 0);
    const counts = new Map<number, [number, number]>();
    held.forEach((h, i) => { const c: [number, number] = counts.get(labels[i] as number) ?? [0, 0]; c[h as 0 | 1] += 1; counts.set(labels[i] as number, c); });
    for (const [kept, out] of counts.values()) expect(out).toBe(Math.round(0.3 * (kept + out)));
    expect(() => stratifiedHoldout(labels, 1.5, 0)).toThrow(/not in \(0, 1\)/);
    expect(() => stratifiedFolds(labels, 1, 0)).toThrow(/≥ 2/);
  });
  it('cross-fitting equals fitting each fold by hand (temperature scaling)', () => {
    const folds = stratifiedFolds(labels, 4, 0);
    const spec = getCalibrator('ts');
    const p = planPredict(spec, {}, { kind: 'cv', data, folds, k: 4 }, 0);
    for (let f = 0; f < 4; f++) {
      const train = takeInputRows(data, rowsWhere(labels.length, (i) => folds[i] !== f), 'fit');
      const heldRows = rowsWhere(labels.length, (i) => folds[i] === f);
      const model = spec.fit({ logits: train.logits, labels: train.labels as Int32Array }, {}, { seed: 0 }).model;
      const q = model.predictProba({ logits: takeInputRows(data, heldRows, 'held').logits });
      heldRows.forEach((r, j) => { for (let c = 0; c < logits.cols; c++) expect(p.probs.data[r * logits.cols + c]).toBe(q.data[j * logits.cols + c]); });
    }
    expect(sameData(data, { ...data, source: 'other' })).toBe(true);
    expect(sameData(data, takeInputRows(data, rowsWhere(labels.length, (i) => i > 0), 'x'))).toBe(false);
  });
});

describe('--split / --cv in the CLI', () => {
  const val = ['--val-logits', `${fx}/val-logits.npy`, '--val-labels', `${fx}/val-labels.npy`];
  it('compare --cv scores out-of-fold predictions; the ts row equals the hand-made cross-fit', async () => {
    const io = memoryIo();
    expect(await runCli(['compare', ...val, '--cv', '5', '--seed', '2', '--methods', 'none,ts', '--metrics', 'nll,ece', '--bootstrap', '200', '--format', 'json', '--quiet'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { cv: number; scoring: string; methods: { method: string; metrics: Record<string, number> }[] };
    expect(out.cv).toBe(5);
    expect(out.scoring).toMatch(/5-fold stratified cross-fitting/);
    const p = planPredict(getCalibrator('ts'), {}, { kind: 'cv', data, folds: stratifiedFolds(labels, 5, 2), k: 5 }, 2);
    expect(out.methods[1]?.metrics['nll']).toBe(evaluateMetrics(p.probs, labels, ['nll'])['nll']);
  });
  it('compare warns when the test set is the validation set, and asks for --split/--cv without one', async () => {
    const same = memoryIo();
    expect(await runCli(['compare', ...val, '--test-logits', `${fx}/val-logits.npy`, '--test-labels', `${fx}/val-labels.npy`, '--methods', 'none,ts', '--metrics', 'ece', '--bootstrap', '200', '--quiet'], same)).toBe(0);
    expect(same.err()).toMatch(/warning: the test set is the validation set/);
    const none = memoryIo();
    expect(await runCli(['compare', ...val, '--methods', 'none,ts', '--quiet'], none)).toBe(2);
    expect(none.err()).toMatch(/--split 0\.3 or --cv 5/);
    const split = memoryIo();
    expect(await runCli(['compare', ...val, '--split', '0.25', '--methods', 'none,ts', '--metrics', 'ece', '--bootstrap', '200', '--quiet'], split)).toBe(0);
    const m = /fitted on (\d+), tested on the (\d+) held out \(--split 0\.25\)/.exec(split.out());
    expect(Number(m?.[1]) + Number(m?.[2])).toBe(2000);
    expect(Math.abs(Number(m?.[2]) - 500)).toBeLessThanOrEqual(5);
    expect(split.err()).toBe('');
  });
  it('fit --cv prints out-of-fold scores and writes the model fitted on all samples', async () => {
    const a = memoryIo();
    expect(await runCli(['fit', '--method', 'ts', '--logits', `${fx}/val-logits.npy`, '--labels', `${fx}/val-labels.npy`, '--cv', '5', '--out', join(dir, 'cv.json'), '--format', 'json', '--quiet'], a)).toBe(0);
    const b = memoryIo();
    expect(await runCli(['fit', '--method', 'ts', '--logits', `${fx}/val-logits.npy`, '--labels', `${fx}/val-labels.npy`, '--out', join(dir, 'all.json'), '--quiet'], b)).toBe(0);
    expect(readFileSync(join(dir, 'cv.json'), 'utf8')).toBe(readFileSync(join(dir, 'all.json'), 'utf8'));
    const out = JSON.parse(a.out()) as { temperature: number; heldOut: { rows: number; calibrated: Record<string, number> } };
    const p = planPredict(getCalibrator('ts'), {}, { kind: 'cv', data, folds: stratifiedFolds(labels, 5, 0), k: 5 }, 0);
    expect(out.heldOut.calibrated['nll']).toBe(evaluateMetrics(p.probs, labels, ['nll'])['nll']);
    expect(out.heldOut.rows).toBe(2000);
    expect(b.out()).toMatch(/temperature T = \d\.\d{5} \(softens/);
  });
  it('report --split adds the held-out part as the first test set; --cv does not go with --test-set', async () => {
    const io = memoryIo();
    const out = join(dir, 'split.html');
    expect(await runCli(['report', ...val, '--split', '0.3', '--methods', 'ts', '--bootstrap', '0', '--ci-bootstrap', '200', '--quiet', '--out', out], io)).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('aria-label="held-out"');
    const cv = memoryIo();
    expect(await runCli(['report', ...val, '--cv', '3', '--test-set', `x=${fx}/test-logits.npy,${fx}/test-labels.npy`, '--methods', 'ts', '--quiet', '--out', join(dir, 'cv.html')], cv)).toBe(2);
    expect(cv.err()).toMatch(/--cv scores the validation file by cross-fitting/);
  });
});
