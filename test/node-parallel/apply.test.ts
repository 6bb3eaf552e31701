/**
 * Multi-threaded `apply`: the calibrated probabilities equal the single-thread `predictProba` bit for bit,
 * for a scaling method (ts), a full matrix map (ms) and a binning method (isotonic).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { encodeNpy } from '../../src/data/npy.js';
import { Rng } from '../../src/math/rng.js';
import { predictParallel } from '../../src/node-parallel/apply.js';

const N = 3001;
const K = 4;
const rng = new Rng(5);
const labels = new Int32Array(N);
const data = new Float32Array(N * K);
for (let i = 0; i < N; i++) { labels[i] = rng.int(K); for (let k = 0; k < K; k++) data[i * K + k] = rng.normal() * 2 + (k === labels[i] ? 1 : 0); }
const logits = { data, rows: N, cols: K };

describe('predictParallel', () => {
  it('equals predictProba bit for bit with 2 and 3 threads (ts, ms, isotonic)', async () => {
    for (const [id, threads] of [['ts', 2], ['ms', 3], ['isotonic', 2]] as const) {
      const model = getCalibrator(id).fit({ logits, labels }, {}, { seed: 0 }).model;
      const one = model.predictProba({ logits });
      const par = await predictParallel(model, { logits }, threads);
      expect(par.rows).toBe(N);
      expect(Array.from(par.data)).toStrictEqual(Array.from(one.data));
    }
  });
});

describe('calibra apply --threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calibra-apply-threads-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const f = (name: string): string => join(dir, name);
  writeFileSync(f('z.npy'), encodeNpy({ shape: [N, K], data }));
  writeFileSync(f('y.npy'), encodeNpy({ shape: [N], data: labels }));
  const cli = async (...argv: string[]): Promise<number> => runCli([...argv, '--quiet'], memoryIo());

  it('writes the same bytes with 1 and 2 threads', async () => {
    expect(await cli('fit', '--method', 'ts', '--logits', f('z.npy'), '--labels', f('y.npy'), '--out', f('ts.json'))).toBe(0);
    expect(await cli('apply', '--model', f('ts.json'), '--logits', f('z.npy'), '--out', f('p1.npy'), '--threads', '1')).toBe(0);
    expect(await cli('apply', '--model', f('ts.json'), '--logits', f('z.npy'), '--out', f('p2.npy'), '--threads', '2')).toBe(0);
    expect(readFileSync(f('p2.npy')).equals(readFileSync(f('p1.npy')))).toBe(true);
  });
});
