import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { encodeNpy } from '../../src/data/npy.js';
import { Rng } from '../../src/math/rng.js';
import { calibratorSpecs } from '../../src/calibrators/core/registry.js';
import { jointParameters, oversizeReason } from '../../src/cli/method-size.js';

const fx = 'test/fixtures/overconfident';
const base = ['compare', '--val-logits', `${fx}/val-logits.npy`, '--val-labels', `${fx}/val-labels.npy`,
  '--test-logits', `${fx}/test-logits.npy`, '--test-labels', `${fx}/test-labels.npy`, '--quiet'];

describe('calibra compare verdict', () => {
  it('prints a verdict after the table and the same as JSON "recommendation"', async () => {
    const io = memoryIo();
    expect(await runCli([...base, '--methods', 'none,ts,ets,isotonic', '--metrics', 'ece,nll', '--bootstrap', '300'], io)).toBe(0);
    expect(io.out()).toMatch(/\nverdict: use temperature scaling \(ts\)/);
    expect(io.out()).toMatch(/vs uncalibrated: +−0\.\d{4} \[−0\.\d{4}, −0\.\d{4}\] +better beyond noise/);
    expect(io.out()).toMatch(/keeps the argmax: yes/);
    const js = memoryIo();
    expect(await runCli([...base, '--methods', 'none,ts,ets,isotonic', '--metrics', 'ece,nll', '--bootstrap', '300', '--format', 'json'], js)).toBe(0);
    const out = JSON.parse(js.out()) as { recommendation: { method: string; metric: string; value: number; vsUncalibrated: { low: number; high: number }; text: string }; methods: { method: string; metrics: Record<string, number> }[] };
    expect(out.recommendation.method).toBe('ts');
    expect(out.recommendation.metric).toBe('nll');
    expect(out.recommendation.value).toBe(out.methods.find((m) => m.method === 'ts')?.metrics['nll']);
    expect(out.recommendation.vsUncalibrated.high).toBeLessThan(0);
    expect(io.out()).toContain(out.recommendation.text);
  });

  it('--primary picks the criterion; an unknown one fails before fitting', async () => {
    const io = memoryIo();
    expect(await runCli([...base, '--methods', 'none,ts,ets', '--metrics', 'ece', '--primary', 'ece@10', '--bootstrap', '200', '--format', 'json'], io)).toBe(0);
    const out = JSON.parse(io.out()) as { recommendation: { metric: string; scores: { label: string; value: number }[] } };
    expect(out.recommendation.metric).toBe('ece@10');
    expect(out.recommendation.scores.map((s) => s.label)).toEqual(['none', 'ts', 'ets']);
    const bad = memoryIo();
    expect(await runCli([...base, '--primary', 'nllx'], bad)).toBe(2);
    expect(bad.err()).toMatch(/unknown metric id "nllx"/);
  });

  it('the default list skips methods with too many parameters for the validation set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'calibra-verdict-'));
    const K = 20;
    for (const [name, n, seed] of [['val', 300, 1], ['test', 200, 2]] as const) {
      const rng = new Rng(seed);
      const z = new Float32Array(n * K);
      const y = new Int32Array(n);
      for (let i = 0; i < n; i++) { y[i] = rng.int(K); for (let j = 0; j < K; j++) z[i * K + j] = 3 * (rng.normal() + (j === y[i] ? 2 : 0)); }
      writeFileSync(join(dir, `${name}-logits.npy`), encodeNpy({ data: z, shape: [n, K] }));
      writeFileSync(join(dir, `${name}-labels.npy`), encodeNpy({ data: y, shape: [n] }));
    }
    const io = memoryIo();
    const args = ['compare', '--val-logits', join(dir, 'val-logits.npy'), '--val-labels', join(dir, 'val-labels.npy'), '--test-logits', join(dir, 'test-logits.npy'), '--test-labels', join(dir, 'test-labels.npy'), '--metrics', 'nll', '--quiet', '--bootstrap', '200'];
    expect(await runCli(args, io)).toBe(0);
    for (const [id, p] of [['ms', 420], ['dirichlet', 420], ['dirichlet-odir', 420], ['vs', 40], ['dirichlet-diag', 40]] as const) {
      expect(io.err()).toContain(`calibra compare: ${id} skipped: ${p} parameters for 300 validation samples (fewer than 10 a parameter) (name it in --methods to run it)`);
    }
    expect(io.err()).not.toMatch(/\bts skipped|isotonic skipped/);
    expect(io.out()).toMatch(/\nverdict: /);
  });
});

describe('jointParameters', () => {
  // independent count: the numbers in each fitted model's JSON params
  const count = (v: unknown): number => (typeof v === 'number' ? 1 : Array.isArray(v) ? v.reduce((a: number, x) => a + count(x), 0) : v !== null && typeof v === 'object' ? Object.values(v as Record<string, unknown>).reduce((a: number, x) => a + count(x), 0) : 0);
  it('matches the fitted models of the linear family (K = 4)', () => {
    const K = 4; const N = 200; const rng = new Rng(3);
    const z = new Float64Array(N * K); const y = new Int32Array(N);
    for (let i = 0; i < N; i++) { y[i] = rng.int(K); for (let k = 0; k < K; k++) z[i * K + k] = rng.normal() * 2 + (k === y[i] ? 2 : 0); }
    // Dirichlet models also store the constant logEps of their log-probability input (not a fitted parameter)
    for (const [id, extra] of [['ts', 0], ['vs', 0], ['ms', 0], ['ets', 0], ['none', 0], ['dirichlet-diag', 1], ['dirichlet', 1], ['dirichlet-odir', 1]] as const) {
      const spec = calibratorSpecs.find((s) => s.id === id);
      const json = spec?.fit({ logits: { data: z, rows: N, cols: K }, labels: y }, {}, { seed: 0 }).model.toJSON();
      expect([id, (jointParameters(id, K) as number) + extra]).toEqual([id, count(json?.params)]);
    }
    expect(jointParameters('isotonic', 100)).toBeNull();
    expect(oversizeReason('ms', 100, 2500)).toBe('10100 parameters for 2500 validation samples (fewer than 10 a parameter)');
    expect(oversizeReason('vs', 100, 2500)).toBeNull();
  });
});
