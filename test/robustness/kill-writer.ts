/**
 * Child process for the kill test (test/robustness/kill.test.ts). Modes:
 * - `signal`: replaces OUT atomically with a large output written in 64 KiB chunks, yielding to the event
 *   loop between chunks so that a signal lands half-way; prints "WRITING <tempPath>" after the first chunk;
 * - `throw`: the same, with an uncaught error half-way;
 * - `sync`: one synchronous 32 MiB write (as `calibra apply` does) after 400 ms of synchronous work;
 *   prints "WRITING <tempPath>" once the writer (and its signal handlers) exist.
 */
import { createAtomicWriter } from '../../src/data/atomic.js';

const [out, mode] = process.argv.slice(2) as [string, string];

function chunked(): void {
  const w = createAtomicWriter(out, { force: true });
  const chunk = new Uint8Array(65536).fill(0x41);
  let written = 0;
  const step = (): void => {
    w.write(chunk);
    written++;
    if (written === 1) process.stdout.write(`WRITING ${w.tempPath}\n`);
    if (mode === 'throw' && written === 8) throw new Error('boom half-way');
    if (written < 2000) setTimeout(step, 5);
    else w.commit();
  };
  step();
}

if (mode === 'sync') {
  const w = createAtomicWriter(out, { force: true });
  process.stdout.write(`WRITING ${w.tempPath}\n`);
  // Synchronous work long enough for the parent's signal to arrive during it, then a 32 MiB write.
  const until = Date.now() + 400;
  while (Date.now() < until) { /* busy, as a long synchronous computation and write */ }
  w.write(new Uint8Array(32 << 20).fill(0x42));
  w.commit();
  // Without the pending signal the process would live on for 2 s and exit 0.
  setTimeout(() => process.exit(0), 2000);
} else {
  chunked();
}
