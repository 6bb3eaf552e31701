/**
 * Issue 13, unbounded work: per-class statistics that would outgrow the memory limit are refused before
 * they are allocated (1 row × 3 000 000 classes took 4.4 GB), their size formula matches what is allocated,
 * and `--bootstrap` is bounded. Cases W1-W3 of docs/robustness.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { encodeNpy } from '../../src/data/npy.js';
import { MetricAccumulator } from '../../src/metrics/evaluate.js';
import { createPartial } from '../../src/metrics/partial.js';
import { expectCode } from '../data/helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-bounds-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('W1-W2: per-class statistics within the memory limit', () => {
  it('W1: cw_ece / tl_ece over 3 000 000 classes are refused before allocating (E_TOO_LARGE naming the ids and the fix)', () => {
    const e = expectCode(() => new MetricAccumulator(['ece', 'cw_ece', 'tl_ece'], 3_000_000), 'E_TOO_LARGE');
    expect(e.message).toMatch(/^cw_ece, tl_ece over 3000000 classes need 4416001504 bytes of per-class bin statistics, over the memory limit of 2147483648 bytes$/);
    expect(e.fix).toMatch(/cw_ece@5/);
    // ids without per-class statistics are fine at any class count
    expect(new MetricAccumulator(['ece', 'nll', 'brier'], 3_000_000).classes).toBe(3_000_000);
    // the limit is the data limit: a lower one refuses sooner
    expectCode(() => new MetricAccumulator(['cw_ece'], 10_000, { maxBytes: 1 << 20 }), 'E_TOO_LARGE');
  });
  it('W2: the size formula is what createPartial allocates', () => {
    const bytes = MetricAccumulator.statisticsBytes(['ece@15', 'cw_ece@10', 'tl_ece@7', 'ca_paper.sce'], 13);
    const p = createPartial({ classes: 13, rule: 'right', top: [15], cond: [7], cls: [10], caSce: [] });
    const sum = (m: ReadonlyMap<number, { count: Float64Array; sumScore: Float64Array; sumTarget: Float64Array; total: Float64Array; edges: Float64Array }>): number =>
      [...m.values()].reduce((s, b) => s + b.count.byteLength + b.sumScore.byteLength + b.sumTarget.byteLength + b.total.byteLength + b.edges.byteLength, 0);
    const caSce = MetricAccumulator.statisticsBytes(['ca_paper.sce'], 13) - MetricAccumulator.statisticsBytes([], 13);
    expect(bytes).toBe(2 * (sum(p.top) + sum(p.cond) + sum(p.cls)) + caSce);
  });
  it('W2b: at the CLI, one line, exit 2, and no output', async () => {
    fs.writeFileSync(path.join(tmp, 'wide.npy'), encodeNpy({ shape: [1, 3_000_000], data: new Float32Array(3_000_000) }));
    fs.writeFileSync(path.join(tmp, 'y.npy'), encodeNpy({ shape: [1], data: new Int32Array([3]) }));
    const io = memoryIo();
    expect(await runCli(['evaluate', '--logits', path.join(tmp, 'wide.npy'), '--labels', path.join(tmp, 'y.npy'), '--quiet'], io)).toBe(2);
    expect(io.err()).toMatch(/^calibra: E_TOO_LARGE: metrics: cw_ece, tl_ece over 3000000 classes need \d+ bytes .*\(fix: .*\)\n$/);
    expect(io.out()).toBe('');
  });
});

describe('W3: --bootstrap is bounded', () => {
  it('1e9 resamples are refused with the allowed range', async () => {
    const io = memoryIo();
    expect(await runCli(['evaluate', '--logits', path.join(tmp, 'wide.npy'), '--labels', path.join(tmp, 'y.npy'), '--ci', '0.95', '--bootstrap', '1e9'], io)).toBe(2);
    expect(io.err()).toMatch(/^calibra: E_USAGE: calibra evaluate: --bootstrap "1e9" is not valid \(fix: give an integer >= 2 <= 100000\)\n$/);
  });
});
