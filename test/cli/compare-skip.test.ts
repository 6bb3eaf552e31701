import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { encodeNpy } from '../../src/data/npy.js';
import { Rng } from '../../src/math/rng.js';

// ms / dirichlet / dirichlet-odir refuse K > maxClasses (default 1024) with E_TOO_LARGE; with 150 validation samples the
// default method list already leaves them out for their K² + K parameters (exit 0, a "skipped" line naming the
// count); asked for by name they fail (exit 1).
describe('calibra compare with more classes than ms/dirichlet accept', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calibra-compare-skip-'));
  const K = 1025;
  for (const [name, n, seed] of [['val', 150, 1], ['test', 60, 2]] as const) {
    const rng = new Rng(seed);
    const z = new Float32Array(n * K);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = rng.int(K);
      for (let j = 0; j < K; j++) z[i * K + j] = rng.normal() + (j === y[i] ? 3 : 0);
    }
    writeFileSync(join(dir, `${name}-logits.npy`), encodeNpy({ data: z, shape: [n, K] }));
    writeFileSync(join(dir, `${name}-labels.npy`), encodeNpy({ data: y, shape: [n] }));
  }
  const base = ['compare', '--val-logits', join(dir, 'val-logits.npy'), '--val-labels', join(dir, 'val-labels.npy'),
    '--test-logits', join(dir, 'test-logits.npy'), '--test-labels', join(dir, 'test-labels.npy'), '--metrics', 'ece,nll', '--quiet'];

  it('skips them with the default method list and exits 0', async () => {
    const io = memoryIo();
    const code = await runCli(base, io);
    expect(io.err()).toMatch(/calibra compare: ms skipped: 1051650 parameters for 150 validation samples/);
    expect(io.err()).toMatch(/calibra compare: dirichlet skipped: 1051650 parameters/);
    expect(io.err()).not.toMatch(/failed/);
    expect(io.out()).toMatch(/\bms +- +skipped: 1051650 parameters/);
    expect(io.out()).not.toMatch(/failed/);
    expect(code).toBe(0);
  });

  it('fails (exit 1) when such a method is asked for by name', async () => {
    const io = memoryIo();
    expect(await runCli([...base, '--methods', 'ts,ms'], io)).toBe(1);
    expect(io.err()).toMatch(/calibra compare: ms failed: E_TOO_LARGE/);
  });
});
