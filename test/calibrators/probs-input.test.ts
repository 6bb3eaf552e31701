/**
 * Probability inputs are the user's numbers: binning and probability-space methods fed `--probs` agree with
 * scikit-learn / betacal-style references run on the same probabilities (test/golden/probs-input.json from
 * scripts/golden/probs_reference.py; numpy, scipy, sklearn versions in the file). The data sit on a 0.05 grid:
 * ties, zeros, ones and thousands of values exactly on histogram edges, where exp(ln p) ≠ p used to move
 * entries across bins (through logits only, the old path, isotonic was 0.12 and histogram 0.18 off).
 * Measured max |Δp| (2026-12-03): isotonic, histogram, platt and beta (against the exact optimum of the same
 * objective) ≤ 4.4e-16; tolerance 1e-14 (portable across libm). Against sklearn's own BFGS answer for Platt
 * (gtol 1e-5): 2.5e-8, tolerance 3e-7.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { encodeNpy, parseNpy } from '../../src/data/npy.js';
import { describe, expect, it } from 'vitest';
import { fitBeta } from '../../src/calibrators/binary/beta.js';
import { probabilityInput } from '../../src/calibrators/core/probabilities.js';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import type { CalibrationInput, RawOptions } from '../../src/calibrators/core/types.js';
import type { Matrix } from '../../src/math/matrix.js';

interface ProbsSet {
  name: string;
  val_probs: number[][];
  val_labels: number[];
  test_probs: number[][];
  test_labels: number[];
  methods: Record<string, number[][]>;
  beta: { params: number[][]; predictions: number[][] };
}
interface BetaSet { name: string; scores: number[]; targets: number[]; mle: number[]; betacal_sklearn: number[] }
const golden = JSON.parse(fs.readFileSync(new URL('../golden/probs-input.json', import.meta.url), 'utf8')) as { versions: Record<string, string>; sets: ProbsSet[]; beta_sets: BetaSet[] };

const matrix = (rows: number[][]): Matrix<Float64Array> => ({ data: Float64Array.from(rows.flat()), rows: rows.length, cols: (rows[0] as number[]).length });
const maxDiff = (a: Float64Array, b: number[][]): number => { const f = b.flat(); let m = 0; for (let i = 0; i < f.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (f[i] as number))); return m; };

const CASES: { key: string; id: string; options: RawOptions; tol: number }[] = [
  { key: 'isotonic', id: 'isotonic', options: {}, tol: 1e-14 },
  { key: 'platt identity', id: 'platt', options: { inputTransform: 'identity' }, tol: 1e-14 },
  { key: 'platt logit', id: 'platt', options: {}, tol: 1e-14 },
  { key: 'platt identity (sklearn bfgs)', id: 'platt', options: { inputTransform: 'identity' }, tol: 3e-7 },
  { key: 'platt logit (sklearn bfgs)', id: 'platt', options: {}, tol: 3e-7 },
  { key: 'histogram 10', id: 'histogram', options: { bins: 10 }, tol: 1e-14 },
  { key: 'histogram 20', id: 'histogram', options: { bins: 20 }, tol: 1e-14 },
];

describe(`--probs inputs reach probability-space methods bit for bit (sklearn ${golden.versions.sklearn}, numpy ${golden.versions.numpy})`, () => {
  for (const set of golden.sets) {
    const val = { ...probabilityInput(matrix(set.val_probs)), labels: Int32Array.from(set.val_labels) };
    const test = probabilityInput(matrix(set.test_probs));
    for (const c of CASES) {
      it(`${set.name}: ${c.key} equals the reference on the same probabilities`, () => {
        const fit = getCalibrator(c.id).fit(val, c.options, { seed: 0 });
        expect(maxDiff(fit.model.predictProba(test).data, set.methods[c.key] as number[][])).toBeLessThan(c.tol);
      });
    }
    it(`${set.name}: beta equals the exact MLE of betacal's model on the same probabilities`, () => {
      const fit = getCalibrator('beta').fit(val, {}, { seed: 0 });
      expect(maxDiff(fit.model.predictProba(test).data, set.beta.predictions)).toBeLessThan(1e-14);
      expect(fit.warnings).toEqual([]);
    });
    it(`${set.name}: none returns the given probabilities bit for bit`, () => {
      const fit = getCalibrator('none').fit(val, {}, { seed: 0 });
      expect(Array.from(fit.model.predictProba(test).data)).toEqual(set.test_probs.flat());
    });
    it(`${set.name}: probability-space methods read the probabilities, not the logits`, () => {
      // the same probabilities with meaningless logits give the same fit and predictions
      const zeros = (m: Matrix): Matrix<Float64Array> => ({ data: new Float64Array(m.rows * m.cols), rows: m.rows, cols: m.cols });
      const valZ = { logits: zeros(val.logits), probs: val.probs, labels: val.labels };
      const testZ: CalibrationInput = { logits: zeros(test.logits), probs: test.probs };
      for (const id of ['histogram', 'isotonic', 'bbq', 'scaling-binning', 'spline', 'irm', 'irova', 'platt', 'beta', 'none']) {
        const a = getCalibrator(id).fit(val, {}, { seed: 1 }).model.predictProba(test).data;
        const b = getCalibrator(id).fit(valZ, {}, { seed: 1 }).model.predictProba(testZ).data;
        expect(Array.from(b), id).toEqual(Array.from(a));
      }
    });
  }
});

describe('beta stops at the exact MLE at float64 precision, and warns only on separable data', () => {
  // On these two non-separable sets calibra's earlier rule (Armijo search blind below float64 rounding)
  // stopped 1.2e-8 / 1.0e-8 from the MLE with "separable data makes the MLE diverge". Measured now: 4.3e-15.
  for (const b of golden.beta_sets) {
    it(`${b.name}: no warning, converged, within 5e-14 of the exact MLE (betacal's sklearn fit is ${Math.max(...b.mle.map((v, i) => Math.abs(v - (b.betacal_sklearn[i] as number)))).toExponential(1)} away)`, () => {
      const r = fitBeta(b.scores.map(Math.log), b.scores.map((v) => Math.log1p(-v)), b.targets);
      expect(r.warnings).toEqual([]);
      expect(r.converged).toBe(true);
      const got = [r.params.a, r.params.b, r.params.c];
      for (let j = 0; j < 3; j++) expect(Math.abs((got[j] as number) - (b.mle[j] as number))).toBeLessThan(5e-14);
    });
  }
  it('separable scores (every s < 0.5 wrong, every s > 0.5 right) give the separable warning and converged = false', () => {
    const s = Array.from({ length: 200 }, (_, i) => (i + 0.5) / 200);
    const t = s.map((v) => (v > 0.5 ? 1 : 0));
    const r = fitBeta(s.map(Math.log), s.map((v) => Math.log1p(-v)), t);
    expect(r.converged).toBe(false);
    expect(r.warnings.some((w) => w.startsWith('beta-separable'))).toBe(true);
  });
});

describe('the CLI keeps --probs exact: fit, apply (1 and 2 threads) and compare', () => {
  const set = golden.sets[0] as ProbsSet;
  it('calibra fit --probs / apply --probs reproduce the histogram reference, bit-identically with --threads 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-probs-'));
    const f = (n: string): string => path.join(dir, n);
    const save = (n: string, rows: number[][]): void => fs.writeFileSync(f(n), encodeNpy({ shape: [rows.length, (rows[0] as number[]).length], data: Float64Array.from(rows.flat()) }));
    save('val.npy', set.val_probs);
    // four copies, so that --threads 2 really splits the rows (workers take blocks of ≥ 1024 rows)
    save('test.npy', [...set.test_probs, ...set.test_probs, ...set.test_probs, ...set.test_probs]);
    fs.writeFileSync(f('val-labels.npy'), encodeNpy({ shape: [set.val_labels.length], data: Int32Array.from(set.val_labels) }));
    const run = async (...argv: string[]): Promise<number> => runCli(argv, memoryIo());
    const read = (n: string): Float64Array => { const a = parseNpy(new Uint8Array(fs.readFileSync(f(n)))); if (a.kind !== 'numeric') throw new Error('not numeric'); return Float64Array.from(a.data as ArrayLike<number>); };
    expect(await run('fit', '--method', 'histogram', '--option', 'bins=10', '--probs', f('val.npy'), '--labels', f('val-labels.npy'), '--out', f('m.json'), '--quiet')).toBe(0);
    expect(await run('apply', '--model', f('m.json'), '--probs', f('test.npy'), '--out', f('p1.npy'))).toBe(0);
    expect(await run('apply', '--model', f('m.json'), '--probs', f('test.npy'), '--out', f('p2.npy'), '--threads', '2')).toBe(0);
    expect(await run('apply', '--model', f('m.json'), '--probs', f('test.npy'), '--out', f('p3.npy'), '--chunk-rows', '100')).toBe(0);
    const p1 = read('p1.npy');
    expect(maxDiff(p1.subarray(0, set.test_probs.length * 4), set.methods['histogram 10'] as number[][])).toBeLessThan(1e-14);
    expect(Array.from(read('p2.npy'))).toEqual(Array.from(p1));
    expect(Array.from(read('p3.npy'))).toEqual(Array.from(p1));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
