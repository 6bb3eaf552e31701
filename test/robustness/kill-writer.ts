/**
 * Child process for the kill test (test/robustness/kill.test.ts): replaces OUT atomically with a large
 * output written in 64 KiB chunks, yielding to the event loop between chunks so that a signal lands
 * half-way. Prints "WRITING <tempPath>" after the first chunk. Modes: `signal` (wait to be killed),
 * `throw` (throw an uncaught error half-way).
 */
import { createAtomicWriter } from '../../src/data/atomic.js';

const [out, mode] = process.argv.slice(2) as [string, string];
const w = createAtomicWriter(out, { force: true });
const chunk = new Uint8Array(65536).fill(0x41);
let written = 0;
function step(): void {
  w.write(chunk);
  written++;
  if (written === 1) process.stdout.write(`WRITING ${w.tempPath}\n`);
  if (mode === 'throw' && written === 8) throw new Error('boom half-way');
  if (written < 2000) setTimeout(step, 5);
  else w.commit();
}
step();
