/**
 * Issue 13, signals: Ctrl-C (SIGINT) or SIGTERM during `calibra report` or `calibra demo` stops the process
 * promptly, by that signal, leaving every finished file complete and no temporary file. Real processes
 * (sources run through tsx). Promptness is shown without timing: the signal is sent once the first PNG of
 * many exists, and the process must die before it has written them all (before: it went on to the end).
 * Case ids S1-S3 of docs/robustness.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/data/npy.js';
import { Rng } from '../../src/math/rng.js';

const RUNNER = path.join(__dirname, 'cli-runner.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-signals-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string): string => path.join(tmp, name);

const N = 300;
const K = 4;
const METHODS = ['ts', 'vs', 'platt', 'isotonic', 'histogram', 'beta'];
const TEST_SETS = 6;
const TOTAL_PNGS = TEST_SETS * (1 + 2 * (METHODS.length + 1));

beforeAll(() => {
  const rng = new Rng(9);
  const labels = Int32Array.from({ length: N }, () => rng.int(K));
  const logits = Float64Array.from({ length: N * K }, (_, i) => 2 * rng.normal() + (labels[Math.floor(i / K)] === i % K ? 1 : 0));
  fs.writeFileSync(at('l.npy'), encodeNpy({ shape: [N, K], data: logits }));
  fs.writeFileSync(at('y.npy'), encodeNpy({ shape: [N], data: labels }));
});

interface Run { readonly signal: NodeJS.Signals | null; readonly code: number | null }

/** Spawns the CLI; sends `signal` once `ready(stderrSoFar)` holds (polled every 5 ms). */
function interrupt(argv: string[], ready: (stderr: string) => boolean, signal: NodeJS.Signals): Promise<Run & { sent: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, ...argv, '--quiet'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => { stderr += chunk; });
    let sent = false;
    const timer = setInterval(() => {
      if (!sent && ready(stderr)) { sent = true; child.kill(signal); }
    }, 5);
    child.on('error', reject);
    child.on('exit', (code, sig) => { clearInterval(timer); resolve({ signal: sig, code, sent }); });
  });
}

function temps(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.includes('.calibra-tmp-'));
}

describe('signals during report and demo', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`S1 (${signal}): report stops between PNGs; every PNG written is complete; no HTML, no temporary file`, async () => {
      const dir = fs.mkdtempSync(path.join(tmp, `png-${signal}-`));
      const pngDir = path.join(dir, 'png');
      const sets = Array.from({ length: TEST_SETS }, (_, i) => ['--test-set', `set${i}=${at('l.npy')},${at('y.npy')}`]).flat();
      const run = await interrupt(['report', '--val-logits', at('l.npy'), '--val-labels', at('y.npy'), ...sets, '--methods', METHODS.join(','), '--bootstrap', '0', '--out', path.join(dir, 'r.html'), '--png-dir', pngDir],
        () => fs.existsSync(pngDir) && fs.readdirSync(pngDir).some((n) => n.endsWith('.png')), signal);
      expect(run.sent).toBe(true);
      expect(run.signal).toBe(signal);
      const pngs = fs.readdirSync(pngDir).filter((n) => n.endsWith('.png'));
      expect(pngs.length).toBeGreaterThan(0);
      expect(pngs.length, `${pngs.length} of ${TOTAL_PNGS} PNGs written`).toBeLessThan(TOTAL_PNGS);
      for (const p of pngs) expect(PNG.sync.read(fs.readFileSync(path.join(pngDir, p))).width).toBeGreaterThan(0);
      expect(temps(pngDir)).toEqual([]);
      expect(fs.existsSync(path.join(dir, 'r.html'))).toBe(false);
      expect(temps(dir)).toEqual([]);
    });
  }
  it('S2: a signal during the fits (no output open yet) stops report at once with nothing written', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'fits-'));
    fs.writeFileSync(path.join(dir, 'r.html'), 'previous');
    // sent once report has read its inputs (it warns that the test set is the validation set, just before the fits)
    const run = await interrupt(['report', '--val-logits', at('l.npy'), '--val-labels', at('y.npy'), '--test-logits', at('l.npy'), '--test-labels', at('y.npy'), '--methods', METHODS.join(','), '--out', path.join(dir, 'r.html'), '--force'],
      (stderr) => stderr.includes('is the validation set'), 'SIGTERM');
    expect(run.sent).toBe(true);
    expect(run.signal).toBe('SIGTERM');
    expect(fs.readFileSync(path.join(dir, 'r.html'), 'utf8')).toBe('previous');
    expect(temps(dir)).toEqual([]);
  });
  it('S3: Ctrl-C during demo stops it by SIGINT, before its outputs, with no temporary file', async () => {
    const out = path.join(tmp, 'demo-out');
    // Sent once demo has printed its start line (its work has begun), not after a fixed delay: on an idle machine
    // a small demo can finish within any fixed delay, and the test would then see a normal exit.
    const run = await interrupt(['demo', '--limit', '400', '--corruptions', 'none', '--out', out, '--no-report'], (stderr) => stderr.includes('demo: suite'), 'SIGINT');
    expect(run.sent).toBe(true);
    expect(run.signal).toBe('SIGINT');
    if (fs.existsSync(out)) {
      expect(temps(out)).toEqual([]);
      for (const f of fs.readdirSync(out)) expect(fs.statSync(path.join(out, f)).size).toBeGreaterThan(0);
    }
  });
});
