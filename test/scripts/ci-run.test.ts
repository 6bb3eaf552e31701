/**
 * Issue 13, CI honesty: `.ci/run` stops when apt-get fails or a dependency is still missing after it (it
 * used to carry on, and the tests that need the dependency skipped, so CI could be green without them);
 * tests that need Chromium, a Debian data set or numpy fail in CI (CI=true) instead of skipping.
 * The script runs with stub commands first on PATH (python3 that lacks numpy, a failing apt-get, an npm
 * that records being called). Cases CI1-CI3 of docs/robustness.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { inCi, requires } from '../support/requires.js';

const ROOT = path.join(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-ci-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function stubs(aptStatus: number): string {
  const dir = fs.mkdtempSync(path.join(tmp, 'bin-'));
  const write = (name: string, body: string): void => { fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 }); };
  write('python3', 'exit 1'); // numpy, scipy, sklearn "missing"
  write('apt-get', `echo "apt-get $*" >> ${dir}/apt.log; exit ${aptStatus}`);
  write('npm', `touch ${dir}/npm-was-called; exit 0`);
  return dir;
}

function runCi(bin: string): { status: number | null; stderr: string } {
  const r = spawnSync('bash', [path.join(ROOT, '.ci', 'run')], { env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, CALIBRA_PYTHON: path.join(bin, 'python3') }, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

describe('.ci/run', () => {
  it('CI1: a failing apt-get stops the run before npm (exit 1, naming the packages)', () => {
    const bin = stubs(100);
    const r = runCi(bin);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ci: apt-get update failed \(needed for: python3-numpy python3-scipy python3-sklearn/);
    expect(fs.existsSync(path.join(bin, 'npm-was-called'))).toBe(false);
  });
  it('CI2: an apt-get that "succeeds" but leaves a dependency missing stops the run too', () => {
    const bin = stubs(0);
    const r = runCi(bin);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ci: still missing after apt-get install: python3-numpy/);
    expect(fs.readFileSync(path.join(bin, 'apt.log'), 'utf8')).toMatch(/install -y -qq --no-install-recommends python3-numpy python3-scipy python3-sklearn/);
    expect(fs.existsSync(path.join(bin, 'npm-was-called'))).toBe(false);
  });
});

describe('CI3: tests that need a dependency fail in CI instead of skipping', () => {
  const saved = process.env['CI'];
  afterAll(() => { if (saved === undefined) delete process.env['CI']; else process.env['CI'] = saved; });
  it('requires() throws under CI=true and skips (false) with a note otherwise', () => {
    process.env['CI'] = 'true';
    expect(inCi()).toBe(true);
    expect(() => requires('Chromium (/nope)', false, 'chromium')).toThrow(/CI=true: Chromium \(\/nope\) is missing \(install the Debian package chromium/);
    expect(requires('x', true, 'x')).toBe(true);
    process.env['CI'] = 'false';
    expect(inCi()).toBe(false);
    expect(requires('Chromium (/nope)', false, 'chromium')).toBe(false);
  });
});
