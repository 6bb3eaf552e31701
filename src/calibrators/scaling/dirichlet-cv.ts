/**
 * Choosing ODIR's (λ, μ) by K-fold cross-validated log-loss, as the Dirichlet-calibration paper's DNN
 * experiments did (Kull et al., NeurIPS 2019; dirichletcal/experiments_dnn scripts/tune_cal_odir.py:
 * 5-fold shuffled KFold inside the calibration set, each pair scored by the mean held-out fold metric).
 * Cost: |λ grid|·|μ grid|·folds ODIR fits.
 */
import { CalibraError } from '../../errors.js';
import { takeLabels, takeRows } from '../../math/matrix.js';
import { Rng } from '../../math/rng.js';
import { dirichletOdir } from './dirichlet.js';
import { checkLabelled } from '../core/checks.js';
import type { LabelledInput } from '../core/types.js';

/** The paper's grid for exponents e in [eMin, eMax]: λ ∈ {0.25, 0.5, 1}·10^e, μ ∈ 10^e (§4.1). */
export function odirPaperGrid(eMin: number, eMax: number): { lambdas: number[]; mus: number[] } {
  const lambdas: number[] = [], mus: number[] = [];
  for (let e = eMin; e <= eMax; e++) {
    const p = 10 ** e;
    lambdas.push(0.25 * p, 0.5 * p, p);
    mus.push(p);
  }
  return { lambdas, mus };
}

/** Result of {@link crossValidateOdir}: the chosen pair and every pair's mean held-out NLL. */
export interface OdirCvResult {
  readonly lambda: number;
  readonly mu: number;
  readonly scores: readonly { readonly lambda: number; readonly mu: number; readonly nll: number }[];
}

/**
 * Scores every (λ, μ) pair by the mean held-out NLL over `folds` shuffled folds (seeded) and returns the
 * best. Pass the chosen values to `dirichlet-odir` as `lambda` and `mu`.
 *
 * @example
 * const logits = { data: Float64Array.from({ length: 40 }, (_, i) => Math.sin(i)), rows: 20, cols: 2 };
 * const labels = Int32Array.from({ length: 20 }, (_, i) => (Math.sin(2 * i) > Math.sin(2 * i + 1) ? 0 : 1));
 * const cv = crossValidateOdir({ logits, labels }, { lambdas: [0.01, 1], mus: [0.01, 1], seed: 15 });
 * cv.scores.length // => 4
 * [0.01, 1].includes(cv.lambda) // => true
 */
export function crossValidateOdir(
  data: LabelledInput, opts: { lambdas: readonly number[]; mus: readonly number[]; folds?: number; seed: number; maxIterations?: number },
): OdirCvResult {
  const K = checkLabelled(data, 'crossValidateOdir');
  const N = data.logits.rows, folds = opts.folds ?? 5;
  if (!(Number.isInteger(folds) && folds >= 2 && folds <= N)) throw new CalibraError('E_OPTION', `crossValidateOdir: folds must be an integer in [2, ${N}]`, { where: "option 'folds'" });
  if (opts.lambdas.length === 0 || opts.mus.length === 0) throw new CalibraError('E_OPTION', 'crossValidateOdir: empty grid', { where: "option 'lambdas'" });
  const order = new Rng(opts.seed).permutation(N);
  const splits: { train: Int32Array; test: Int32Array }[] = [];
  for (let f = 0; f < folds; f++) {
    const lo = Math.floor((f * N) / folds), hi = Math.floor(((f + 1) * N) / folds);
    splits.push({ test: order.slice(lo, hi), train: Int32Array.from([...order.subarray(0, lo), ...order.subarray(hi)]) });
  }
  const scores: { lambda: number; mu: number; nll: number }[] = [];
  for (const lambda of opts.lambdas) {
    for (const mu of opts.mus) {
      let total = 0;
      for (const s of splits) {
        const model = dirichletOdir.fit({ logits: takeRows(data.logits, s.train), labels: takeLabels(data.labels, s.train) },
          { lambda, mu, maxIterations: opts.maxIterations ?? 5000, maxClasses: Math.max(K, 2) }, { seed: opts.seed }).model;
        const q = model.predictProba({ logits: takeRows(data.logits, s.test) }).data;
        let nll = 0;
        for (let i = 0; i < s.test.length; i++) nll -= Math.log(Math.max(q[i * K + (data.labels[s.test[i] as number] as number)] as number, 1e-300));
        total += nll / s.test.length;
      }
      scores.push({ lambda, mu, nll: total / folds });
    }
  }
  let best = scores[0] as { lambda: number; mu: number; nll: number };
  for (const s of scores) if (s.nll < best.nll) best = s;
  return { lambda: best.lambda, mu: best.mu, scores };
}
