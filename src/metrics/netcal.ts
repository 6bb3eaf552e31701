/**
 * netcal's classification metrics with netcal's conventions (EFS-OpenSource/calibration-framework,
 * `netcal.metrics.ACE`, `_Miscalibration._measure`), so calibra's numbers can be set beside netcal's.
 */
import { combine, digitizeBin } from './linspace-bins.js';

/** netcal clips confidences to [ε, 1 − ε] with ε = float64 machine epsilon before binning. */
const NETCAL_EPS = Number.EPSILON;

/**
 * `netcal.ace`: netcal's ACE (Average Calibration Error, Neumann et al. 2018): the unweighted mean of
 * |acc_b − conf_b| over the **non-empty** bins of B equal-width bins (default 10) of the top-label confidence.
 * netcal's conventions, kept: confidences clipped to [ε, 1 − ε] first (so 0 and 1 move by ε and the clipped
 * value is what the bin averages), edges numpy `linspace(0, 1, B + 1)`, bins `[lo, hi)` (scipy
 * `binned_statistic_dd` / `np.digitize`; the last bin is closed, which the clip makes moot), prediction =
 * first argmax. Unlike `ece`, every non-empty bin weighs the same, however few samples it holds.
 * Cost O(N + B).
 * @example
 * // fixture D1 of docs/metrics.md §0 (top-label confidence and correctness); 0.26 is its oracle 4a
 * const conf = Float64Array.of(0.71, 0.63, 0.57, 0.83, 0.43, 0.93, 0.47, 0.67);
 * const correct = Uint8Array.of(1, 0, 1, 1, 0, 1, 0, 1);
 * netcalAce(conf, correct, 10) // ~> 0.26
 */
export function netcalAce(conf: Float64Array, correct: Uint8Array, bins = 10): number {
  const count = new Float64Array(bins);
  const sc = new Float64Array(bins);
  const sa = new Float64Array(bins);
  for (let i = 0; i < conf.length; i++) {
    const c = Math.min(Math.max(conf[i] as number, NETCAL_EPS), 1 - NETCAL_EPS);
    const b = digitizeBin(c, bins);
    count[b] = (count[b] as number) + 1;
    sc[b] = (sc[b] as number) + c;
    sa[b] = (sa[b] as number) + (correct[i] as number);
  }
  return combine(count, sc, sa, conf.length, 'mean');
}
