import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { calibratorSpecs, getCalibrator, loadModelJson, serializeModel } from '../../src/calibrators/index.js';
import { matrixFromRows } from '../../src/math/matrix.js';
import { evaluateMetrics } from '../../src/metrics/evaluate.js';
import { isCalibraError } from '../../src/errors.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function codeOf(f: () => unknown): string {
  try { f(); } catch (e) { if (isCalibraError(e)) return `${e.code}: ${e.message}`; return `not a CalibraError: ${String(e)}`; }
  return 'no error';
}

describe('library errors are CalibraErrors with a fix, not TypeErrors', () => {
  const logits = matrixFromRows([[2, 0.1, -1], [0.3, 1.5, 0], [0, 0.2, 2.2], [1.1, 1, 0.9]]);
  const labels = Int32Array.of(0, 1, 2, 0);
  it('matrixFromRows builds row-major data and refuses ragged rows', () => {
    expect(Array.from(logits.data.subarray(0, 4))).toEqual([2, 0.1, -1, 0.3]);
    expect([logits.rows, logits.cols]).toEqual([4, 3]);
    expect(codeOf(() => matrixFromRows([[1, 2], [3]]))).toBe('E_SHAPE: matrixFromRows: row 1 has 1 entries, row 0 has 2');
  });
  it('every registered method: nested arrays, missing input and wrong lengths are E_SHAPE; options default to {}', () => {
    for (const s of calibratorSpecs.filter((x) => x.input !== 'views')) {
      const spec = getCalibrator(s.id);
      expect([s.id, codeOf(() => spec.fit({ logits: [[1, 2], [3, 4]] as never, labels }, {}, { seed: 0 }))]).toEqual([s.id, `E_SHAPE: ${s.id}: logits must be a matrix {data, rows, cols} (got a nested array)`]);
      expect(codeOf(() => spec.fit(undefined as never, {}, { seed: 0 }))).toMatch(/^E_SHAPE: .*expected \{ logits, labels \}/);
      expect(codeOf(() => spec.fit({ logits: { data: new Float64Array(5), rows: 2, cols: 3 }, labels }, {}, { seed: 0 }))).toMatch(/^E_SHAPE: .*data length 5 != 2x3/);
      expect(codeOf(() => spec.fit({ logits, labels: 'abc' as never }, {}, { seed: 0 }))).toMatch(/^E_SHAPE: .*labels must be an Int32Array/);
      expect(codeOf(() => spec.fit({ logits, labels }, [] as never, { seed: 0 }))).toMatch(/^E_OPTION: .*options must be an object/);
    }
    const fit = (getCalibrator('ts').fit as unknown as (d: unknown) => { model: { predictProba: (x: unknown) => unknown } })({ logits, labels: [0, 1, 2, 0] });
    expect(codeOf(() => fit.model.predictProba({ logits: [[1, 2, 3]] }))).toMatch(/^E_SHAPE: ts: logits must be a matrix/);
    const loaded = loadModelJson(serializeModel(getCalibrator('ts').fit({ logits, labels }, {}, { seed: 0 }).model), 'm.json');
    expect(codeOf(() => loaded.predictProba([[1, 2, 3]] as never))).toMatch(/^E_SHAPE: ts: expected \{ logits \}/);
    expect(codeOf(() => evaluateMetrics([[0.5, 0.5]] as never, Int32Array.of(0), ['ece']))).toMatch(/^E_SHAPE: probabilities must be a matrix .*nested array/);
  });
});

// The README's library example, run as a user would (node, package self-reference to dist/); npm test builds first.
describe.skipIf(!existsSync(join(ROOT, 'dist', 'src', 'index.js')))('the README library example', () => {
  it('runs and prints T and the metrics', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const block = /### As a library \(Node\)\n\n```js\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const file = join(ROOT, `readme-example-${process.pid}.mjs`);
    writeFileSync(file, block as string);
    try {
      const out = execFileSync(process.execPath, [file], { cwd: ROOT, encoding: 'utf8' });
      expect(out).toMatch(/^T = 1\.\d+ converged\n/);
      expect(out).toMatch(/accuracy: 0\.8165/);
      expect(out).toMatch(/ece: 0\.0\d+/);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
