import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { loadProbs } from '../../src/data/files.js';

const fx = 'test/fixtures/overconfident';
const dir = mkdtempSync(join(tmpdir(), 'calibra-consistency-'));
const run = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => { const io = memoryIo(); const code = await runCli(argv, io); return { code, out: io.out(), err: io.err() }; };

describe('one CLI: option syntax, --format, --quiet', () => {
  it('fit --method ID:k=v;k=v is the syntax of compare/report --methods; --option must agree with it', async () => {
    const a = await run('fit', '--method', 'histogram:bins=5;scheme=equal-mass', '--logits', `${fx}/val-logits.npy`, '--labels', `${fx}/val-labels.npy`, '--out', join(dir, 'h.json'), '--quiet');
    expect(a.code, a.err).toBe(0);
    const opts = (JSON.parse(readFileSync(join(dir, 'h.json'), 'utf8')) as { options: Record<string, unknown> }).options;
    expect([opts['bins'], opts['scheme']]).toEqual([5, 'equal-mass']);
    const b = await run('fit', '--method', 'histogram:bins=5', '--option', 'bins=7', '--logits', `${fx}/val-logits.npy`, '--labels', `${fx}/val-labels.npy`, '--out', join(dir, 'h2.json'), '--quiet');
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/sets bins=5 but --option sets bins=7/);
  });
  it('report --methods takes ID:k=v entries and aliases; --format json prints the recommendation', async () => {
    const r = await run('report', '--val-logits', 'examples/report/val_logits.npy', '--val-labels', 'examples/report/val_labels.npy', '--test-logits', 'examples/report/test_logits.npy', '--test-labels', 'examples/report/test_labels.npy',
      '--methods', 'Temperature,histogram:bins=5', '--bootstrap', '0', '--ci-bootstrap', '200', '--quiet', '--format', 'json', '--out', join(dir, 'r.html'));
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { out: string; recommendation: { method: string; metric: string }; testSets: { methods: { method: string }[] }[] };
    expect(out.testSets[0]?.methods.map((m) => m.method)).toEqual(['none', 'ts', 'histogram:bins=5']);
    expect(out.recommendation.metric).toBe('nll');
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toContain('histogram:bins=5');
  });
  it('apply --format json; the same --format names everywhere, with did-you-mean', async () => {
    expect((await run('fit', '--method', 'ts', '--logits', `${fx}/val-logits.npy`, '--labels', `${fx}/val-labels.npy`, '--out', join(dir, 'ts.json'), '--quiet', '--format', 'json')).code).toBe(0);
    const a = await run('apply', '--model', join(dir, 'ts.json'), '--logits', `${fx}/test-logits.npy`, '--out', join(dir, 'p.npy'), '--quiet', '--format', 'json');
    expect(a.code, a.err).toBe(0);
    const j = JSON.parse(a.out) as { rows: number; classes: number; method: string; streamed: boolean };
    expect([j.rows, j.classes, j.method, j.streamed]).toEqual([2000, 10, 'ts', false]);
    const p = loadProbs(join(dir, 'p.npy'));
    expect([p.rows, p.cols]).toEqual([2000, 10]);
    const md = await run('evaluate', '--probs', join(dir, 'p.npy'), '--labels', `${fx}/test-labels.npy`, '--metrics', 'ece', '--format', 'Markdown');
    expect(md.out).toMatch(/^\| metric \| value \|\n\|---\|---:\|\n\| ece \| 0\.\d{6} \|\n$/);
    const csv = await run('compare', '--val-logits', `${fx}/val-logits.npy`, '--val-labels', `${fx}/val-labels.npy`, '--test-logits', `${fx}/test-logits.npy`, '--test-labels', `${fx}/test-labels.npy`, '--methods', 'none,ts', '--metrics', 'ece', '--bootstrap', '200', '--quiet', '--format', 'csv');
    expect(csv.out.split('\n')[0]).toBe('method,fit_s,ece,recommended');
    expect(csv.out).toMatch(/\n"ts",[0-9.e-]+,0\.0\d+,1\n/);
    const bad = await run('evaluate', '--probs', join(dir, 'p.npy'), '--labels', `${fx}/test-labels.npy`, '--format', 'jsno');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/unknown --format "jsno" \(fix: did you mean 'json'\?/);
    const ev = await run('evaluate', '--probs', join(dir, 'p.npy'), '--labels', `${fx}/test-labels.npy`, '--metrics', 'accuracy,ece');
    expect(ev.out).toMatch(/accuracy 0\.8165, mean confidence 0\.\d{4}: (over|under)-confident by 0\.\d{4}/);
    expect(ev.out).toMatch(/\nconfidence +0\.\d{6}\n/);
    expect((await run('sql', '--quiet', '--dialect', 'spark', '--table', 'logs.t', '--label-col', 'y', '--confidence-col', 'c', '--pred-col', 'p', '--metrics', 'ece')).code).toBe(0);
  });
});
