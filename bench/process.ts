/**
 * Whole-process timings for `npm run bench`: what a user waits for is the process (start-up, imports, reading
 * files, the work, writing the output), so each CLI workload is also timed as separate processes, paired
 * against the reference stack's own whole process, run in turn (A B A B ...) after one warm-up pair, so a
 * ratio holds while a shared machine's speed drifts. Wall time from the parent's monotonic clock; peak
 * resident memory from GNU time (`/usr/bin/time -f %M`, when installed) of each process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

/** One process: argv[0] is the program. A step list runs in order and counts as one run (e.g. fit then apply). */
export type Steps = readonly (readonly string[])[];

export interface ProcessRun { readonly wall_s: number; readonly peak_rss_mb: number }

const GNU_TIME = '/usr/bin/time';

/** Runs the steps once; throws when one exits non-zero. Wall = sum of the steps; peak = the largest step's. */
export function runSteps(steps: Steps, cwd: string): ProcessRun {
  let wall = 0;
  let peak = 0;
  for (const argv of steps) {
    const memFile = join(tmpdir(), `calibra-bench-time-${process.pid}.txt`);
    const useTime = existsSync(GNU_TIME);
    const [cmd, ...rest] = useTime ? [GNU_TIME, '-f', '%M', '-o', memFile, ...argv] : argv;
    const t0 = performance.now();
    const r = spawnSync(cmd as string, rest, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 24 });
    wall += (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(`bench: ${argv.join(' ')} exited ${r.status}:\n${r.stderr}`);
    if (useTime) {
      const kb = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop());
      rmSync(memFile, { force: true });
      if (Number.isFinite(kb)) peak = Math.max(peak, kb / 1024);
    }
  }
  return { wall_s: wall, peak_rss_mb: peak };
}

export interface Paired { readonly a: ProcessRun[]; readonly b: ProcessRun[]; readonly ratios: number[] }

/** A and B in turn, `runs` counted pairs after `warmup` uncounted ones; ratios are A/B pair by pair. */
export function paired(a: Steps, b: Steps, cwd: string, runs: number, warmup = 1): Paired {
  for (let i = 0; i < warmup; i++) { runSteps(a, cwd); runSteps(b, cwd); }
  const ra: ProcessRun[] = [];
  const rb: ProcessRun[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const x = runSteps(a, cwd);
    const y = runSteps(b, cwd);
    ra.push(x);
    rb.push(y);
    ratios.push(x.wall_s / y.wall_s);
  }
  return { a: ra, b: rb, ratios };
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
