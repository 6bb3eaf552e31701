/**
 * Issue 8 catalogue, CLI level: each bad input given to `calibra evaluate` exits with code 2 and prints
 * one line `calibra: CODE: FILE: POSITION: message (fix: ...)`. Case ids (R1...) are those of
 * docs/robustness.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { encodeNpy } from '../../src/data/npy.js';
import { encodeNpz } from '../../src/data/npz.js';
import type { CalibraErrorCode } from '../../src/errors.js';

const FIX = path.join(__dirname, '..', 'fixtures', 'npy');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-robust-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function file(name: string, content: Uint8Array | string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, content);
  return p;
}
const npy = (name: string, shape: number[], values: number[] | Float64Array | Int32Array): string =>
  file(name, encodeNpy({ shape, data: values instanceof Int32Array || values instanceof Float64Array ? values : new Float64Array(values) }));

const logits = npy('logits.npy', [4, 3], [2, 0, 1, 0, 3, 1, 1, 1, 4, 5, 0, 0]);
const labels = npy('labels.npy', [4], new Int32Array([0, 1, 2, 0]));

interface Case { id: string; what: string; argv: string[]; code: CalibraErrorCode; source: string; where?: RegExp; env?: Record<string, string> }

const cases: Case[] = [
  { id: 'R1', what: 'logits with 3 dimensions', argv: ['--logits', npy('l3d.npy', [2, 2, 2], [0, 1, 2, 3, 4, 5, 6, 7]), '--labels', labels], code: 'E_SHAPE', source: 'l3d.npy' },
  { id: 'R2', what: 'N mismatch between logits and labels', argv: ['--logits', logits, '--labels', npy('y3.npy', [3], new Int32Array([0, 1, 2]))], code: 'E_SHAPE', source: 'logits.npy' },
  { id: 'R3', what: 'label out of range', argv: ['--logits', logits, '--labels', npy('y-range.npy', [4], new Int32Array([0, 1, 3, 0]))], code: 'E_LABEL_RANGE', source: 'y-range.npy', where: /row 2/ },
  { id: 'R4', what: 'non-integer label', argv: ['--logits', logits, '--labels', npy('y-float.npy', [4], [0, 1, 1.5, 0])], code: 'E_LABEL_TYPE', source: 'y-float.npy', where: /row 2/ },
  { id: 'R5', what: 'one-hot row that is not one-hot', argv: ['--logits', logits, '--labels', file('y-onehot.csv', '1,0,0\n0,1,0\n0,1,1\n1,0,0\n')], code: 'E_LABEL_TYPE', source: 'y-onehot.csv', where: /row 2, column 2/ },
  { id: 'R6', what: 'NaN logit', argv: ['--logits', npy('l-nan.npy', [4, 3], [2, 0, 1, 0, 3, 1, 1, NaN, 4, 5, 0, 0]), '--labels', labels], code: 'E_NON_FINITE', source: 'l-nan.npy', where: /row 2, column 1/ },
  { id: 'R7', what: 'Inf logit', argv: ['--logits', npy('l-inf.npy', [4, 3], [2, 0, 1, 0, 3, 1, 1, 1, 4, 5, 0, -Infinity]), '--labels', labels], code: 'E_NON_FINITE', source: 'l-inf.npy', where: /row 3, column 2/ },
  { id: 'R8', what: 'probabilities not summing to 1', argv: ['--probs', npy('p-sum.npy', [2, 2], [0.5, 0.5, 0.7, 0.7]), '--labels', npy('y2.npy', [2], new Int32Array([0, 1]))], code: 'E_PROBS', source: 'p-sum.npy', where: /row 1/ },
  { id: 'R9', what: 'negative probability', argv: ['--probs', npy('p-neg.npy', [2, 2], [0.5, 0.5, -0.2, 1.2]), '--labels', npy('y2b.npy', [2], new Int32Array([0, 1]))], code: 'E_PROBS', source: 'p-neg.npy', where: /row 1, column 0/ },
  { id: 'R10', what: 'empty file', argv: ['--logits', file('empty.npy', ''), '--labels', labels], code: 'E_EMPTY', source: 'empty.npy' },
  { id: 'R11', what: 'empty CSV (header only)', argv: ['--logits', file('header-only.csv', 'a,b,c\n'), '--labels', labels], code: 'E_EMPTY', source: 'header-only.csv' },
  { id: 'R12', what: 'truncated .npy data', argv: ['--logits', path.join(FIX, 'truncated.npy'), '--labels', labels], code: 'E_TRUNCATED', source: 'truncated.npy', where: /byte 219/ },
  { id: 'R13', what: 'header that lies about the shape', argv: ['--logits', path.join(FIX, 'lying_shape.npy'), '--labels', labels], code: 'E_FORMAT', source: 'lying_shape.npy', where: /byte/ },
  { id: 'R14', what: 'complex dtype', argv: ['--logits', path.join(FIX, 'complex.npy'), '--labels', labels], code: 'E_DTYPE', source: 'complex.npy' },
  { id: 'R15', what: 'object (pickled) array', argv: ['--logits', path.join(FIX, 'object.npy'), '--labels', labels], code: 'E_PICKLE', source: 'object.npy' },
  { id: 'R16', what: 'structured dtype', argv: ['--logits', path.join(FIX, 'structured.npy'), '--labels', labels], code: 'E_DTYPE', source: 'structured.npy' },
  { id: 'R17', what: 'code in the .npy header', argv: ['--logits', path.join(FIX, 'code_in_header.npy'), '--labels', labels], code: 'E_FORMAT', source: 'code_in_header.npy', where: /header character/ },
  { id: 'R18', what: '.npz without the asked array', argv: ['--logits', file('noarr.npz', encodeNpz([['scores', { shape: [4, 3], data: new Float64Array(12) }], ['other', { shape: [1], data: new Float64Array(1) }]])), '--labels', labels], code: 'E_FORMAT', source: 'noarr.npz' },
  { id: 'R19', what: 'zip bomb (64 MiB declared, 64 KiB on disk)', argv: ['--logits', path.join(FIX, 'bomb.npz'), '--labels', labels], code: 'E_TOO_LARGE', source: 'bomb.npz', env: { CALIBRA_MAX_BYTES: '1M' } },
  { id: 'R20', what: 'absurd declared shape', argv: ['--logits', path.join(FIX, 'huge_shape.npy'), '--labels', labels], code: 'E_TOO_LARGE', source: 'huge_shape.npy' },
  { id: 'R21', what: 'CSV with a ragged row', argv: ['--logits', file('ragged.csv', '1,2,3\n4,5,6\n7,8\n1,1,1\n'), '--labels', labels], code: 'E_SHAPE', source: 'ragged.csv', where: /line 3/ },
  { id: 'R22', what: 'CSV with a non-numeric cell', argv: ['--logits', file('cell.csv', '1,2,3\n4,five,6\n7,8,9\n1,1,1\n'), '--labels', labels], code: 'E_FORMAT', source: 'cell.csv', where: /line 2, column 2/ },
  { id: 'R23', what: 'missing file', argv: ['--logits', path.join(tmp, 'nope.npy'), '--labels', labels], code: 'E_IO', source: 'nope.npy' },
  { id: 'R24', what: 'unsupported extension', argv: ['--logits', file('l.parquet', 'x'), '--labels', labels], code: 'E_FORMAT', source: 'l.parquet' },
  { id: 'R25', what: 'JSON with null entries', argv: ['--logits', file('l.json', '[[1,2,3],[1,null,3],[1,2,3],[0,0,0]]'), '--labels', labels], code: 'E_FORMAT', source: 'l.json', where: /row 1, column 1/ },
];

async function evaluate(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    const io = memoryIo();
    const code = await runCli(['evaluate', ...argv, '--quiet'], io);
    return { code, out: io.out(), err: io.err() };
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
  }
}

describe('calibra evaluate refuses bad inputs with exit 2 and one line naming file, position and fix', () => {
  for (const c of cases) {
    it(`${c.id}: ${c.what} -> ${c.code}`, async () => {
      const r = await evaluate(c.argv, c.env);
      expect(r.code).toBe(2);
      expect(r.err.split('\n')).toHaveLength(2);
      const m = /^calibra: (E_[A-Z_]+): (\S+): (.*) \(fix: (.+)\)\n$/.exec(r.err);
      expect(m?.[1], r.err).toBe(c.code);
      expect(path.basename(m?.[2] ?? ''), r.err).toBe(c.source);
      if (c.where !== undefined) expect(m?.[3]).toMatch(c.where);
      expect(m?.[4]?.length ?? 0).toBeGreaterThan(5);
      if (process.env['CALIBRA_PRINT_CATALOGUE'] === '1') process.stdout.write(`CATALOGUE ${c.id} ${r.err}`);
    });
  }
});

describe('accepted variants give the same numbers as the plain file', () => {
  it('R26/R27: big-endian and Fortran-order .npy files are read, not refused', async () => {
    const plain = await evaluate(['--logits', npy('plain.npy', [3, 4], Array.from({ length: 12 }, (_, i) => i * 0.5 - 2.25)), '--labels', npy('y4.npy', [3], new Int32Array([0, 3, 1])), '--format', 'json']);
    expect(plain.code).toBe(0);
    for (const f of ['f8_be.npy', 'fortran_2d.npy', 'f2_le.npy', 'stored.npz']) {
      const r = await evaluate(['--logits', path.join(FIX, f), '--labels', path.join(tmp, 'y4.npy'), '--format', 'json']);
      expect([f, r.code, r.out]).toEqual([f, 0, plain.out]);
    }
  });
  it('R28: probabilities as a binary P(y=1) vector and as the equivalent N×2 matrix agree', async () => {
    const y = npy('yb.npy', [3], new Int32Array([1, 0, 1]));
    const a = await evaluate(['--probs', npy('pv.npy', [3], [0.9, 0.2, 0.6]), '--labels', y, '--format', 'json']);
    const b = await evaluate(['--probs', npy('pm.npy', [3, 2], [1 - 0.9, 0.9, 1 - 0.2, 0.2, 1 - 0.6, 0.6]), '--labels', y, '--format', 'json']);
    expect(a.code).toBe(0);
    expect(a.out).toBe(b.out);
  });
  it('inputs are never modified', async () => {
    const before = fs.readFileSync(logits);
    await evaluate(['--logits', logits, '--labels', labels]);
    expect(fs.readFileSync(logits).equals(before)).toBe(true);
  });
});
