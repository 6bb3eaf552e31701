/**
 * The built CLI (bin/calibra.js → dist/cli, `npm run build`) reaches fflate through the lazy shim of
 * scripts/cli-shims (initialised on first use, not at start-up): a deflated .npz must still read exactly as
 * the same arrays in .npy files, and a corrupt deflate stream must still be refused with its one line.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/data/npy.js';
import { encodeNpz } from '../../src/data/npz.js';

const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'calibra.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-bundle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function calibra(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('built CLI and deflate', () => {
  const N = 200;
  const K = 4;
  const logits = new Float64Array(N * K);
  const labels = new Int32Array(N);
  let s = 12345;
  const next = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 2 ** 32; };
  for (let i = 0; i < N * K; i++) logits[i] = 4 * next() - 2;
  for (let i = 0; i < N; i++) labels[i] = Math.floor(next() * K);
  const npzFile = path.join(dir, 'val.npz');
  fs.writeFileSync(npzFile, encodeNpz([['logits', { shape: [N, K], data: logits }], ['labels', { shape: [N], data: labels }]], { compress: true }));
  fs.writeFileSync(path.join(dir, 'logits.npy'), encodeNpy({ shape: [N, K], data: logits }));
  fs.writeFileSync(path.join(dir, 'labels.npy'), encodeNpy({ shape: [N], data: labels }));

  it('a deflated .npz gives the same metrics as the .npy files', () => {
    const z = calibra(['evaluate', '--logits', npzFile, '--labels', npzFile, '--metrics', 'ece,nll,brier', '--format', 'json']);
    const y = calibra(['evaluate', '--logits', path.join(dir, 'logits.npy'), '--labels', path.join(dir, 'labels.npy'), '--metrics', 'ece,nll,brier', '--format', 'json']);
    expect(z.status, z.stderr).toBe(0);
    expect(y.status, y.stderr).toBe(0);
    expect(JSON.parse(z.stdout)).toEqual(JSON.parse(y.stdout));
    expect(fs.readFileSync(npzFile)[8]).toBe(8); // the members really are deflated (method 8)
  });

  it('a corrupt deflate stream is one line, exit 2', () => {
    const bad = Buffer.from(fs.readFileSync(npzFile));
    const nameLen = bad.readUInt16LE(26);
    const extraLen = bad.readUInt16LE(28);
    bad.fill(0xff, 30 + nameLen + extraLen, 30 + nameLen + extraLen + 16); // first member's stream starts here
    const f = path.join(dir, 'bad.npz');
    fs.writeFileSync(f, bad);
    const r = calibra(['evaluate', '--logits', f, '--labels', path.join(dir, 'labels.npy')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.npz/);
  });
});
