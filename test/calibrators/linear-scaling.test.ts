import { describe, expect, it } from 'vitest';
import { isCalibraError } from '../../src/errors.js';
import { Rng } from '../../src/math/rng.js';
import { argmaxRows, softmax } from '../../src/math/softmax.js';
import { dirichletDiag, dirichletFull, dirichletOdir } from '../../src/calibrators/scaling/dirichlet.js';
import { crossValidateOdir, odirPaperGrid } from '../../src/calibrators/scaling/dirichlet-cv.js';
import { featuresRow, linearSoftmaxObjective, LinearSoftmaxModel } from '../../src/calibrators/scaling/linear-softmax.js';
import { matrixScaling } from '../../src/calibrators/scaling/matrix-scaling.js';
import type { CalibratorSpec, RawOptions } from '../../src/calibrators/core/types.js';
import { vectorScaling } from '../../src/calibrators/scaling/vector-scaling.js';
import { fixtureG, maxAbsDiff } from './scaling-fixtures.js';

const ctx = { seed: 0 };
const G = fixtureG();

/** Oracle rows 0, 1, 4 of calibrators.md §3.1 and §4.4 (fixture G). */
const ORACLES: [CalibratorSpec, RawOptions, number, number[]][] = [
  [vectorScaling, {}, 0.619481729121, [0.1784767426, 0.7604557183, 0.0610675391, 0.6072988512, 0.3860459686, 0.0066551802, 0.5196326728, 0.0015531423, 0.4788141849]],
  [vectorScaling, { lambda: 0.01, lambdaBias: 0.01, target: 'identity' }, 0.620208911991, [0.1738540284, 0.7663050101, 0.0598409615, 0.6023034504, 0.3912726034, 0.0064239462, 0.5171889305, 0.0015509108, 0.4812601587]],
  [matrixScaling, {}, 0.617006800789, [0.1792457545, 0.7423612422, 0.0783930033, 0.6253258894, 0.3641864655, 0.0104876451, 0.5193450694, 0.0004646638, 0.4801902668]],
  [matrixScaling, { lambda: 0.01, target: 'zero' }, 0.634266976275, [0.1870530532, 0.7252827641, 0.0876641827, 0.6072935771, 0.3795429911, 0.0131634317, 0.5274403917, 0.0012327481, 0.4713268603]],
  [dirichletFull, {}, 0.598495559570, [0.1124061792, 0.8341132698, 0.0534805510, 0.6566399437, 0.3221621850, 0.0211978713, 0.5309266395, 0.0000043438, 0.4690690167]],
  [dirichletDiag, {}, 0.607501392944, [0.1329878626, 0.7985533252, 0.0684588122, 0.5797354756, 0.3993312625, 0.0209332619, 0.5715367788, 0.0000430093, 0.4284202119]],
  [dirichletOdir, { lambda: 0.01, mu: 0.01 }, 0.605092584394, [0.1397171759, 0.7951172231, 0.0651656010, 0.6433624664, 0.3384430072, 0.0181945264, 0.5313542536, 0.0000397071, 0.4686060393]],
  [dirichletOdir, { lambda: 1, mu: 1 }, 0.612208583294, [0.1674959014, 0.7602771413, 0.0722269573, 0.6262711301, 0.3601664226, 0.0135624473, 0.5342871696, 0.0001933125, 0.4655195179]],
  [dirichletOdir, { lambda: 0.01, mu: 0.01, normalise: false }, 0.608347274241, [0.1517484681, 0.7789119198, 0.0693396121, 0.6378468384, 0.3456107322, 0.0165424293, 0.5334178029, 0.0000837563, 0.4664984407]],
];

function rows014(q: Float64Array): number[] {
  return [0, 1, 4].flatMap((i) => Array.from(q.subarray(3 * i, 3 * i + 3)));
}

describe('VS / MS / Dirichlet on fixture G (calibrators.md §3.1, §4.4)', () => {
  for (const [spec, opts, J, q] of ORACLES) {
    it(`${spec.id} ${JSON.stringify(opts)}: objective ${J} and probabilities of rows 0, 1, 4 to 1e-7`, () => {
      const r = spec.fit(G, opts, ctx);
      expect(r.converged).toBe(true);
      expect(Math.abs((r.loss as number) - J)).toBeLessThan(1e-10);
      expect(maxAbsDiff(rows014(r.model.predictProba(G).data), q)).toBeLessThan(1e-7);
    });
  }

  it('VS and MS flip the argmax of rows 21, 38, 55 (so preservesArgmax is honestly false)', () => {
    const base = argmaxRows(G.logits);
    for (const spec of [vectorScaling, matrixScaling]) {
      const m = spec.fit(G, {}, ctx).model;
      expect(m.preservesArgmax).toBe(false);
      const a = argmaxRows(m.predictProba(G));
      const flips = Array.from(a).flatMap((v, i) => (v !== base[i] ? [i] : []));
      expect(flips).toEqual([21, 38, 55]);
    }
  });

  it('the unpenalised VS/MS fit sits in the gauge Σb = 0 and MS columns sum to 1', () => {
    const vs = vectorScaling.fit(G, {}, ctx).model as LinearSoftmaxModel;
    const ms = matrixScaling.fit(G, {}, ctx).model as LinearSoftmaxModel;
    expect(Math.abs(vs.biases().reduce((a, b) => a + b, 0))).toBeLessThan(1e-12);
    const W = ms.weights();
    for (let j = 0; j < 3; j++) expect(W[j]! + W[3 + j]! + W[6 + j]!).toBeCloseTo(1, 12);
    // oracle parameters in that gauge (§3.1): VS w and b
    expect(maxAbsDiff(vs.weights(), [0.9049979032, 0.9458133844, 0.9464255556])).toBeLessThan(1e-6);
    expect(maxAbsDiff(vs.biases(), [0.1819511401, -0.1834367284, 0.0014855884])).toBeLessThan(1e-6);
  });

  it('ODIR (paper form) is equivariant to permuting the classes (the dirichletcal ref-row quirk is absent)', () => {
    const perm = [2, 0, 1]; // new class c is old class perm[c]
    const N = G.logits.rows;
    const z = new Float64Array(N * 3), y = new Int32Array(N);
    for (let i = 0; i < N; i++) {
      for (let c = 0; c < 3; c++) z[i * 3 + c] = G.logits.data[i * 3 + perm[c]!]!;
      y[i] = perm.indexOf(G.labels[i]!);
    }
    const q = dirichletOdir.fit(G, { lambda: 1, mu: 1 }, ctx).model.predictProba(G).data;
    const qp = dirichletOdir.fit({ logits: { data: z, rows: N, cols: 3 }, labels: y }, { lambda: 1, mu: 1 }, ctx).model.predictProba({ logits: { data: z, rows: N, cols: 3 } }).data;
    let worst = 0;
    for (let i = 0; i < N; i++) for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(qp[i * 3 + c]! - q[i * 3 + perm[c]!]!));
    expect(worst).toBeLessThan(1e-7);
  });

  it('analytic gradients of the full and diagonal objectives with all penalties match finite differences', () => {
    const K = 3, N = G.logits.rows;
    const X = new Float64Array(N * K), row = new Float64Array(K);
    for (let r = 0; r < N; r++) { featuresRow(G.logits.data, K, r, 'log-probs', row); X.set(row, r * K); }
    for (const form of ['full', 'diag'] as const) {
      const f = linearSoftmaxObjective(X, G.labels, K, form, { diag: 0.03, off: 0.07, diagTarget: 1, bias: 0.05 });
      const n = (form === 'full' ? K * K : K) + K;
      const rng = new Rng(3);
      const th = Float64Array.from({ length: n }, () => rng.normal() * 0.5);
      const g = new Float64Array(n), gd = new Float64Array(n);
      f(th, g);
      for (let i = 0; i < n; i++) {
        const h = 1e-6, t = th.slice();
        t[i] = th[i]! + h; const fp = f(t, gd);
        t[i] = th[i]! - h; const fm = f(t, gd);
        expect(Math.abs(g[i]! - (fp - fm) / (2 * h))).toBeLessThan(1e-8);
      }
    }
  });

  it('recovers a known matrix: labels drawn from softmax(W0 z + b0) give back those probabilities', () => {
    const rng = new Rng(11);
    const N = 3000, K = 3;
    const W0 = [1.4, 0.3, -0.2, -0.1, 0.8, 0.2, 0.25, -0.4, 1.1], b0 = [0.3, -0.2, -0.1];
    const z = new Float64Array(N * K), y = new Int32Array(N), truth = new Float64Array(N * K);
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < K; k++) z[i * K + k] = 2 * rng.normal();
      const s = [0, 1, 2].map((k) => b0[k]! + W0[k * 3]! * z[i * K]! + W0[k * 3 + 1]! * z[i * K + 1]! + W0[k * 3 + 2]! * z[i * K + 2]!);
      const p = softmax({ data: Float64Array.from(s), rows: 1, cols: 3 }).data;
      truth.set(p, i * K);
      const u = rng.random();
      y[i] = u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
    }
    const q = matrixScaling.fit({ logits: { data: z, rows: N, cols: K }, labels: y }, {}, ctx).model.predictProba({ logits: { data: z, rows: N, cols: K } }).data;
    let mean = 0;
    for (let i = 0; i < q.length; i++) mean += Math.abs(q[i]! - truth[i]!);
    expect(mean / q.length).toBeLessThan(0.02);
  });

  it('full K×K fits above maxClasses (default 1024) are refused with E_TOO_LARGE; the option lifts it', () => {
    const K = 1025, N = 4;
    const data = { logits: { data: Float64Array.from({ length: N * K }, (_, i) => Math.sin(i)), rows: N, cols: K }, labels: Int32Array.of(0, 1, 2, 3) };
    for (const spec of [matrixScaling, dirichletFull, dirichletOdir]) {
      let err: unknown = null;
      try { spec.fit(data, {}, ctx); } catch (e) { err = e; }
      expect(isCalibraError(err, 'E_TOO_LARGE') && err.fix).toMatch(/maxClasses=1025/);
      expect(spec.fit(data, { maxClasses: 1025, maxIterations: 2 }, ctx).model.numClasses).toBe(K);
    }
  });

  it('a separable calibration set gives a divergence warning for unpenalised MS, none with lambda > 0', () => {
    const data = { logits: { data: Float64Array.of(2, 0, 0, 2, 3, 1, 1, 3), rows: 4, cols: 2 }, labels: Int32Array.of(0, 1, 0, 1) };
    expect(matrixScaling.fit(data, {}, ctx).warnings.join(' ')).toMatch(/separable/);
    expect(matrixScaling.fit(data, { lambda: 0.1 }, ctx).warnings).toEqual([]);
  });
});

describe('crossValidateOdir', () => {
  it('returns the grid pair with the lowest mean held-out NLL, and the paper grid has 3 λ and 1 μ per decade', () => {
    const r = crossValidateOdir(G, { lambdas: [1e-3, 1, 1e3], mus: [1e-3, 1e3], folds: 3, seed: 15 });
    expect(r.scores).toHaveLength(6);
    const min = Math.min(...r.scores.map((s) => s.nll));
    expect(r.scores.find((s) => s.lambda === r.lambda && s.mu === r.mu)?.nll).toBe(min);
    for (const sc of r.scores) expect(sc.nll > 0 && sc.nll < Math.log(3) + 0.5).toBe(true);
    const grid = odirPaperGrid(-2, 1);
    expect(grid.lambdas).toHaveLength(12);
    expect(grid.mus).toEqual([0.01, 0.1, 1, 10]);
    expect(crossValidateOdir(G, { lambdas: [0.01], mus: [0.01], folds: 3, seed: 15 })).toEqual(crossValidateOdir(G, { lambdas: [0.01], mus: [0.01], folds: 3, seed: 15 }));
  });
});
