/**
 * Evaluating metric ids over probabilities or logits, in memory or chunk by chunk. A
 * {@link MetricAccumulator} makes one fused pass over each row (softmax when given logits, confidence,
 * prediction, Brier and NLL terms, and every requested bin statistic) and keeps only what the requested ids
 * need (see `MetricNeed`); two accumulators `merge` exactly, so streaming equals the in-memory result.
 */
import { CalibraError } from '../errors.js';
import type { FloatArray, Matrix } from '../math/matrix.js';
import { addClasswiseRow, addToBins, conditionalEqualMassError, conditionalError, equalMassError, groupError, meanGroupError, stableOrder, type BinnedStats, type EdgeRule } from './binning.js';
import { netcalAce } from './netcal.js';
import { caPaperAce, caPaperEce, caPaperKs, caPaperMce, caPaperSceAddRow, caPaperSceFinish } from './ca-paper.js';
import { parseMetricId, type MetricSpec } from './ids.js';
import { kdeEce, mmce, smece } from './kernel.js';
import { aurc, auroc, averagePrecision, eaurc, fprAt95Tpr, ksError } from './ranking.js';
import { resolveMaxBytes } from '../data/limits.js';
import { addPartial, BLOCK_ROWS, createPartial, partialBytes, zeroPartial, type PartialLayout, type PartialStats, type Sums } from './partial.js';
import { summarizeLogitRow, summarizeProbRow, SummaryBuilder, type SampleSummary } from './summary.js';

/** Options shared by every evaluation entry point. */
export interface EvaluateOptions {
  /** Edge rule of the equal-width ids (ece, mce, rmsce, cw_ece, tl_ece). Default `'right'`: [0,1/B], then (lo,hi]. */
  readonly edges?: EdgeRule;
  /** Keep the per-sample summary even when no id needs it (for bootstrap intervals). Default false. */
  readonly keepSamples?: boolean;
  /** Memory limit of the per-class statistics (default `CALIBRA_MAX_BYTES` or 2 GiB); E_TOO_LARGE above it. */
  readonly maxBytes?: number;
}

/** Everything a metric value is computed from. */
export interface MetricContext {
  readonly classes: number;
  readonly sums: Sums;
  readonly summary: SampleSummary | null;
  readonly top: ReadonlyMap<number, BinnedStats>;
  readonly cond: ReadonlyMap<number, BinnedStats>;
  readonly cls: ReadonlyMap<number, BinnedStats>;
  readonly caSce: ReadonlyMap<number, Float64Array>;
  /** The full probability matrix and labels, for `matrix` ids only. */
  readonly probs: Matrix | null;
  readonly labels: Int32Array | null;
}

/** Parses a list of ids (aliases and other cases give the canonical id), dropping repeats. */
export function parseMetricIds(ids: readonly string[]): MetricSpec[] {
  const seen = new Set<string>();
  const out: MetricSpec[] = [];
  for (const id of ids) { const spec = parseMetricId(id); if (!seen.has(spec.id)) { seen.add(spec.id); out.push(spec); } }
  return out;
}

function binsOf(specs: readonly MetricSpec[], need: MetricSpec['need']): number[] {
  return [...new Set(specs.filter((s) => s.need === need).map((s) => s.bins))];
}

/**
 * What a worker thread sends back for one block of rows: the block's additive statistics and, when samples
 * are kept, its per-sample summary. Plain data (structured-cloneable).
 */
export interface AccumulatorSnapshot {
  readonly partial: PartialStats;
  readonly samples: SampleSummary | null;
}

/**
 * Accumulates everything the given ids need, chunk by chunk. Memory: O(K·B) for binned ids, 34 bytes a row
 * when any `samples` id is asked for; `matrix` ids (cw_ece_em) are refused here — use
 * {@link evaluateMetrics} with the whole matrix. Cost per row O(K·(1 + number of class-wise bin counts)).
 * Sums follow a fixed order (per {@link BLOCK_ROWS}-row block by absolute row index, then block by block),
 * so chunked, streamed and multi-threaded evaluations give bit-identical results when every chunk passes
 * its absolute `labelOffset`.
 */
export class MetricAccumulator {
  readonly classes: number;
  readonly specs: readonly MetricSpec[];
  private readonly rule: EdgeRule;
  private readonly builder: SummaryBuilder | null;
  private readonly total: PartialStats;
  private readonly block: PartialStats;
  private pending = false;
  private readonly probRow: Float64Array;
  private readonly rowOut = new Float64Array(4);

  constructor(ids: readonly string[], classes: number, opts: EvaluateOptions = {}) {
    if (!Number.isInteger(classes) || classes < 1) throw new CalibraError('E_SHAPE', `need at least one class, got ${classes}`, { fix: 'pass an N×K matrix with K ≥ 1' });
    this.classes = classes;
    this.specs = parseMetricIds(ids);
    this.rule = opts.edges ?? 'right';
    const matrixIds = this.specs.filter((s) => s.need === 'matrix').map((s) => s.id);
    if (matrixIds.length > 0) {
      throw new CalibraError('E_OPTION', `${matrixIds.join(', ')} need the whole probability matrix and cannot be streamed`, { where: 'metrics', fix: 'evaluate in memory (raise --max-memory) or drop these ids' });
    }
    this.builder = opts.keepSamples === true || this.specs.some((s) => s.need === 'samples') ? new SummaryBuilder(classes) : null;
    const layout: PartialLayout = {
      classes, rule: this.rule, top: binsOf(this.specs, 'top-bins'), cond: binsOf(this.specs, 'cond-bins'),
      cls: binsOf(this.specs, 'class-bins'), caSce: binsOf(this.specs, 'ca-sce'),
    };
    // two partials (the running total and the current block): refuse, before allocating, per-class
    // statistics that the memory limit cannot hold (1 row × 3 000 000 classes took 4.4 GB)
    const bytes = 2 * partialBytes(layout);
    const limit = resolveMaxBytes(opts.maxBytes);
    if (bytes > limit) {
      const wide = this.specs.filter((s) => s.need === 'class-bins' || s.need === 'cond-bins' || s.need === 'ca-sce').map((s) => s.id);
      throw new CalibraError('E_TOO_LARGE', `${wide.join(', ')} over ${classes} classes need ${bytes} bytes of per-class bin statistics, over the memory limit of ${limit} bytes`, { where: 'metrics', fix: 'drop the class-wise ids, give them fewer bins (e.g. cw_ece@5), or raise the limit with CALIBRA_MAX_BYTES=8G if the machine has the memory' });
    }
    this.total = createPartial(layout);
    this.block = createPartial(layout);
    this.probRow = new Float64Array(classes);
  }

  /** Bytes of binned statistics an accumulator of these ids over `classes` classes holds (two partials). Cost O(ids). */
  static statisticsBytes(ids: readonly string[], classes: number): number {
    const specs = parseMetricIds(ids);
    return 2 * partialBytes({ classes, rule: 'right', top: binsOf(specs, 'top-bins'), cond: binsOf(specs, 'cond-bins'), cls: binsOf(specs, 'class-bins'), caSce: binsOf(specs, 'ca-sce') });
  }

  /** Rows seen so far. */
  get n(): number { return this.total.sums.n + this.block.sums.n; }

  /** Adds the pending block into the total (fixed order: blocks in row order). */
  private flush(): void {
    if (!this.pending) return;
    addPartial(this.total, this.block);
    zeroPartial(this.block);
    this.pending = false;
  }

  /** Forgets every row, keeping the buffers (a worker reuses one accumulator for all its blocks). */
  reset(): void {
    zeroPartial(this.total);
    zeroPartial(this.block);
    this.pending = false;
    this.builder?.clear();
  }

  /** Adds a chunk of probability rows with their labels (`labels[labelOffset + r]` for row r). Cost O(rows·K). */
  addProbs(probs: Matrix, labels: Int32Array, labelOffset = 0): this {
    this.checkChunk(probs, labels, labelOffset);
    for (let r = 0; r < probs.rows; r++) {
      const y = labels[labelOffset + r] as number;
      summarizeProbRow(probs.data, r * probs.cols, probs.cols, y, this.rowOut);
      this.addRow(probs.data, r * probs.cols, y, labelOffset + r);
      if ((labelOffset + r + 1) % BLOCK_ROWS === 0) this.flush();
    }
    return this;
  }

  /** Adds a chunk of logit rows: softmax (max subtracted) fused with every statistic; NLL by log-softmax. */
  addLogits(logits: Matrix, labels: Int32Array, labelOffset = 0): this {
    this.checkChunk(logits, labels, labelOffset);
    for (let r = 0; r < logits.rows; r++) {
      const y = labels[labelOffset + r] as number;
      summarizeLogitRow(logits.data, r * logits.cols, logits.cols, y, this.probRow, this.rowOut);
      this.addRow(this.probRow, 0, y, labelOffset + r);
      if ((labelOffset + r + 1) % BLOCK_ROWS === 0) this.flush();
    }
    return this;
  }

  private checkChunk(m: Matrix, labels: Int32Array, offset: number): void {
    if (m.cols !== this.classes) throw new CalibraError('E_SHAPE', `expected ${this.classes} columns, got ${m.cols}`, { fix: 'every chunk must have the same number of classes' });
    if (labels.length < offset + m.rows) throw new CalibraError('E_SHAPE', `${m.rows} rows but only ${labels.length - offset} labels`, { fix: 'give one label per row' });
  }

  private addRow(p: FloatArray, base: number, y: number, row: number): void {
    const K = this.classes;
    if (!Number.isInteger(y) || y < 0 || y >= K) throw new CalibraError('E_LABEL_RANGE', `label ${y} is outside 0..${K - 1}`, { where: `row ${row}`, fix: `labels must be class indices below ${K}` });
    const out = this.rowOut;
    const conf = out[0] as number;
    const pred = out[1] as number;
    const brier = out[2] as number;
    if (!Number.isFinite(brier) || !Number.isFinite(out[3] as number)) {
      throw new CalibraError('E_NON_FINITE', 'non-finite value in the input row', { where: `row ${row}`, fix: 'remove NaN/Infinity entries' });
    }
    const a = pred === y ? 1 : 0;
    const blk = this.block;
    const s = blk.sums;
    this.pending = true;
    s.n++; s.correct += a; s.brier += brier; s.brierTop += (conf - a) * (conf - a); s.nll += out[3] as number;
    if (this.builder !== null) { this.builder.reserve(1); this.builder.push(conf, pred, y, brier, out[3] as number); }
    for (const st of blk.top.values()) addToBins(st, 0, conf, a);
    for (const st of blk.cond.values()) addToBins(st, pred, conf, a);
    for (const st of blk.cls.values()) addClasswiseRow(st, p, base, y);
    for (const [b, st] of blk.caSce) caPaperSceAddRow(p, base, K, y, st, b);
  }

  /** Adds another accumulator's data (same ids, classes and options) into this one; exact. */
  merge(other: MetricAccumulator): this {
    if (other.classes !== this.classes || other.rule !== this.rule || other.specs.map((s) => s.id).join() !== this.specs.map((s) => s.id).join()) {
      throw new CalibraError('E_OPTION', 'cannot merge accumulators with different ids, classes or edge rules', { fix: 'build both with the same arguments' });
    }
    this.flush();
    other.flush();
    addPartial(this.total, other.total);
    if (this.builder !== null && other.builder !== null) this.builder.append(other.builder.view());
    return this;
  }

  /**
   * This accumulator's statistics as plain data (views of its buffers: post or copy them before adding
   * more rows). A worker evaluating one block of rows sends this; the main thread {@link absorb}s the
   * blocks in row order, which reproduces the single-thread sums bit for bit. Cost O(1).
   */
  snapshot(): AccumulatorSnapshot {
    this.flush();
    return { partial: this.total, samples: this.summary() };
  }

  /** Adds a {@link snapshot} (of the same ids, classes and rule) after the rows seen so far. Cost O(K·Σ bins + its rows). */
  absorb(snap: AccumulatorSnapshot): this {
    this.flush();
    addPartial(this.total, snap.partial);
    if (this.builder !== null && snap.samples !== null) this.builder.append(snap.samples);
    return this;
  }

  /** The per-sample summary (null when no `samples` id was asked for). */
  summary(): SampleSummary | null { return this.builder === null ? null : this.builder.view(); }

  /** The statistics in the form {@link computeMetrics} reads. */
  context(): MetricContext {
    this.flush();
    const t = this.total;
    return { classes: this.classes, sums: { ...t.sums }, summary: this.summary(), top: t.top, cond: t.cond, cls: t.cls, caSce: t.caSce, probs: null, labels: null };
  }

  /** Every requested id's value. Throws E_EMPTY when no rows were added. */
  result(): Record<string, number> { return computeMetrics(this.specs, this.context()); }
}

/**
 * Class-wise ECE with equal-mass bins (rank split per class, stable), mean over all K classes.
 * Needs the whole matrix. Cost O(K N log N).
 */
export function classwiseEqualMassError(probs: Matrix, labels: Int32Array, bins: number): number {
  const { rows, cols } = probs;
  const scores = new Float64Array(rows);
  const targets = new Uint8Array(rows);
  let total = 0;
  for (let k = 0; k < cols; k++) {
    for (let r = 0; r < rows; r++) { scores[r] = probs.data[r * cols + k] as number; targets[r] = labels[r] === k ? 1 : 0; }
    total += equalMassError(scores, targets, stableOrder(scores), bins, 'l1');
  }
  return total / cols;
}

/**
 * Values of `specs` from a context. Sorting for the rank-based ids is done once and shared. Cost: the
 * largest of the per-id costs in `docs/metrics.md`.
 */
export function computeMetrics(specs: readonly MetricSpec[], ctx: MetricContext): Record<string, number> {
  const n = ctx.sums.n;
  if (n === 0) throw new CalibraError('E_EMPTY', 'no samples to evaluate', { fix: 'give at least one row' });
  const out: Record<string, number> = {};
  let order: Int32Array | null = null;
  const sm = (): SampleSummary => ctx.summary as SampleSummary;
  const ord = (): Int32Array => (order ??= stableOrder(sm().confidences));
  let aurcValue: number | null = null;
  const aurcOnce = (): number => (aurcValue ??= aurc(sm().confidences, sm().correct, ord()));
  for (const s of specs) {
    const b = s.bins;
    let v: number;
    switch (s.base) {
      case 'accuracy': v = ctx.sums.correct / n; break;
      case 'confidence': { const c = sm().confidences; let t = 0; for (let i = 0; i < c.length; i++) t += c[i] as number; v = t / c.length; break; }
      case 'brier': v = ctx.sums.brier / n; break;
      case 'brier_top': case 'ca_paper.bs': v = ctx.sums.brierTop / n; break;
      case 'nll': v = ctx.sums.nll / n; break;
      case 'ece': v = groupError(ctx.top.get(b) as BinnedStats, 0, 'l1'); break;
      case 'mce': v = groupError(ctx.top.get(b) as BinnedStats, 0, 'max'); break;
      case 'rmsce': v = groupError(ctx.top.get(b) as BinnedStats, 0, 'l2'); break;
      case 'tl_ece': v = conditionalError(ctx.cond.get(b) as BinnedStats); break;
      case 'tl_ece_em': v = conditionalEqualMassError(sm().confidences, sm().correct, sm().predicted, ord(), b); break;
      case 'cw_ece': v = meanGroupError(ctx.cls.get(b) as BinnedStats, 'l1'); break;
      case 'ca_paper.sce': v = caPaperSceFinish(ctx.caSce.get(b) as Float64Array, n, ctx.classes, b); break;
      case 'cw_ece_em': v = classwiseEqualMassError(ctx.probs as Matrix, ctx.labels as Int32Array, b); break;
      case 'ece_em': v = equalMassError(sm().confidences, sm().correct, ord(), b, 'l1'); break;
      case 'mce_em': v = equalMassError(sm().confidences, sm().correct, ord(), b, 'max'); break;
      case 'dece': v = equalMassError(sm().confidences, sm().correct, ord(), b, 'l2-debiased'); break;
      case 'smece': v = smece(sm().confidences, sm().correct); break;
      case 'ks': v = ksError(sm().confidences, sm().correct, ord()); break;
      case 'mmce': v = mmce(sm().confidences, sm().correct, ord()); break;
      case 'kde_ece': v = kdeEce(sm().confidences, sm().correct); break;
      case 'auroc': case 'ca_paper.auc': v = auroc(sm().confidences, sm().correct, ord()); break;
      case 'aupr_success': v = averagePrecision(sm().confidences, sm().correct, ord(), 'correct'); break;
      case 'aupr_error': v = averagePrecision(sm().confidences, sm().correct, ord(), 'wrong'); break;
      case 'fpr95': v = fprAt95Tpr(sm().confidences, sm().correct, ord()); break;
      case 'aurc': v = aurcOnce(); break;
      case 'eaurc': v = eaurc(sm().confidences, sm().correct, ord(), aurcOnce()); break;
      case 'ca_paper.ece': v = caPaperEce(sm().confidences, sm().correct, b); break;
      case 'ca_paper.ace': v = caPaperAce(sm().confidences, sm().correct, b); break;
      case 'ca_paper.mce': v = caPaperMce(sm().confidences, sm().correct, b); break;
      case 'ca_paper.ks': v = caPaperKs(sm().confidences, sm().correct); break;
      case 'netcal.ace': v = netcalAce(sm().confidences, sm().correct, b); break;
      default: throw new CalibraError('E_OPTION', `metric ${s.id} has no implementation`, { where: 'metrics' });
    }
    out[s.id] = v;
  }
  return out;
}

function checkInputs(m: Matrix, labels: Int32Array, what: string): void {
  if (Array.isArray(m) || m === null || typeof m !== 'object' || !(m.data instanceof Float64Array || m.data instanceof Float32Array)) {
    throw new CalibraError('E_SHAPE', `${what} must be a matrix {data: Float64Array | Float32Array, rows, cols}${Array.isArray(m) ? ' (got a nested array)' : ''}`, { fix: 'use matrixFromRows(rows) for nested arrays' });
  }
  if (m.rows !== labels.length) throw new CalibraError('E_SHAPE', `${what} has ${m.rows} rows but there are ${labels.length} labels`, { fix: 'give one label per row' });
  if (m.rows === 0) throw new CalibraError('E_EMPTY', `${what} has no rows`, { fix: 'give at least one row' });
}

/**
 * Every id's value for a probability matrix (rows are used as given; the data layer checks they sum to 1).
 * @example
 * import { matrixFromRows } from '../math/matrix.js';
 * // fixture D1 of docs/metrics.md §0 (8 samples, 4 classes)
 * const probs = matrixFromRows([[0.71, 0.17, 0.09, 0.03], [0.63, 0.27, 0.07, 0.03], [0.23, 0.57, 0.13, 0.07],
 *   [0.07, 0.09, 0.83, 0.01], [0.31, 0.13, 0.43, 0.13], [0.01, 0.93, 0.03, 0.03], [0.47, 0.37, 0.09, 0.07],
 *   [0.11, 0.19, 0.67, 0.03]]);
 * evaluateMetrics(probs, Int32Array.of(0, 1, 1, 2, 0, 1, 1, 2), ['accuracy', 'ece@10']) // ~> {accuracy: 0.625, 'ece@10': 0.27}
 */
export function evaluateMetrics(probs: Matrix, labels: Int32Array, ids: readonly string[], opts: EvaluateOptions = {}): Record<string, number> {
  checkInputs(probs, labels, 'probabilities');
  const specs = parseMetricIds(ids);
  const streamable = specs.filter((s) => s.need !== 'matrix');
  const acc = new MetricAccumulator(streamable.map((s) => s.id), probs.cols, opts).addProbs(probs, labels);
  const ctx = { ...acc.context(), probs, labels };
  return computeMetrics(specs, ctx);
}

/**
 * Every id's value for a logits matrix: one fused pass computes the softmax and all statistics, and NLL uses
 * log-softmax (exact for large logits where ln(softmax) would underflow). The probability matrix is only
 * materialised when a `matrix` id (cw_ece_em) is asked for.
 */
export function evaluateLogits(logits: Matrix, labels: Int32Array, ids: readonly string[], opts: EvaluateOptions = {}): Record<string, number> {
  checkInputs(logits, labels, 'logits');
  const specs = parseMetricIds(ids);
  const streamable = specs.filter((s) => s.need !== 'matrix');
  const acc = new MetricAccumulator(streamable.map((s) => s.id), logits.cols, opts).addLogits(logits, labels);
  let probs: Matrix | null = null;
  if (streamable.length < specs.length) {
    const data = new Float64Array(logits.rows * logits.cols);
    const row = new Float64Array(logits.cols);
    const tmp = new Float64Array(4);
    for (let r = 0; r < logits.rows; r++) { summarizeLogitRow(logits.data, r * logits.cols, logits.cols, 0, row, tmp); data.set(row, r * logits.cols); }
    probs = { data, rows: logits.rows, cols: logits.cols };
  }
  return computeMetrics(specs, { ...acc.context(), probs, labels });
}
