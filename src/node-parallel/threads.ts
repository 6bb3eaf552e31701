/**
 * How many worker threads a command uses: the default for an input size, and a requested count clamped to the
 * cores this process may run on. No worker_threads import here, so a command that stays on one thread never
 * loads the thread pool. Node only.
 */
import * as os from 'node:os';

/** Inputs with more elements than this use several threads by default. */
export const PARALLEL_MIN_ELEMENTS = 2e7;

/** Most threads chosen by default (more rarely helps: the fused pass is memory-bound past 4). */
export const DEFAULT_MAX_THREADS = 4;

/**
 * The default thread count for an N×K input: min(available cores, 4) above {@link PARALLEL_MIN_ELEMENTS}
 * elements, else 1. Cost O(1).
 * @example
 * import { availableParallelism } from 'node:os';
 * defaultThreads(50_000, 1000) // => Math.min(availableParallelism(), 4)
 * defaultThreads(10, 10) // => 1
 */
export function defaultThreads(rows: number, cols: number): number {
  if (rows * cols <= PARALLEL_MIN_ELEMENTS) return 1;
  return Math.max(1, Math.min(os.availableParallelism(), DEFAULT_MAX_THREADS));
}

/**
 * `requested` threads clamped to the cores available to this process (more threads than cores only add
 * start-up and contention), with the note a command prints on stderr when it clamps (null when it does not).
 * `cores` defaults to os.availableParallelism(). Cost O(1).
 * @example clampThreads(8, 'evaluate', 2) // => { threads: 2, note: 'calibra evaluate: --threads 8 is more than the 2 available cores; using 2' }
 */
export function clampThreads(requested: number, command: string, cores: number = os.availableParallelism()): { threads: number; note: string | null } {
  const max = Math.max(1, cores);
  if (requested <= max) return { threads: requested, note: null };
  return { threads: max, note: `calibra ${command}: --threads ${requested} is more than the ${max} available cores; using ${max}` };
}
