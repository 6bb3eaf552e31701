import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { halfToFloat } from '../../src/data/dtype.js';
import { encodeNpy, fortranToC, parseNpy, type NpyArray } from '../../src/data/npy.js';
import { parsePyLiteral } from '../../src/data/py-literal.js';
import { isCalibraError, type CalibraErrorCode } from '../../src/errors.js';
import { expectCode } from './helpers.js';
import { pythonBin, requiresPython } from '../support/requires.js';

const DIR = path.join(__dirname, '..', 'fixtures', 'npy');
interface ManifestEntry { shape?: number[]; descr?: string; values?: (number | string)[]; expect_error?: CalibraErrorCode; version?: number }
const manifest = JSON.parse(fs.readFileSync(path.join(DIR, 'manifest.json'), 'utf8')) as { numpy: string; files: Record<string, ManifestEntry> };
const read = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(DIR, name)));

function valuesOf(a: NpyArray): (number | string)[] {
  return Array.from(a.data as ArrayLike<number | bigint | string>, (v) => (typeof v === 'bigint' ? v.toString() : v));
}

const npyFixtures = Object.entries(manifest.files).filter(([n]) => n.endsWith('.npy'));

describe('parseNpy against numpy fixtures (numpy ' + manifest.numpy + ')', () => {
  for (const [name, want] of npyFixtures.filter(([, w]) => w.values !== undefined)) {
    it(`${name} reads as numpy reads it (shape ${JSON.stringify(want.shape)}, ${want.descr})`, () => {
      const a = parseNpy(read(name), { source: name });
      expect(a.shape).toEqual(want.shape);
      const got = valuesOf(a);
      // numpy's values, C order; integers recorded as decimal strings (64-bit exact).
      const expected = (want.values ?? []).map((v) => (typeof v === 'string' && a.kind === 'numeric' ? (a.dtype.endsWith('8') && a.dtype[0] !== 'f' ? v : Number(v)) : v));
      expect(got).toEqual(expected);
    });
  }
  for (const [name, want] of npyFixtures.filter(([, w]) => w.expect_error !== undefined)) {
    it(`${name} is refused with ${want.expect_error}`, () => expectCode(() => parseNpy(read(name), { source: name }), want.expect_error as CalibraErrorCode));
  }
  it('Fortran-order files are transposed to C order (fortran_2d equals f8_le)', () => {
    const f = parseNpy(read('fortran_2d.npy'));
    expect(f.fortranOrder).toBe(true);
    expect(valuesOf(f)).toEqual(valuesOf(parseNpy(read('f8_le.npy'))));
  });
  it('format versions 1, 2, 3 are reported', () => {
    expect([1, 2, 3].map((v) => parseNpy(read(`v${v}.npy`)).version)).toEqual([1, 2, 3]);
  });
  it('error messages name the file, the position and the fix', () => {
    try {
      parseNpy(read('truncated.npy'), { source: 'truncated.npy' });
    } catch (e) {
      expect(isCalibraError(e) && e.source === 'truncated.npy' && e.where === 'byte 219' && e.fix !== undefined).toBe(true);
    }
    expect.assertions(1);
  });
  it('refuses a declared size over a custom limit before allocating', () => {
    expectCode(() => parseNpy(read('f8_le.npy'), { maxBytes: 95 }), 'E_TOO_LARGE');
    expect(parseNpy(read('f8_le.npy'), { maxBytes: 96 }).shape).toEqual([3, 4]);
  });
  it('CALIBRA_MAX_BYTES sets the default limit', () => {
    const old = process.env['CALIBRA_MAX_BYTES'];
    process.env['CALIBRA_MAX_BYTES'] = '64';
    try {
      expectCode(() => parseNpy(read('f8_le.npy')), 'E_TOO_LARGE');
      process.env['CALIBRA_MAX_BYTES'] = 'lots';
      expectCode(() => parseNpy(read('f8_le.npy')), 'E_OPTION');
    } finally {
      if (old === undefined) delete process.env['CALIBRA_MAX_BYTES']; else process.env['CALIBRA_MAX_BYTES'] = old;
    }
  });
});

describe('encodeNpy', () => {
  it('writes a v1 header padded to 64 bytes, as numpy does (f8_le.npy is byte-identical)', () => {
    const fromNumpy = read('f8_le.npy');
    const data = new Float64Array(12).map((_, i) => i * 0.5 - 2.25);
    expect(Buffer.from(encodeNpy({ shape: [3, 4], data })).equals(Buffer.from(fromNumpy))).toBe(true);
  });
  it('round-trips every typed array and string arrays bit for bit', () => {
    const arrays = [new Float32Array([1.5, -0]), new Float64Array([Math.PI, -1e300]), new Int32Array([-5, 7]), new BigInt64Array([-(2n ** 63n), 5n]), new Uint8Array([0, 255]), new Int8Array([-128, 1]), new Int16Array([-2, 3]), new Uint16Array([65535, 0]), new Uint32Array([4294967295, 1]), new BigUint64Array([2n ** 64n - 1n, 0n])];
    for (const data of arrays) {
      const back = parseNpy(encodeNpy({ shape: [2, 1], data }));
      expect(back.shape).toEqual([2, 1]);
      expect(back.data).toEqual(data);
      expect(Object.is((back.data as Float32Array)[1], data[1])).toBe(true);
    }
    expect(parseNpy(encodeNpy({ shape: [2], data: ['rotation', 'ü ✓'] })).data).toEqual(['rotation', 'ü ✓']);
  });
  it('refuses a shape that does not match the data', () => expectCode(() => encodeNpy({ shape: [3], data: new Float64Array(2) }), 'E_SHAPE'));

  const numpy = requiresPython(['numpy'], 'python3-numpy');
  it.runIf(numpy)('numpy reads what encodeNpy writes (oracle: np.load)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-npy-'));
    const file = path.join(dir, 'a.npy');
    fs.writeFileSync(file, encodeNpy({ shape: [2, 3], data: new Float32Array([0.1, -2, 3e38, 4, 5, 6]) }));
    fs.writeFileSync(path.join(dir, 's.npy'), encodeNpy({ shape: [2], data: ['rotation', 'grey'] }));
    const out = spawnSync(pythonBin(), ['-c', `import numpy as np, json; a=np.load(${JSON.stringify(file)}, allow_pickle=False); s=np.load(${JSON.stringify(path.join(dir, 's.npy'))}, allow_pickle=False); print(json.dumps([a.dtype.str, list(a.shape), [float(v) for v in a.ravel()], s.dtype.str, list(s)]))`], { encoding: 'utf8' });
    expect(JSON.parse(out.stdout)).toEqual(['<f4', [2, 3], Array.from(new Float32Array([0.1, -2, 3e38, 4, 5, 6])), '<U8', ['rotation', 'grey']]);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('header literal parser', () => {
  it('parses the dict numpy writes, with Python 2 long suffixes', () => {
    const v = parsePyLiteral("{'descr': '<f8', 'fortran_order': False, 'shape': (3L, 4L), }");
    expect(v).toEqual({ kind: 'dict', entries: new Map<string, unknown>([['descr', '<f8'], ['fortran_order', false], ['shape', { kind: 'tuple', items: [3, 4] }]]) });
  });
  it('refuses calls, names, attribute access and deep nesting', () => {
    for (const text of ["{'descr': eval('1')}", "{'a': os.system}", '((((((((((((((((((((((((((((((((((((1))))))))))))))))))))))))))))))))))', "{'a': 1} extra", "{'a': 1, 'a': 2}"]) {
      expectCode(() => parsePyLiteral(text), 'E_FORMAT');
    }
  });
  it('refuses integers beyond 2^53 as E_TOO_LARGE', () => expectCode(() => parsePyLiteral('(99999999999999999999,)'), 'E_TOO_LARGE'));
});

describe('dtype kernels', () => {
  it('halfToFloat decodes IEEE binary16 exactly (values from numpy.float16)', () => {
    expect([0x3c00, 0x7bff, 0x0001, 0x0400, 0x7c00, 0xfc00, 0xc000].map(halfToFloat)).toEqual([1, 65504, 2 ** -24, 2 ** -14, Infinity, -Infinity, -2]);
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
  it('fortranToC matches an explicit column-major index for a 2×3×4 array', () => {
    const shape = [2, 3, 4];
    const f = Float64Array.from({ length: 24 }, (_, s) => s);
    const c = fortranToC(f, shape);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(c[i * 12 + j * 4 + k]).toBe(i + 2 * j + 6 * k);
  });
});
