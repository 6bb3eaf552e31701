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

  it('refuses to overwrite the output without --force (exit 2, E_EXISTS)', async () => {
    const io = memoryIo();
    expect(await runCli(['demo', '--limit', '10', '--out', dir, '--quiet'], io)).toBe(2);
    expect(io.err()).toContain('E_EXISTS');
  });
});
