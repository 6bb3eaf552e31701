/**
 * Issue 8 "no partial writes": an output being replaced is either the old file or the complete new one.
 * A child process writes a large output through the atomic writer and is interrupted half-way.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createAtomicWriter, writeFileAtomic } from '../../src/data/atomic.js';
import { expectCode } from '../data/helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-kill-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const SCRIPT = path.join(__dirname, 'kill-writer.ts');
const PREVIOUS = 'previous complete output\n';

interface Run { tempPath: string; code: number | null; signal: NodeJS.Signals | null }

function interrupt(out: string, mode: 'signal' | 'throw' | 'sync', signal: NodeJS.Signals): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, out, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let tempPath = '';
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /WRITING (\S+)\n/.exec(buf);
      if (m !== null && tempPath === '') {
        tempPath = m[1] as string;
        if (mode === 'signal') {
          expect(fs.existsSync(tempPath)).toBe(true);
          setTimeout(() => child.kill(signal), 50);
        }
        if (mode === 'sync') child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, sig) => resolve({ tempPath, code, signal: sig }));
  });
}

function tempsIn(dir: string): string[] {
  return fs.readdirSync(dir).filter((n) => n.includes('.calibra-tmp-'));
}

describe('atomic writes interrupted half-way', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal}: the previous file is intact, no temporary file remains, the signal is re-raised`, async () => {
      const dir = fs.mkdtempSync(path.join(tmp, signal));
      const out = path.join(dir, 'probs.npy');
      fs.writeFileSync(out, PREVIOUS);
      const run = await interrupt(out, 'signal', signal);
      expect(run.tempPath).not.toBe('');
      expect(run.signal).toBe(signal);
      expect(fs.readFileSync(out, 'utf8')).toBe(PREVIOUS);
      expect(tempsIn(dir)).toEqual([]);
    });
  }
  it('an uncaught error half-way: previous file intact, temp removed', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'throw'));
    const out = path.join(dir, 'probs.npy');
    fs.writeFileSync(out, PREVIOUS);
    const run = await interrupt(out, 'throw', 'SIGTERM');
    expect(run.code).not.toBe(0);
    expect(fs.readFileSync(out, 'utf8')).toBe(PREVIOUS);
    expect(tempsIn(dir)).toEqual([]);
  });
  it('SIGTERM during synchronous work and write: the complete new file is in place, then the process dies of the signal', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'sync'));
    const out = path.join(dir, 'probs.npy');
    fs.writeFileSync(out, PREVIOUS);
    const run = await interrupt(out, 'sync', 'SIGTERM');
    expect(run.signal).toBe('SIGTERM');
    expect(fs.statSync(out).size).toBe(32 << 20);
    expect(tempsIn(dir)).toEqual([]);
  });
  it('SIGKILL: the previous file is intact; the stale temp is removed by the next write in that folder', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'kill'));
    const out = path.join(dir, 'probs.npy');
    fs.writeFileSync(out, PREVIOUS);
    const run = await interrupt(out, 'signal', 'SIGKILL');
    expect(run.signal).toBe('SIGKILL');
    expect(fs.readFileSync(out, 'utf8')).toBe(PREVIOUS);
    expect(tempsIn(dir)).toEqual([path.basename(run.tempPath)]);
    writeFileAtomic(path.join(dir, 'other.json'), '{}\n');
    expect(tempsIn(dir)).toEqual([]);
    expect(fs.readFileSync(out, 'utf8')).toBe(PREVIOUS);
  });
});

describe('writeFileAtomic', () => {
  it('refuses to replace without force (E_EXISTS) and replaces with force', () => {
    const out = path.join(tmp, 'a.json');
    writeFileAtomic(out, 'one');
    expect(expectCode(() => writeFileAtomic(out, 'two'), 'E_EXISTS').fix).toContain('--force');
    expect(fs.readFileSync(out, 'utf8')).toBe('one');
    writeFileAtomic(out, new TextEncoder().encode('three'), { force: true });
    expect(fs.readFileSync(out, 'utf8')).toBe('three');
    expect(tempsIn(tmp)).toEqual([]);
  });
  it('a target created while writing is not clobbered (E_EXISTS at commit) and the temp is removed', () => {
    const out = path.join(tmp, 'race.json');
    const w = createAtomicWriter(out);
    w.write('mine');
    fs.writeFileSync(out, 'theirs');
    expectCode(() => w.commit(), 'E_EXISTS');
    expect(fs.readFileSync(out, 'utf8')).toBe('theirs');
    expect(fs.existsSync(w.tempPath)).toBe(false);
  });
  it('a missing folder is E_IO naming the file; abort removes the temp; one signal handler however many writers', () => {
    expect(expectCode(() => writeFileAtomic(path.join(tmp, 'no', 'x.npy'), 'x'), 'E_IO').source).toBe(path.join(tmp, 'no', 'x.npy'));
    const w = createAtomicWriter(path.join(tmp, 'b.json'));
    const count = process.listenerCount('SIGTERM');
    const w2 = createAtomicWriter(path.join(tmp, 'c.json'));
    expect(process.listenerCount('SIGTERM')).toBe(count);
    w.abort();
    w2.abort();
    expect(fs.existsSync(w.tempPath) || fs.existsSync(w2.tempPath)).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'b.json'))).toBe(false);
  });
});
