import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { clampThreads, defaultThreads, PARALLEL_MIN_ELEMENTS } from '../../src/node-parallel/threads.js';

describe('thread counts', () => {
  it('clamps a request above the core count, with a note', () => {
    expect(clampThreads(8, 'evaluate', 2)).toEqual({ threads: 2, note: 'calibra evaluate: --threads 8 is more than the 2 available cores; using 2' });
    expect(clampThreads(2, 'apply', 2)).toEqual({ threads: 2, note: null });
    expect(clampThreads(1, 'apply', 1)).toEqual({ threads: 1, note: null });
    expect(clampThreads(3, 'apply', 0).threads).toBe(1);
  });

  it('defaults to one thread below the size threshold', () => {
    expect(defaultThreads(1000, 10)).toBe(1);
    expect(defaultThreads(PARALLEL_MIN_ELEMENTS, 1)).toBe(1);
    expect(defaultThreads(PARALLEL_MIN_ELEMENTS + 1, 1)).toBe(Math.min(os.availableParallelism(), 4));
  });

  it('calibra evaluate --threads above the cores prints the note and still succeeds', async () => {
    const io = memoryIo();
    const over = os.availableParallelism() + 1;
    const code = await runCli(['evaluate', '--logits', 'missing-file.npy', '--labels', 'missing.npy', '--threads', String(over)], io);
    expect(io.err()).toContain(`calibra evaluate: --threads ${over} is more than the ${os.availableParallelism()} available cores; using ${os.availableParallelism()}`);
    expect(code).toBe(2); // the missing file is still reported
  });
});
