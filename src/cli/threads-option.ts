/** `--threads N` of evaluate and apply: an integer >= 1, clamped to the available cores with a note on stderr. */
import { clampThreads } from '../node-parallel/threads.js';
import { getValue, numberValue, type ParsedArgs } from './args.js';
import type { CliIo } from './io.js';

/** The thread count asked for (clamped to the cores, with a note), or null when --threads is absent. */
export function threadsOption(args: ParsedArgs, command: string, io: CliIo): number | null {
  if (getValue(args, 'threads') === undefined) return null;
  const { threads, note } = clampThreads(numberValue(args, 'threads', command, 1, { min: 1, max: 256, integer: true }), command);
  if (note !== null) io.stderr(`${note}\n`);
  return threads;
}
