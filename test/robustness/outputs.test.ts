/**
 * Issue 13, outputs and input kinds: an output equal to an input (or another output), colliding report PNG
 * names, existing outputs detected before the work, the mode of a replaced file kept, and folders, FIFOs
 * and devices as inputs or outputs, each refused with one line (exit 2) and nothing written. Case ids
 * O1-O9 of docs/robustness.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { encodeNpy } from '../../src/data/npy.js';
import { writeFileAtomic } from '../../src/data/atomic.js';
import type { CalibraErrorCode } from '../../src/errors.js';
import { Rng } from '../../src/math/rng.js';
import { expectCode } from '../data/helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-outputs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string): string => path.join(tmp, name);

const N = 40;
const K = 3;
const rng = new Rng(3);
const labels = Int32Array.from({ length: N }, () => rng.int(K));
const logits = Float64Array.from({ length: N * K }, (_, i) => rng.normal() + (labels[Math.floor(i / K)] === i % K ? 2 : 0));

async function cli(argv: string[]): Promise<{ code: number; err: string; out: string }> {
  const io = memoryIo();
  const code = await runCli([...argv, '--quiet'], io);
  return { code, err: io.err(), out: io.out() };
}

function expectLine(r: { code: number; err: string }, code: CalibraErrorCode, file?: string): void {
  expect(r.code, r.err).toBe(2);
  const m = /^calibra: (E_[A-Z_]+): ([^:]+): .* \(fix: .+\)\n$/.exec(r.err);
  expect(m?.[1], r.err).toBe(code);
  if (file !== undefined) expect(path.basename(m?.[2] ?? ''), r.err).toBe(file);
}

const snapshot = (): string[] => fs.readdirSync(tmp).sort();

beforeAll(async () => {
  fs.writeFileSync(at('val.npy'), encodeNpy({ shape: [N, K], data: logits }));
  fs.writeFileSync(at('y.npy'), encodeNpy({ shape: [N], data: labels }));
  // a test set that is not the validation set (else report warns on stderr)
  fs.writeFileSync(at('t.npy'), encodeNpy({ shape: [N, K], data: logits.map((v) => v * 0.5) }));
  expect((await cli(['fit', '--method', 'ts', '--logits', at('val.npy'), '--labels', at('y.npy'), '--out', at('ts.json')])).code).toBe(0);
});

describe('O1-O2: an output that is an input, or another output', () => {
  it('O1: apply --out equal to --temperatures is refused before anything is written', async () => {
    const before = snapshot();
    const r = await cli(['apply', '--model', at('ts.json'), '--logits', at('val.npy'), '--out', at('p.npy'), '--temperatures', at('p.npy')]);
    expectLine(r, 'E_USAGE', 'p.npy');
    expect(r.err).toContain('--temperatures and --out name the same file');
    expect(snapshot()).toEqual(before);
  });
  it('O1b: the same file through another spelling or a hard link is the same file', async () => {
    fs.linkSync(at('val.npy'), at('val-link.npy'));
    const bytes = fs.readFileSync(at('val.npy'));
    for (const out of [at('val-link.npy'), path.join(tmp, '.', 'val.npy')]) {
      const r = await cli(['apply', '--model', at('ts.json'), '--logits', at('val.npy'), '--out', out, '--force']);
      expectLine(r, 'E_USAGE');
      expect(r.err).toContain('the same file as the input --logits');
    }
    expect(fs.readFileSync(at('val.npy')).equals(bytes)).toBe(true);
    fs.unlinkSync(at('val-link.npy'));
  });
  it('O2: --out equal to an input, with --force, for fit, apply, report and views', async () => {
    const bytes = fs.readFileSync(at('y.npy'));
    expectLine(await cli(['fit', '--method', 'ts', '--logits', at('val.npy'), '--labels', at('y.npy'), '--out', at('y.npy'), '--force']), 'E_USAGE', 'y.npy');
    expectLine(await cli(['apply', '--model', at('ts.json'), '--logits', at('val.npy'), '--out', at('ts.json'), '--force']), 'E_USAGE', 'ts.json');
    expectLine(await cli(['report', '--val-logits', at('val.npy'), '--val-labels', at('y.npy'), '--test-logits', at('val.npy'), '--test-labels', at('y.npy'), '--out', at('y.npy'), '--force', '--methods', 'ts']), 'E_USAGE', 'y.npy');
    expectLine(await cli(['views', '--model', at('ts.json'), '--dataset', 'fashion-mnist:test', '--out', at('ts.json'), '--force']), 'E_USAGE', 'ts.json');
    expect(fs.readFileSync(at('y.npy')).equals(bytes)).toBe(true);
  });
});

describe('O3-O4: report PNG names and existing files, before the work', () => {
  const reportArgs = (extra: string[]): string[] => ['report', '--val-logits', at('val.npy'), '--val-labels', at('y.npy'), '--methods', 'ts', ...extra];
  it('O3: test sets "a b" and "a?b" would write the same PNGs: refused before fitting, nothing written', async () => {
    const before = snapshot();
    const r = await cli(reportArgs(['--test-set', `a b=${at('t.npy')},${at('y.npy')}`, '--test-set', `a?b=${at('t.npy')},${at('y.npy')}`, '--out', at('r.html'), '--png-dir', at('png'), '--force']));
    expectLine(r, 'E_USAGE', 'png');
    expect(r.err).toContain('"a_b-ece-vs-bins.png"');
    expect(snapshot()).toEqual(before);
  });
  it('O3b: --methods ts,ts is refused', async () => {
    expectLine(await cli(['report', '--val-logits', at('val.npy'), '--val-labels', at('y.npy'), '--test-logits', at('t.npy'), '--test-labels', at('y.npy'), '--methods', 'ts,ts', '--out', at('r.html')]), 'E_USAGE');
  });
  it('O4: an existing PNG without --force is found before the work, and neither the HTML nor any PNG is written', async () => {
    fs.mkdirSync(at('png2'));
    fs.writeFileSync(at('png2/test-ts-smooth.png'), 'old');
    const r = await cli(reportArgs(['--test-logits', at('t.npy'), '--test-labels', at('y.npy'), '--out', at('r2.html'), '--png-dir', at('png2')]));
    expectLine(r, 'E_EXISTS', 'test-ts-smooth.png');
    expect(fs.existsSync(at('r2.html'))).toBe(false);
    expect(fs.readdirSync(at('png2'))).toEqual(['test-ts-smooth.png']);
    expect(fs.readFileSync(at('png2/test-ts-smooth.png'), 'utf8')).toBe('old');
  });
  it('O4b: fit with an existing --out refuses before fitting (no work is lost to a late check)', async () => {
    const r = await cli(['fit', '--method', 'ts', '--logits', at('nope.npy'), '--labels', at('y.npy'), '--out', at('ts.json')]);
    expectLine(r, 'E_EXISTS', 'ts.json'); // the output is checked before the (missing) input is even read
  });
});

describe('O5: --force keeps the mode of the file it replaces', () => {
  it('a mode-600 output stays 600; a new file gets the default', async () => {
    fs.writeFileSync(at('secret.json'), '{}');
    fs.chmodSync(at('secret.json'), 0o600);
    expect((await cli(['fit', '--method', 'ts', '--logits', at('val.npy'), '--labels', at('y.npy'), '--out', at('secret.json'), '--force'])).code).toBe(0);
    expect(fs.statSync(at('secret.json')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(at('secret.json'), 'utf8')).toContain('"method": "ts"');
    fs.chmodSync(at('secret.json'), 0o640);
    writeFileAtomic(at('secret.json'), 'x', { force: true });
    expect(fs.statSync(at('secret.json')).mode & 0o777).toBe(0o640);
  });
});

describe('O6-O9: folders, FIFOs and devices', () => {
  it('O6: a folder as output is refused, with or without --force, and stays a folder', async () => {
    fs.mkdirSync(at('dir.npy'));
    for (const force of [[], ['--force']]) {
      const r = await cli(['apply', '--model', at('ts.json'), '--logits', at('val.npy'), '--out', at('dir.npy'), ...force]);
      expectLine(r, 'E_IO', 'dir.npy');
      expect(r.err).toContain('is a folder, not a regular file');
    }
    expect(fs.statSync(at('dir.npy')).isDirectory()).toBe(true);
  });
  it('O7: /dev/null and /dev/zero as output are refused (never renamed over)', async () => {
    for (const dev of ['/dev/null', '/dev/zero']) {
      const r = await cli(['apply', '--model', at('ts.json'), '--logits', at('val.npy'), '--out', dev, '--force']);
      expectLine(r, 'E_IO');
      expect(r.err).toContain('character device');
      expect(fs.statSync(dev).isCharacterDevice()).toBe(true);
    }
    expectCode(() => writeFileAtomic('/dev/null', 'x', { force: true }), 'E_IO');
  });
  it('O8: /dev/zero, a FIFO and a folder as inputs are refused at once, not read (no hang, no "empty file")', async () => {
    execFileSync('mkfifo', [at('fifo.npy')]);
    for (const [file, kind] of [['/dev/zero', 'character device'], [at('fifo.npy'), 'FIFO'], [tmp, 'folder']] as const) {
      for (const argv of [
        ['evaluate', '--logits', file, '--labels', at('y.npy')],
        ['apply', '--model', file, '--logits', at('val.npy'), '--out', at('never.npy')],
        ['fit', '--method', 'ts', '--logits', at('val.npy'), '--labels', file, '--out', at('never.json')],
      ]) {
        const r = await cli(argv);
        expectLine(r, 'E_IO');
        expect(r.err, r.err).toContain(`is a ${kind}, not a regular file`);
      }
    }
    expect(fs.existsSync(at('never.npy')) || fs.existsSync(at('never.json'))).toBe(false);
  });
  it('O9: an output in a missing folder, or inside a file, is refused before the work', async () => {
    expectLine(await cli(['apply', '--model', at('ts.json'), '--logits', at('val.npy'), '--out', at('missing/p.npy')]), 'E_IO', 'p.npy');
    expectLine(await cli(['apply', '--model', at('ts.json'), '--logits', at('val.npy'), '--out', at('ts.json/p.npy')]), 'E_IO', 'p.npy');
  });
});
