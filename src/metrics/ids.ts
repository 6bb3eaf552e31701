/**
 * Stable metric ids (used by the CLI and in JSON output), their one-line definitions and sources, what data
 * each needs, and the presets. A binned id takes a bin count after `@`: `ece@25`, `cw_ece@10`.
 */
import { CalibraError } from '../errors.js';
import { didYouMean, foldName } from '../suggest.js';

/**
 * What a metric needs to be computed:
 * - `sums`: running sums (streams in O(1) memory);
 * - `top-bins` / `cond-bins` / `class-bins` / `ca-sce`: mergeable per-bin statistics (stream in O(K·B));
 * - `samples`: the compact per-sample summary (34 bytes a row, independent of K);
 * - `matrix`: the whole N×K probability matrix (cannot stream).
 */
export type MetricNeed = 'sums' | 'top-bins' | 'cond-bins' | 'class-bins' | 'ca-sce' | 'samples' | 'matrix';

/** One row of the metric table. */
export interface MetricInfo {
  readonly base: string;
  /** Default bin count for binned ids; undefined when the id takes no `@B`. */
  readonly defaultBins?: number;
  readonly need: MetricNeed;
  readonly definition: string;
  readonly source: string;
}

const info = (base: string, need: MetricNeed, definition: string, source: string, defaultBins?: number): MetricInfo =>
  (defaultBins === undefined ? { base, need, definition, source } : { base, need, definition, source, defaultBins });

/** Every metric base id, in documentation order. */
export const METRICS: readonly MetricInfo[] = [
  info('accuracy', 'sums', 'fraction of samples whose argmax (first on ties) equals the label', '-'),
  info('confidence', 'samples', 'mean top-label confidence (1/N) Σ_i c_i; confidence − accuracy > 0 is over-confidence', '-'),
  info('ece', 'top-bins', 'Σ_b (n_b/N)|acc_b − conf_b| over B equal-width bins of the top-label confidence', 'Naeini et al. AAAI 2015; Guo et al. ICML 2017', 15),
  info('ece_em', 'samples', 'ECE with B equal-mass bins (rank split of the stably sorted confidences)', 'Nixon et al. CVPRW 2019; Kumar et al. NeurIPS 2019', 15),
  info('mce', 'top-bins', 'max over non-empty equal-width bins of |acc_b − conf_b|', 'Naeini et al. AAAI 2015', 15),
  info('mce_em', 'samples', 'max over equal-mass bins of |acc_b − conf_b|', 'Naeini et al. AAAI 2015 (equal-mass variant)', 15),
  info('rmsce', 'top-bins', 'sqrt Σ_b (n_b/N)(acc_b − conf_b)² over equal-width bins (L2 calibration error)', 'Hendrycks et al. 2019; Kumar et al. NeurIPS 2019', 15),
  info('cw_ece', 'class-bins', 'class-wise ECE / SCE: mean over all K classes of the equal-width ECE of p_k against 1[y=k]', 'Kull et al. NeurIPS 2019; Nixon et al. CVPRW 2019', 15),
  info('cw_ece_em', 'matrix', 'class-wise ECE with equal-mass bins per class (rank split)', 'Tao et al. ICLR 2024 (benchmark column cwCE_em)', 15),
  info('tl_ece', 'cond-bins', 'top-label ECE: Σ_l (N_l/N) ECE of the samples predicted as l (equal-width bins inside each group)', 'Gupta & Ramdas ICLR 2022', 15),
  info('tl_ece_em', 'samples', 'top-label ECE with equal-mass bins inside each predicted-label group (rank split), Gupta & Ramdas\'s own binning', 'Gupta & Ramdas ICLR 2022 (toplabel_ece, uniform-mass bins)', 15),
  info('dece', 'samples', 'debiased L2 calibration error over B equal-mass bins, sqrt(max(0, Σ (n_b/N)[gap² − acc(1−acc)/(n_b−1)]))', 'Kumar, Liang & Ma NeurIPS 2019', 15),
  info('smece', 'samples', 'smooth ECE: ∫|kernel-smoothed residual| with the reflected Gaussian (all images) at the fixed point σ = smECE_σ, exact to ~1e-14', 'Błasiok & Nakkiran ICLR 2024'),
  info('ks', 'samples', 'Kolmogorov-Smirnov error: max over the ascending confidence order of |Σ (c − a)|/N', 'Gupta et al. ICLR 2021'),
  info('mmce', 'samples', 'sqrt of (1/N²) Σ_ij (a_i−c_i)(a_j−c_j) exp(−|c_i−c_j|/0.4)', 'Kumar, Sarawagi & Jain ICML 2018'),
  info('kde_ece', 'samples', 'KDE-based ECE with triweight kernels, reflected at 0 and 1, bandwidth std(c|correct)(2N)^(−1/5)', 'Zhang, Kailkhura & Han ICML 2020'),
  info('brier', 'sums', 'multiclass Brier score: mean over samples of Σ_k (p_k − 1[y=k])², in [0, 2]', 'Brier 1950'),
  info('brier_top', 'sums', 'top-label Brier score: mean (c − a)²', 'Brier 1950 (top-label form used by the CA paper)'),
  info('nll', 'sums', 'negative log-likelihood −mean ln p_y (log-softmax from logits; p clipped at 1e-12 from probabilities)', 'Quiñonero-Candela et al. 2006'),
  info('auroc', 'samples', 'AUROC of confidence separating correct from wrong predictions, ties by average rank', 'Hendrycks & Gimpel ICLR 2017'),
  info('aupr_success', 'samples', 'average precision with correct predictions as positives, scored by confidence', 'Hendrycks & Gimpel ICLR 2017'),
  info('aupr_error', 'samples', 'average precision with wrong predictions as positives, scored by −confidence', 'Hendrycks & Gimpel ICLR 2017'),
  info('fpr95', 'samples', 'false-positive rate at the ROC point whose TPR is nearest 0.95 (correct = positive)', 'DeVries & Taylor 2018; Moon et al. ICML 2020 (CRL code)'),
  info('aurc', 'samples', 'area under the risk-coverage curve, mean over coverages i/N of the error rate of the i most confident', 'Geifman, Uziel & El-Yaniv ICLR 2019'),
  info('eaurc', 'samples', 'excess AURC: AURC − (r + (1−r) ln(1−r)), r the error rate', 'Geifman, Uziel & El-Yaniv ICLR 2019'),
  info('ca_paper.ece', 'samples', 'CA code `_ECELoss`: 25 equal-width bins (lo, hi] on linspace edges, confidence 0 in no bin', 'Liu et al. 2024 (CA), all_metrics.py', 25),
  info('ca_paper.ace', 'samples', 'CA code `AdaptiveECE`: ECE over 25 sklearn KBinsDiscretizer quantile bins', 'Liu et al. 2024 (CA), all_metrics.py', 25),
  info('ca_paper.mce', 'samples', 'CA code `MCE`: max over 25 digitize bins of (n_b/N)|acc_b − conf_b| (mass-weighted)', 'Liu et al. 2024 (CA), all_metrics.py', 25),
  info('ca_paper.bs', 'sums', 'CA code `brier_score`: top-label Brier mean (c − a)²', 'Liu et al. 2024 (CA), all_metrics.py'),
  info('ca_paper.auc', 'samples', 'CA code: roc_auc_score(correctness, confidence)', 'Liu et al. 2024 (CA), all_metrics.py'),
  info('ca_paper.ks', 'samples', 'CA code KS with swapped arguments: max(Σ_wrong c / N, |acc − mean c|)', 'Liu et al. 2024 (CA), all_metrics.py'),
  info('netcal.ace', 'samples', 'netcal ACE: unweighted mean of |acc_b − conf_b| over the non-empty equal-width bins (linspace edges, [lo, hi), confidences clipped to [ε, 1 − ε])', 'Neumann et al. 2018; netcal netcal.metrics.ACE', 10),
  info('ca_paper.sce', 'ca-sce', 'CA code `compute_sce`: class-wise ECE, 25 bins (lo, hi] on linspace edges, mean over K', 'Liu et al. 2024 (CA), all_metrics.py', 25),
];

const BY_BASE = new Map(METRICS.map((m) => [m.base, m]));

/** A parsed metric id: `cw_ece@10` → base `cw_ece`, bins 10. */
export interface MetricSpec {
  /** The id as it appears in output (`ece@15` stays `ece@15`; `ece` stays `ece`). */
  readonly id: string;
  readonly base: string;
  /** Bin count (0 for ids without bins). */
  readonly bins: number;
  readonly need: MetricNeed;
}

/** Largest accepted bin count. */
export const MAX_BINS = 100000;

/**
 * Other names people type for a metric (compared case-insensitively, `_` = `-`); the output uses the id.
 */
export const METRIC_ALIASES: Readonly<Record<string, string>> = {
  acc: 'accuracy', 'mean-confidence': 'confidence', 'avg-confidence': 'confidence', conf: 'confidence', 'top1': 'accuracy', 'top-1': 'accuracy',
  'log-loss': 'nll', logloss: 'nll', 'cross-entropy': 'nll', 'neg-log-likelihood': 'nll', 'negative-log-likelihood': 'nll',
  'brier-score': 'brier', 'top-label-brier': 'brier_top',
  'expected-calibration-error': 'ece', 'adaptive-ece': 'ece_em', ace: 'ece_em', 'equal-mass-ece': 'ece_em',
  'maximum-calibration-error': 'mce', 'max-calibration-error': 'mce',
  sce: 'cw_ece', 'classwise-ece': 'cw_ece', 'class-wise-ece': 'cw_ece', 'static-calibration-error': 'cw_ece',
  'top-label-ece': 'tl_ece', 'smooth-ece': 'smece', 'smooth-calibration-error': 'smece',
  'kolmogorov-smirnov': 'ks', 'ks-error': 'ks', auc: 'auroc', 'roc-auc': 'auroc', 'kde-ece': 'kde_ece',
};

/** Base ids and aliases by folded name (case-insensitive, `_` = `-`). */
const BY_FOLDED = new Map<string, string>([...METRICS.map((m) => [foldName(m.base), m.base] as [string, string]), ...Object.entries(METRIC_ALIASES)]);

/**
 * Parses and checks one id. An alias or another case gives the canonical id (`ECE@25` → `ece@25`, `log-loss`
 * → `nll`); an exact id stays as typed. Throws E_OPTION naming the id, the nearest ids and the known ones.
 * @example parseMetricId('ece@25') // => { id: 'ece@25', base: 'ece', bins: 25, need: 'top-bins' }
 */
export function parseMetricId(typed: string): MetricSpec {
  const at0 = typed.indexOf('@');
  const typedBase = at0 >= 0 ? typed.slice(0, at0) : typed;
  const canonical = BY_BASE.has(typedBase) ? typedBase : BY_FOLDED.get(foldName(typedBase));
  const id = canonical === undefined || canonical === typedBase ? typed : `${canonical}${at0 >= 0 ? typed.slice(at0) : ''}`;
  const at = id.indexOf('@');
  const base = at >= 0 ? id.slice(0, at) : id;
  const m = BY_BASE.get(base);
  if (m === undefined) {
    const hint = didYouMean(typedBase, [...METRICS.map((x) => x.base), ...Object.keys(METRIC_ALIASES)]);
    throw new CalibraError('E_OPTION', `unknown metric id ${JSON.stringify(typed)}`, { where: 'metrics', fix: `${hint}use one of ${METRICS.map((x) => x.base).join(', ')} (binned ids take @B, e.g. ece@25), or a preset` });
  }
  if (at >= 0) {
    if (m.defaultBins === undefined) throw new CalibraError('E_OPTION', `metric ${base} takes no bin count (got ${JSON.stringify(id)})`, { where: 'metrics', fix: `write ${base}` });
    const text = id.slice(at + 1);
    const bins = Number(text);
    if (!/^[0-9]+$/.test(text) || !Number.isInteger(bins) || bins < 1 || bins > MAX_BINS) {
      throw new CalibraError('E_OPTION', `bad bin count in ${JSON.stringify(id)}`, { where: 'metrics', fix: `write ${base}@B with B an integer in 1..${MAX_BINS}` });
    }
    return { id, base, bins, need: m.need };
  }
  return { id, base, bins: m.defaultBins ?? 0, need: m.need };
}

/** Preset names. */
export type PresetName = 'default' | 'ca-paper' | 'sweep';

/** The bin counts of Tao et al.'s benchmark grid. */
export const SWEEP_BINS: readonly number[] = [5, 10, 15, 20, 25, 50, 100, 200, 500];

/**
 * The ids of a preset:
 * - `default`: the 21 ids of issue 2 at their default bin counts;
 * - `ca-paper`: the CA paper's seven metrics exactly as its code computes them (`ca_paper.*`);
 * - `sweep`: "A Benchmark Study on Calibration" (Tao et al., ICLR 2024): ece, ece_em, cw_ece, cw_ece_em, mce
 *   at 5…500 bins, plus ks, kde_ece, mmce, nll, brier (50 ids).
 */
export function presetMetricIds(typed: string): string[] {
  const name = foldName(typed);
  if (name === 'default') {
    return ['accuracy', 'ece', 'ece_em', 'mce', 'rmsce', 'cw_ece', 'tl_ece', 'dece', 'smece', 'ks', 'mmce', 'kde_ece', 'brier', 'brier_top', 'nll', 'auroc', 'aupr_success', 'aupr_error', 'fpr95', 'aurc', 'eaurc'];
  }
  if (name === 'ca-paper') return ['ca_paper.ece', 'ca_paper.bs', 'ca_paper.ace', 'ca_paper.mce', 'ca_paper.auc', 'ca_paper.ks', 'ca_paper.sce'];
  if (name === 'sweep') {
    const out: string[] = [];
    for (const fam of ['ece', 'ece_em', 'cw_ece', 'cw_ece_em', 'mce']) for (const b of SWEEP_BINS) out.push(`${fam}@${b}`);
    return [...out, 'ks', 'kde_ece', 'mmce', 'nll', 'brier'];
  }
  throw new CalibraError('E_OPTION', `unknown preset ${JSON.stringify(typed)}`, { where: 'preset', fix: `${didYouMean(typed, ['default', 'ca-paper', 'sweep'])}use default, ca-paper or sweep` });
}
