/**
 * Issue 13, terminal safety: strings taken from input files (member names, JSON keys, view names, file
 * names, CSV cells) reach stderr with every control character escaped, so a hostile file cannot retitle
 * or clear the terminal or print a fake line. Case ids T1-T6 of docs/robustness.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { encodeNpy } from '../../src/data/npy.js';
import { encodeNpz } from '../../src/data/npz.js';
import { CalibraError, formatError, termSafe } from '../../src/errors.js';
import { buildZip } from '../data/zip-builder.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-term-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string): string => path.join(tmp, name);

/** ESC ] 0 ; title BEL (retitle), ESC [ 2 J (clear), CR + fake OK, 8-bit CSI, DEL, RTL override. */
const HOSTILE = '\x1b]0;pwned\x07\x1b[2J\rcalibra: OK\x9b31m\x7f\u202e';
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

async function cli(argv: string[]): Promise<{ code: number; err: string }> {
  const io = memoryIo();
  const code = await runCli([...argv, '--quiet'], io);
  return { code, err: io.err() };
}

function expectSafeLine(r: { code: number; err: string }): void {
  expect(r.code, r.err).toBe(2);
  expect(r.err.endsWith('\n')).toBe(true);
  expect(r.err.slice(0, -1)).not.toMatch(RAW_CONTROL);
  expect(r.err.slice(0, -1)).not.toContain('\n');
  expect(r.err).toMatch(/^calibra: E_[A-Z_]+: /);
}

describe('termSafe and formatError', () => {
  it('escape every control character visibly and leave other text alone', () => {
    expect(termSafe('a\x1b[2Jb\x07\r\t\x00\x9b\u202e ü 日本')).toBe('a\\x1b[2Jb\\x07\\r\\t\\x00\\x9b\\u202e ü 日本');
    const line = formatError(new CalibraError('E_FORMAT', `bad name ${HOSTILE}\nsecond line`, { source: `f${HOSTILE}.npz`, where: `member ${HOSTILE}`, fix: 'x' }));
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line).not.toContain('\n');
  });
  it('a message of a megabyte is cut to a bounded line, the fix kept', () => {
    const line = formatError(new CalibraError('E_FORMAT', 'x'.repeat(1 << 20), { source: 'a.npz', fix: 'do this' }));
    expect(line.length).toBeLessThan(4100);
    expect(line).toMatch(/more characters\) \(fix: do this\)$/);
  });
});

describe('hostile strings reach stderr escaped (CLI)', () => {
  it('T1: archive member names', async () => {
    const z = encodeNpz([['scores', { shape: [2, 2], data: new Float64Array(4) }], [`x${HOSTILE}`.replace('/', ''), { shape: [1], data: new Float64Array(1) }]].map(([n, a]) => [n as string, a as { shape: number[]; data: Float64Array }] as const));
    fs.writeFileSync(at('t1.npz'), z);
    expectSafeLine(await cli(['evaluate', '--logits', at('t1.npz'), '--labels', at('t1.npz')]));
  });
  it('T2: a local header name (disagreeing with the directory) and a non-.npy member name', async () => {
    fs.writeFileSync(at('t2.npz'), buildZip([{ name: 'logits.npy', localName: `${HOSTILE}.npy`, data: encodeNpy({ shape: [1], data: new Float64Array(1) }) }]));
    expectSafeLine(await cli(['evaluate', '--logits', at('t2.npz'), '--labels', at('t2.npz')]));
    fs.writeFileSync(at('t2b.npz'), buildZip([{ name: `${HOSTILE}.txt`, data: new Uint8Array(4) }]));
    expectSafeLine(await cli(['evaluate', '--logits', at('t2b.npz'), '--labels', at('t2b.npz')]));
  });
  it('T3: JSON object keys', async () => {
    fs.writeFileSync(at('t3.json'), JSON.stringify({ [HOSTILE]: [[1, 2]], [`${HOSTILE}2`]: 1 }));
    expectSafeLine(await cli(['evaluate', '--logits', at('t3.json'), '--labels', at('t3.json')]));
  });
  it('T4: view names listed in a views file', async () => {
    const n = 4;
    const z = encodeNpz([
      ['original', { shape: [n, 2], data: new Float64Array(2 * n) }],
      ['labels', { shape: [n], data: new Int32Array(n) }],
      ['view_names', { shape: [1], data: [HOSTILE.replace('/', '')] }],
    ]);
    fs.writeFileSync(at('t4.npz'), z);
    expectSafeLine(await cli(['fit', '--method', 'ca', '--views', at('t4.npz'), '--out', at('t4.json')]));
  });
  it('T5: a CSV cell', async () => {
    fs.writeFileSync(at('t5.csv'), `1,2\n3,${HOSTILE}\n`);
    expectSafeLine(await cli(['evaluate', '--logits', at('t5.csv'), '--labels', at('t5.csv')]));
  });
  it('T6: the file name itself', async () => {
    const name = at(`missing${HOSTILE.replace('/', '')}.npy`);
    expectSafeLine(await cli(['evaluate', '--logits', name, '--labels', name]));
  });
});

describe('T7: file names echoed on stdout are escaped', () => {
  it('fit prints the input and output names with control characters escaped', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'names-'));
    const name = `l\x1b]0;x\x07\r.npy`;
    fs.writeFileSync(path.join(dir, name), encodeNpy({ shape: [4, 2], data: new Float64Array([1, 0, 0, 1, 2, 0, 0, 2]) }));
    fs.writeFileSync(path.join(dir, 'y.npy'), encodeNpy({ shape: [4], data: new Int32Array([0, 1, 0, 1]) }));
    const io = memoryIo();
    expect(await runCli(['fit', '--method', 'ts', '--logits', path.join(dir, name), '--labels', path.join(dir, 'y.npy'), '--out', path.join(dir, `m\x1b[2J.json`), '--quiet'], io)).toBe(0);
    expect(io.out()).not.toMatch(RAW_CONTROL);
    expect(io.out()).toContain('l\\x1b]0;x\\x07\\r.npy');
  });
});
