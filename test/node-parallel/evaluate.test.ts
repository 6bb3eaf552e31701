/**
 * Multi-threaded evaluation: bit-identical to the single-thread pass for every thread count, for float32
 * and float64 logits and for probabilities, with the same first error; and `calibra evaluate --threads`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { encodeNpy } from '../../src/data/npy.js';
import { softmax } from '../../src/math/softmax.js';
import { Rng } from '../../src/math/rng.js';
import { MetricAccumulator } from '../../src/metrics/evaluate.js';
import { presetMetricIds } from '../../src/metrics/ids.js';
import { BLOCK_ROWS } from '../../src/metrics/partial.js';
import { defaultThreads, evaluateParallel } from '../../src/node-parallel/evaluate.js';

const N = 3 * BLOCK_ROWS + 37; // four blocks, the last one short
const K = 5;
const rng = new Rng(21);
const labels = new Int32Array(N);
const logits64 = new Float64Array(N * K);
for (let i = 0; i < N; i++) { labels[i] = rng.int(K); for (let k = 0; k < K; k++) logits64[i * K + k] = rng.normal() * 2 + (k === labels[i] ? 1.5 : 0); }
const logits32 = Float32Array.from(logits64);
const IDS = [...presetMetricIds('default'), 'cw_ece@7', 'ca_paper.sce', 'tl_ece@5', 'ece@25'];

function single(kind: 'logits' | 'probs', data: Float32Array | Float64Array, keepSamples = false): MetricAccumulator {
  const m = { data, rows: N, cols: K };
  const acc = new MetricAccumulator(IDS, K, { keepSamples });
  return kind === 'logits' ? acc.addLogits(m, labels) : acc.addProbs(m, labels);
}

describe('evaluateParallel', () => {
  it('gives bit-identical metrics for 1, 2 and 3 threads (float32 logits, float64 logits, probabilities)', async () => {
    const probs = softmax({ data: logits64, rows: N, cols: K }).data;
    for (const [kind, data] of [['logits', logits32], ['logits', logits64], ['probs', probs]] as const) {
      const whole = single(kind, data).result();
      for (const threads of data === logits32 ? [1, 2, 3] : [2]) {
        const acc = await evaluateParallel(kind, { data, rows: N, cols: K }, labels, IDS, { threads });
        expect(acc.result()).toStrictEqual(whole);
      }
    }
  });

  it('equals a streamed pass over odd-sized chunks bit for bit (blocks follow absolute row numbers)', async () => {
    const chunked = new MetricAccumulator(IDS, K);
    for (const [start, end] of [[0, 1000], [1000, 5000], [5000, 5001], [5001, N]] as const) {
      chunked.addLogits({ data: logits32.subarray(start * K, end * K), rows: end - start, cols: K }, labels, start);
    }
    const par = await evaluateParallel('logits', { data: logits32, rows: N, cols: K }, labels, IDS, { threads: 2 });
    expect(par.result()).toStrictEqual(chunked.result());
    expect(par.n).toBe(N);
  });

  it('keeps the per-sample summary in row order when asked (for bootstrap intervals)', async () => {
    const par = await evaluateParallel('logits', { data: logits32, rows: N, cols: K }, labels, ['accuracy'], { threads: 2, keepSamples: true });
    const ref = new MetricAccumulator(['accuracy'], K, { keepSamples: true }).addLogits({ data: logits32, rows: N, cols: K }, labels);
    expect(par.summary()).toStrictEqual(ref.summary());
  });

  it('raises the error the single-thread pass raises first (label out of range, naming the row)', async () => {
    const bad = labels.slice();
    bad[2 * BLOCK_ROWS + 5] = K; // block 2
    bad[3 * BLOCK_ROWS + 1] = -1; // block 3 (another worker)
    const m = { data: logits32, rows: N, cols: K };
    let expected: unknown;
    try { new MetricAccumulator(['accuracy'], K).addLogits(m, bad); } catch (e) { expected = e; }
    await expect(evaluateParallel('logits', m, bad, ['accuracy'], { threads: 3 })).rejects.toMatchObject({ code: 'E_LABEL_RANGE', where: `row ${2 * BLOCK_ROWS + 5}` });
    expect(expected).toMatchObject({ code: 'E_LABEL_RANGE', where: `row ${2 * BLOCK_ROWS + 5}` });
  });

  it('uses one thread by default for inputs of at most 2e7 values', () => {
    expect(defaultThreads(20_000, 1000)).toBe(1);
    expect(defaultThreads(50_000, 1000)).toBeGreaterThanOrEqual(1);
    expect(defaultThreads(50_000, 1000)).toBeLessThanOrEqual(4);
  });
});

describe('calibra evaluate --threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'calibra-threads-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const z = join(dir, 'z.npy');
  const y = join(dir, 'y.npy');
  writeFileSync(z, encodeNpy({ shape: [N, K], data: logits32 }));
  writeFileSync(y, encodeNpy({ shape: [N], data: labels }));

  it('prints the same JSON with 1 and 2 threads', async () => {
    const run = async (threads: string): Promise<string> => {
      const io = memoryIo();
      expect(await runCli(['evaluate', '--logits', z, '--labels', y, '--format', 'json', '--threads', threads, '--quiet'], io)).toBe(0);
      return io.out();
    };
    const one = await run('1');
    expect(await run('2')).toBe(one);
    expect(JSON.parse(one).n).toBe(N);
  });

  it('refuses --threads 0 with a one-line usage error', async () => {
    const io = memoryIo();
    expect(await runCli(['evaluate', '--logits', z, '--labels', y, '--threads', '0', '--quiet'], io)).toBe(2);
    expect(io.err()).toMatch(/threads/);
  });
});
