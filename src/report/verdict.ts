/**
 * The verdict of `compare` and `report`: which calibrator to ship, and how sure we are. Rules, in order:
 *
 * 1. Candidates are the methods with a finite primary metric on the test set. A method whose test accuracy
 *    is below the uncalibrated accuracy is excluded (named, with both accuracies) unless `allowAccuracyDrop`.
 * 2. The best candidate by the primary metric (lower is better, or higher for accuracy / AUROC ids).
 * 3. If temperature scaling is a candidate and the best is not TS, the best is recommended only when its
 *    paired-bootstrap interval against TS lies entirely on the better side of 0; otherwise the verdict is
 *    "use temperature scaling" (one parameter, keeps the argmax) and the best becomes the tied runner-up.
 * 4. The runner-up is the best remaining candidate; it is "tied" when its paired interval against the
 *    recommendation contains 0. Every tied candidate is listed.
 *
 * Intervals: one shared index per bootstrap replicate for every method (src/metrics/paired-bootstrap.ts),
 * percentile interval of the per-replicate differences. Pure and browser-safe.
 */
import type { Matrix } from '../math/matrix.js';
import { parseMetricId } from '../metrics/ids.js';
import { percentileOfSorted } from '../metrics/bootstrap.js';
import { bootstrapReplicateValues, pairedDifference, type DifferenceInterval, type PairedSample } from '../metrics/paired-bootstrap.js';
import { summarizeProbs } from '../metrics/summary.js';
import { describeMetric } from './metrics-table.js';

/** One method's output on the test set the verdict is about. */
export interface VerdictMethod {
  /** The label shown (the `--methods` entry, e.g. `ts` or `histogram:bins=15`). */
  readonly label: string;
  /** The registry id (`none` and `ts` are the references). */
  readonly method: string;
  /** Whether the method keeps every argmax by construction; when unknown, whether it changed none on this test set. */
  readonly keepsArgmax?: boolean;
  /** Per-sample summary on the test set (and the probabilities when the metric is class-wise). */
  readonly sample: PairedSample;
  /** The primary metric on the whole test set (as in the method's table row). */
  readonly value: number;
  /** Test accuracy. */
  readonly accuracy: number;
}

/** A {@link VerdictMethod}'s sample from its probabilities: the matrix is kept only for class-wise ids. */
export function verdictSample(probs: Matrix, labels: Int32Array, metric: string): PairedSample {
  const need = parseMetricId(metric).need;
  const keep = need === 'class-bins' || need === 'ca-sce' || need === 'matrix';
  return { summary: summarizeProbs(probs, labels), probs: keep ? { data: Float64Array.from(probs.data), rows: probs.rows, cols: probs.cols } : null };
}

/** Settings of {@link computeVerdict}. */
export interface VerdictOptions {
  /** Primary metric id (e.g. `nll`, `ece`, `ece@25`). */
  readonly metric: string;
  /** Interval level (default 0.95). */
  readonly level?: number;
  /** Bootstrap replicates (default 1000). */
  readonly replicates?: number;
  /** Seed of the shared resampling (default 0). */
  readonly seed?: number;
  /** Allow recommending a method whose test accuracy is below the uncalibrated one (default false). */
  readonly allowAccuracyDrop?: boolean;
  /** Name of the test set, for the text (default "test"). */
  readonly testSet?: string;
  /** Resampled rows per replicate instead of the seeded draw (tests feed numpy's indices). */
  readonly indices?: (r: number, out: Int32Array) => void;
}

/** A difference to a reference method with its interval; `better` when the whole interval favours the method. */
export interface VerdictComparison extends DifferenceInterval {
  readonly reference: string;
  readonly better: boolean;
  readonly worse: boolean;
}

/** A method's score with its own percentile interval (the same replicates). */
export interface MethodScore {
  readonly label: string;
  readonly value: number;
  readonly low: number;
  readonly high: number;
  readonly accuracy: number;
  /** Test rows whose argmax differs from the uncalibrated argmax. */
  readonly argmaxChanges: number;
  readonly excluded: string | null;
}

/** The recommendation; JSON output carries it as the top-level `"recommendation"`. */
export interface Recommendation {
  /** The label of the method to ship. */
  readonly method: string;
  readonly metric: string;
  readonly higherIsBetter: boolean;
  readonly testSet: string;
  readonly value: number;
  /** Why: `beats-ts` (beyond noise), `ts-not-beaten` (use temperature scaling), `best` (TS not compared), `only-candidate`. */
  readonly reason: 'beats-ts' | 'ts-not-beaten' | 'best' | 'only-candidate';
  /** The best candidate by point estimate (differs from `method` when TS wins by the noise rule). */
  readonly bestByPoint: string;
  readonly vsTemperatureScaling: VerdictComparison | null;
  readonly vsUncalibrated: VerdictComparison | null;
  readonly keepsArgmax: boolean;
  readonly argmaxChanges: number;
  readonly accuracy: number;
  readonly uncalibratedAccuracy: number | null;
  readonly runnerUp: (VerdictComparison & { readonly method: string; readonly value: number; readonly tied: boolean }) | null;
  /** Every candidate whose interval against the recommendation contains 0. */
  readonly tied: readonly string[];
  /** Methods left out, with the reason (lower accuracy, no finite value). */
  readonly excluded: readonly { readonly method: string; readonly reason: string }[];
  readonly level: number;
  readonly replicates: number;
  readonly seed: number;
  /** Scores of every method (for the ranking chart). */
  readonly scores: readonly MethodScore[];
  /** The verdict in plain words (several lines, no trailing newline). */
  readonly text: string;
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && a < 1e-3 ? v.toExponential(2) : v.toFixed(4);
}

function signed(v: number): string {
  return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${fmt(Math.abs(v))}`;
}

/** `−0.0123 [−0.0200, −0.0051]`. */
export function formatDifference(d: DifferenceInterval): string {
  return `${signed(d.diff)} [${signed(d.low)}, ${signed(d.high)}]`;
}

/**
 * The verdict on one test set. `methods` must all be scored on the same test set. Cost: one metric pass per method
 * plus `replicates` × methods metric evaluations (src/metrics/paired-bootstrap.ts).
 * @example
 * const labels = Int32Array.of(0, 1, 1, 0, 1, 0);
 * const method = (id: string, p: number[]) => {
 *   const probs = { data: Float64Array.from(p.flatMap((v) => [1 - v, v])), rows: 6, cols: 2 };
 *   const sample = verdictSample(probs, labels, 'nll');
 *   return { label: id, method: id, sample, value: sample.summary.nllTerms.reduce((a, b) => a + b, 0) / 6, accuracy: 1 };
 * };
 * const methods = [method('none', [0.01, 0.99, 0.99, 0.01, 0.99, 0.01]), method('ts', [0.2, 0.8, 0.8, 0.2, 0.8, 0.2])];
 * computeVerdict(methods, { metric: 'nll' }).method // => 'none'
 */
export function computeVerdict(methods: readonly VerdictMethod[], opts: VerdictOptions): Recommendation {
  const level = opts.level ?? 0.95;
  const replicates = opts.replicates ?? 1000;
  const seed = opts.seed ?? 0;
  const metric = opts.metric;
  const testSet = opts.testSet ?? 'test';
  const higher = describeMetric(metric).higherIsBetter;
  const samples = methods.map((m) => m.sample);
  const noneIdx = methods.findIndex((m) => m.method === 'none');
  const tsIdx = methods.findIndex((m) => m.method === 'ts');
  const noneAcc = noneIdx >= 0 ? (methods[noneIdx]?.accuracy as number) : null;
  const nonePred = noneIdx >= 0 ? samples[noneIdx]?.summary.predicted : undefined;
  const values = bootstrapReplicateValues(samples, metric, { replicates, seed, ...(opts.indices !== undefined ? { indices: opts.indices } : {}) });

  const excluded: { method: string; reason: string }[] = [];
  const scores: MethodScore[] = methods.map((m, i) => {
    const { value, accuracy } = m;
    let changes = 0;
    const pred = samples[i]?.summary.predicted as Int32Array;
    if (nonePred !== undefined) for (let r = 0; r < pred.length; r++) if (pred[r] !== nonePred[r]) changes++;
    let reason: string | null = null;
    if (!Number.isFinite(value)) reason = `${metric} is not finite`;
    else if (opts.allowAccuracyDrop !== true && noneAcc !== null && accuracy < noneAcc) reason = `lowers accuracy ${fmt(noneAcc)} → ${fmt(accuracy)}`;
    if (reason !== null) excluded.push({ method: m.label, reason });
    const own = (values[i] as Float64Array).filter((v) => Number.isFinite(v)).sort();
    const ok = own.length * 2 >= replicates;
    return {
      label: m.label, value, accuracy, argmaxChanges: changes, excluded: reason,
      low: ok ? percentileOfSorted(own, 100 * (1 - level) / 2) : Number.NaN,
      high: ok ? percentileOfSorted(own, 100 * (1 + level) / 2) : Number.NaN,
    };
  });
  const better = (a: number, b: number): boolean => (higher ? a > b : a < b);
  const candidates = scores.map((s, i) => i).filter((i) => scores[i]?.excluded === null);
  const rank = [...candidates].sort((a, b) => {
    const va = scores[a]?.value as number;
    const vb = scores[b]?.value as number;
    return va === vb ? a - b : better(va, vb) ? -1 : 1;
  });
  const compare = (i: number, j: number, reference: string): VerdictComparison => {
    const d = pairedDifference((scores[i]?.value as number) - (scores[j]?.value as number), values[i] as Float64Array, values[j] as Float64Array, level);
    const favours = (x: number): boolean => (higher ? x > 0 : x < 0);
    return { ...d, reference, better: favours(d.low) && favours(d.high), worse: favours(-d.low) && favours(-d.high) };
  };

  const bestIdx = rank[0];
  if (bestIdx === undefined) {
    // nothing is usable: recommend nothing but say why (every method failed or lowers accuracy)
    const text = `verdict: no method to recommend on ${testSet}: ${excluded.map((e) => `${e.method} ${e.reason}`).join('; ') || 'no method was scored'}`;
    return {
      method: 'none', metric, higherIsBetter: higher, testSet, value: Number.NaN, reason: 'only-candidate', bestByPoint: 'none',
      vsTemperatureScaling: null, vsUncalibrated: null, keepsArgmax: true, argmaxChanges: 0, accuracy: noneAcc ?? Number.NaN,
      uncalibratedAccuracy: noneAcc, runnerUp: null, tied: [], excluded, level, replicates, seed, scores, text,
    };
  }
  let recIdx = bestIdx;
  let reason: Recommendation['reason'] = rank.length === 1 ? 'only-candidate' : 'best';
  const tsCandidate = tsIdx >= 0 && candidates.includes(tsIdx);
  if (tsCandidate) {
    if (bestIdx === tsIdx) reason = rank.length === 1 ? 'only-candidate' : 'beats-ts';
    else if (compare(bestIdx, tsIdx, 'ts').better) reason = 'beats-ts';
    else { recIdx = tsIdx; reason = 'ts-not-beaten'; }
  }
  const rec = scores[recIdx] as MethodScore;
  const recMethod = methods[recIdx] as VerdictMethod;
  const keepsArgmax = recMethod.keepsArgmax ?? (noneIdx >= 0 && rec.argmaxChanges === 0);
  const vsTs = tsIdx >= 0 && recIdx !== tsIdx ? compare(recIdx, tsIdx, methods[tsIdx]?.label ?? 'ts') : null;
  const vsNone = noneIdx >= 0 && recIdx !== noneIdx ? compare(recIdx, noneIdx, methods[noneIdx]?.label ?? 'none') : null;
  const others = rank.filter((i) => i !== recIdx);
  const tied = others.filter((i) => { const c = compare(i, recIdx, rec.label); return !c.better && !c.worse; });
  const runIdx = others[0];
  const runnerUp = runIdx === undefined ? null : (() => {
    const c = compare(runIdx, recIdx, rec.label);
    return { ...c, method: scores[runIdx]?.label as string, value: scores[runIdx]?.value as number, tied: !c.better && !c.worse };
  })();

  const dir = higher ? 'higher is better' : 'lower is better';
  const pct = `${Math.round(level * 100)} %`;
  const lines: string[] = [];
  const head = recMethod.method === 'ts' && reason === 'ts-not-beaten'
    ? `use temperature scaling (${rec.label}): no method beats it beyond noise`
    : recMethod.method === 'ts' ? `use temperature scaling (${rec.label})` : `use ${rec.label}`;
  lines.push(`verdict: ${head}`);
  lines.push(`  ${metric} on ${testSet} (${dir}): ${fmt(rec.value)} [${fmt(rec.low)}, ${fmt(rec.high)}]; paired bootstrap ${pct} intervals, ${replicates} resamples, seed ${seed}`);
  if (vsNone !== null) lines.push(`  vs uncalibrated:        ${formatDifference(vsNone)}${vsNone.better ? '  better beyond noise' : vsNone.worse ? '  WORSE beyond noise' : '  within noise'}`);
  if (vsTs !== null) lines.push(`  vs temperature scaling: ${formatDifference(vsTs)}${vsTs.better ? '  better beyond noise' : vsTs.worse ? '  worse beyond noise' : '  within noise'}`);
  const accNote = noneAcc !== null ? `accuracy ${fmt(rec.accuracy)}, uncalibrated ${fmt(noneAcc)}` : `accuracy ${fmt(rec.accuracy)}`;
  lines.push(keepsArgmax ? `  keeps the argmax: yes (${accNote})` : `  keeps the argmax: no, changes ${rec.argmaxChanges} of ${recMethod.sample.summary.n} predictions; ${accNote}`);
  if (runnerUp !== null) lines.push(`  runner-up: ${runnerUp.method} ${fmt(runnerUp.value)}, ${formatDifference(runnerUp)} vs ${rec.label}${runnerUp.tied ? ' (statistically tied)' : ' (worse beyond noise)'}`);
  if (tied.length > 1) lines.push(`  tied with it: ${tied.map((i) => scores[i]?.label).join(', ')}`);
  if (reason === 'beats-ts' && vsNone !== null && !vsNone.better) lines.push('  note: not better than uncalibrated beyond noise');
  if (recMethod.method === 'ts' && vsNone !== null && !vsNone.better) lines.push('  note: temperature scaling is not better than uncalibrated beyond noise: the model may already be calibrated on this metric');
  const lower = excluded.filter((e) => e.reason.startsWith('lowers accuracy'));
  if (lower.length > 0) {
    const acc = (label: string): string => fmt(scores.find((x) => x.label === label)?.accuracy ?? Number.NaN);
    lines.push(`  not considered, lower test accuracy than uncalibrated ${fmt(noneAcc ?? Number.NaN)} (--allow-accuracy-drop allows them): ${lower.map((e) => `${e.method} ${acc(e.method)}`).join(', ')}`);
  }
  for (const e of excluded) if (!e.reason.startsWith('lowers accuracy')) lines.push(`  not considered: ${e.method} (${e.reason})`);
  return {
    method: rec.label, metric, higherIsBetter: higher, testSet, value: rec.value, reason,
    bestByPoint: scores[bestIdx]?.label as string, vsTemperatureScaling: vsTs, vsUncalibrated: vsNone,
    keepsArgmax, argmaxChanges: rec.argmaxChanges, accuracy: rec.accuracy, uncalibratedAccuracy: noneAcc,
    runnerUp, tied: tied.map((i) => scores[i]?.label as string), excluded, level, replicates, seed, scores, text: lines.join('\n'),
  };
}

/** The recommendation as plain JSON (numbers, strings, no typed arrays): what `--format json` prints. */
export function recommendationJson(r: Recommendation): Record<string, unknown> {
  const { text, scores, ...rest } = r;
  return { ...rest, scores: scores.map((s) => ({ ...s })), text };
}
