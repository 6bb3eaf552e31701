import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import type { DemoModelResult } from '../../src/inference/demo.js';

const dir = mkdtempSync(join(tmpdir(), 'calibra-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('calibra demo (smoke, --limit)', () => {
  it('runs both quick models on 60 images per set, prints the tables and writes demo.json / demo.md', async () => {
    const io = memoryIo();
    const code = await runCli(['demo', '--limit', '60', '--corruptions', 'gaussian_noise', '--out', dir, '--no-report', '--quiet'], io);
    expect(io.err()).not.toContain('internal error');
    expect(code).toBe(0);
    const text = io.out();
    expect(text).toContain('== fmnist-mlp');
    expect(text).toContain('== digits-mlp');
    expect(text).toContain('ca-paper preset');
    expect(text).toContain('default preset');
    const json = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as { models: DemoModelResult[] };
    expect(json.models.map((m) => m.model)).toEqual(['fmnist-mlp', 'digits-mlp']);
    const digits = json.models[1] as DemoModelResult;
    expect(digits.testSets.map((t) => t.id)).toEqual(['test', 'gaussian_noise:3', 'sklearn-digits']);
    expect(digits.testSets.every((t) => t.n === 60)).toBe(true);
    for (const m of json.models) {
      const unc = m.results['uncalibrated'];
      expect(unc).toBeDefined();
      // Accuracy-preserving methods keep the uncalibrated accuracy on every test set.
      for (const label of ['TS', 'CA (robust)']) {
        const row = m.results[label];
        if (row === undefined) continue;
        for (const t of m.testSets) expect(row[t.id]?.accuracy).toBe(unc?.[t.id]?.accuracy);
      }
      for (const t of m.testSets) expect(unc?.[t.id]?.accuracy).toBeCloseTo(t.accuracy, 12);
    }
    expect(readFileSync(join(dir, 'demo.md'), 'utf8')).toContain('## fmnist-mlp');
    expect(existsSync(join(dir, 'report.html'))).toBe(false);
  });

  it('--suite coloured-fmnist: the colour CNN on the coloured calibration set and the six coloured test sets, no corruptions by default', async () => {
    const out = join(dir, 'coloured');
    const io = memoryIo();
    const code = await runCli(['demo', '--suite', 'coloured-fmnist', '--limit', '40', '--out', out, '--no-report', '--quiet'], io);
    expect(io.err()).not.toContain('internal error');
    expect(code).toBe(0);
    expect(io.err()).toContain('suite coloured-fmnist');
    const json = JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8')) as { settings: { suite: string; corruptions: string[] }; models: DemoModelResult[] };
    expect(json.settings.suite).toBe('coloured-fmnist');
    expect(json.settings.corruptions).toEqual([]);
    expect(json.models.map((m) => m.model)).toEqual(['cfmnist-cnn']);
    const m = json.models[0] as DemoModelResult;
    expect(m.calibration.n).toBe(40);
    expect(m.testSets.map((t) => [t.id, t.kind])).toEqual([['test', 'id'], ['random-hue', 'natural'], ['permuted-hue', 'natural'], ['colour-shift', 'natural'], ['grey', 'natural'], ['rotated', 'natural']]);
    expect(m.testSets.every((t) => t.n === 40)).toBe(true);
    expect(m.results['TS']?.['random-hue']?.accuracy).toBe(m.results['uncalibrated']?.['random-hue']?.accuracy);
    expect(io.out()).toContain('== cfmnist-cnn');
  });

  it("the report names methods by the spec a user types (compare's ID:k=v), the demo label as the title", async () => {
    const out = join(dir, 'with-report');
    const io = memoryIo();
    expect(await runCli(['demo', '--models', 'digits-mlp', '--limit', '40', '--corruptions', 'gaussian_noise', '--out', out, '--quiet'], io), io.err()).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const names = new Map([...html.matchAll(/<td class="name" title="([^"]*)">([^<]*)/g)].map((m) => [m[1] as string, m[2] as string]));
    expect(names.get('TS')).toBe('ts');
    expect(names.get('uncalibrated')).toBe('none');
    expect(names.get('CA (robust)')).toBe('ca:mode=robust');
    expect(names.get('CE-trained')).toBe('ca:loss=ce');
    expect(html).toMatch(/verdict: use [a-z]/); // an id, not a label
  });

  it('rejects an unknown --suite with the list of suites (exit 2)', async () => {
    const io = memoryIo();
    expect(await runCli(['demo', '--suite', 'cifar', '--out', join(dir, 'x'), '--quiet'], io)).toBe(2);
    expect(io.err()).toContain('coloured-fmnist');
  });

  it('refuses to overwrite the output without --force (exit 2, E_EXISTS)', async () => {
    const io = memoryIo();
    expect(await runCli(['demo', '--limit', '10', '--out', dir, '--quiet'], io)).toBe(2);
    expect(io.err()).toContain('E_EXISTS');
  });
});
