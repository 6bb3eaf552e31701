/**
 * `calibra evaluate --table`: metric ids over a table of predictions, for the whole table and per slice,
 * computed inside the embedded DuckDB. Binned and summed ids come back as per-cell sums and are finished
 * by calibra's own binned core (`computeMetrics` on the same mergeable states the streaming evaluator
 * keeps: a slice's statistics are the sum of its cells, the table's the sum of its slices'); rank and
 * equal-mass ids are window queries finished in SQL; the kernel ids are computed in memory from the
 * fetched (confidence, correct) pairs. See docs/tables.md.
 */
import { CalibraError } from '../errors.js';
import { binRecords, createBinnedStats, type BinnedStats, type BinRecord, type EdgeRule } from '../metrics/binning.js';
import { computeMetrics, type MetricContext } from '../metrics/evaluate.js';
import type { MetricSpec } from '../metrics/ids.js';
import type { SampleSummary } from '../metrics/summary.js';
import { checkColumns, checkRows, describeColumns, runChecked } from './check.js';
import { duckdb as d } from './dialect.js';
import { openEngine, type TableEngine, type TableValue } from './engine.js';
import { planTableMetrics, type TablePlan } from './plan.js';
import { cellsQuery, classBinColumn, classCellsQuery, keyColumns, longQuery, massMetricCtes, orderMetricCtes, pairsQuery, topBinColumn, type TableQuerySource } from './query.js';
import { resolveSource, type ResolvedSource } from './source.js';

/** What to evaluate. */
export interface TableEvaluateOptions {
  /** A file or glob (`--table`). */
  readonly table: string;
  /** Table of a DuckDB database file (`--db-table`). */
  readonly dbTable?: string;
  readonly label: string;
  readonly input: { readonly kind: 'top'; readonly confidence: string; readonly pred: string } | { readonly kind: 'probs' | 'logits'; readonly column: string };
  readonly by: readonly string[];
  readonly where: string | null;
  /** Metric ids (a preset's and the user's). */
  readonly ids: readonly string[];
  /** The ids the user named (an id they named that the input cannot give is an error; a preset's is dropped). */
  readonly explicit: ReadonlySet<string>;
  readonly edges: EdgeRule;
  readonly threads?: number;
  /** DuckDB's memory limit, and the bound on the pairs fetched for the in-memory ids (MB). */
  readonly memoryMb: number;
  /**
   * Equal-width bins of a top-label reliability diagram per slice and for the whole table (`calibra report
   * --table`): the same pushed-down per-bin sums as `ece@B`, returned as `bins`. Absent: no diagram bins.
   */
  readonly diagramBins?: number;
}

/** One slice's result. */
export interface SliceMetrics {
  /** Slice key: `--by` column → value. */
  readonly key: Record<string, TableValue>;
  readonly n: number;
  readonly metrics: Record<string, number>;
  /** Top-label reliability bins (`diagramBins` equal-width bins), when asked for. */
  readonly bins?: BinRecord[];
}

/** The result of a table evaluation. */
export interface TableEvaluation {
  readonly source: string;
  readonly n: number;
  readonly classes: number;
  readonly ids: readonly string[];
  readonly metrics: Record<string, number>;
  /** Top-label reliability bins of the whole table (`diagramBins` equal-width bins), when asked for. */
  readonly bins?: BinRecord[];
  /** Per slice (sorted by key), or null without `--by`. */
  readonly slices: SliceMetrics[] | null;
  /** Preset ids left out because the input cannot give them. */
  readonly dropped: readonly string[];
}

/** Statistics of one slice (or of the whole table), filled cell by cell. */
interface SliceState {
  readonly keyValues: TableValue[];
  readonly sums: { n: number; correct: number; brier: number; brierTop: number; nll: number };
  readonly top: Map<number, BinnedStats>;
  readonly cond: Map<number, BinnedStats>;
  readonly cls: Map<number, BinnedStats>;
  readonly sql: Record<string, number>;
  conf: Float64Array;
  correct: Uint8Array;
  size: number;
}

const keyOf = (values: readonly TableValue[]): string => JSON.stringify(values);

/** Adds one cell (count and sums for one bin) to binned statistics. */
function addCell(st: BinnedStats, g: number, bin: number, n: number, sumScore: number, sumTarget: number): void {
  st.total[g] = (st.total[g] as number) + n;
  if (bin < 0) return;
  const k = g * st.bins + bin;
  st.count[k] = (st.count[k] as number) + n;
  st.sumScore[k] = (st.sumScore[k] as number) + sumScore;
  st.sumTarget[k] = (st.sumTarget[k] as number) + sumTarget;
}

const binsOf = (specs: readonly MetricSpec[], need: string): number[] => [...new Set(specs.filter((s) => s.need === need).map((s) => s.bins))];

/**
 * Evaluates `opts.ids` on the table. Memory: DuckDB's limit plus O(slices · K · B) in calibra, plus 18
 * bytes a row when an id computed in memory (smece, mmce, kde_ece, ca_paper.*) is asked for.
 */
export async function evaluateTable(opts: TableEvaluateOptions): Promise<TableEvaluation> {
  const engine = await openEngine({ memoryMb: opts.memoryMb, ...(opts.threads !== undefined ? { threads: opts.threads } : {}) });
  try {
    return await evaluateWith(engine, opts);
  } finally {
    engine.close();
  }
}

/** The query source of `opts` on a resolved table (types checked; a scalar probability/logit column is binary). */
export async function prepareTable(engine: TableEngine, opts: Pick<TableEvaluateOptions, 'table' | 'dbTable' | 'label' | 'input' | 'by' | 'where'>): Promise<{ src: ResolvedSource; q: TableQuerySource }> {
  const src = await resolveSource(engine, opts.table, opts.dbTable);
  const cols = await describeColumns(engine, src);
  const base = { from: src.from, ordinal: src.ordinal, fileIndex: src.fileIndex, where: opts.where, label: opts.label, by: opts.by };
  const { scalar } = checkColumns(cols, src, { ...base, input: opts.input });
  const q: TableQuerySource = { ...base, input: opts.input.kind === 'top' ? opts.input : { ...opts.input, scalar } };
  return { src, q };
}

async function evaluateWith(engine: TableEngine, opts: TableEvaluateOptions): Promise<TableEvaluation> {
  const plan = planTableMetrics(opts.ids, opts.explicit, opts.input.kind);
  const { src, q } = await prepareTable(engine, opts);
  const shape = await checkRows(engine, src, q);
  const K = shape.classes;
  if (plan.fetched.length > 0 && shape.rows * 18 > opts.memoryMb * 1024 * 1024) {
    throw new CalibraError('E_OPTION', `${plan.fetched.map((s) => s.id).join(', ')} need every confidence in memory (${shape.rows} rows, ${Math.ceil((shape.rows * 18) / 1048576)} MB) but --max-memory is ${opts.memoryMb} MB`, { source: src.spec, fix: 'drop these ids (e.g. --metrics ece,mce,rmsce,tl_ece,ece_em,ks,auroc,brier_top,accuracy), narrow the rows with --where, or raise --max-memory' });
  }
  const slices = new Map<string, SliceState>();
  const topBins = [...new Set([...binsOf(plan.cells, 'top-bins'), ...(opts.diagramBins !== undefined ? [opts.diagramBins] : [])])];
  const condBins = binsOf(plan.cells, 'cond-bins');
  const clsBins = binsOf(plan.classCells, 'class-bins');
  const nk = keyColumns(q).length;
  const state = (values: TableValue[]): SliceState => {
    const k = keyOf(values);
    let s = slices.get(k);
    if (s === undefined) {
      s = { keyValues: values, sums: { n: 0, correct: 0, brier: 0, brierTop: 0, nll: 0 }, top: new Map(), cond: new Map(), cls: new Map(), sql: {}, conf: new Float64Array(0), correct: new Uint8Array(0), size: 0 };
      for (const b of topBins) s.top.set(b, createBinnedStats(b, 1, opts.edges));
      for (const b of condBins) s.cond.set(b, createBinnedStats(b, K, opts.edges));
      for (const b of clsBins) s.cls.set(b, createBinnedStats(b, K, opts.edges));
      slices.set(k, s);
    }
    return s;
  };
  const overall = state([]);
  const targets = (row: Record<string, TableValue>): SliceState[] => (nk === 0 ? [overall] : [overall, state(keyColumns(q).map((k) => row[k] ?? null))]);

  // 1. cells: sums and top-label bins (always: they give n per slice)
  const allBins = [...new Set([...topBins, ...condBins])];
  const cells = await runChecked(engine, src, cellsQuery(d, q, { bins: allBins, rule: opts.edges, byPred: condBins.length > 0 }), q.where);
  for (const row of cells) {
    const n = Number(row['n']);
    const sc = Number(row['sc']); const sa = Number(row['sa']);
    for (const s of targets(row)) {
      const u = s.sums;
      u.n += n; u.correct += sa; u.brier += Number(row['sbr']); u.brierTop += Number(row['sbt']); u.nll += Number(row['snl']);
      for (const b of topBins) addCell(s.top.get(b) as BinnedStats, 0, Number(row[topBinColumn(b)]), n, sc, sa);
      for (const b of condBins) addCell(s.cond.get(b) as BinnedStats, Number(row['__p']), Number(row[topBinColumn(b)]), n, sc, sa);
    }
  }
  // 2. class-wise cells
  if (clsBins.length > 0) {
    for (const row of await runChecked(engine, src, classCellsQuery(d, q, clsBins, opts.edges), q.where)) {
      const n = Number(row['n']); const ss = Number(row['ss']); const st = Number(row['st']); const k = Number(row['__kk']);
      for (const s of targets(row)) for (const b of clsBins) addCell(s.cls.get(b) as BinnedStats, k, Number(row[classBinColumn(b)]), n, ss, st);
    }
  }
  // 3. rank and equal-mass ids, finished in SQL
  await sqlMetrics(engine, src, q, plan, slices, nk);
  // 4. (confidence, correct) pairs for the ids computed in memory
  if (plan.fetched.length > 0) await fetchPairs(engine, src, q, overall, state, nk);

  const memSpecs = [...plan.cells, ...plan.classCells, ...plan.fetched];
  const ids = plan.specs.map((s) => s.id);
  const finish = (s: SliceState): Record<string, number> => {
    const summary: SampleSummary | null = plan.fetched.length > 0 ? { n: s.size, classes: K, confidences: s.conf.subarray(0, s.size), correct: s.correct.subarray(0, s.size), predicted: new Int32Array(0), labels: new Int32Array(0), brierTerms: new Float64Array(0), nllTerms: new Float64Array(0) } : null;
    const ctx: MetricContext = { classes: K, sums: s.sums, summary, top: s.top, cond: s.cond, cls: s.cls, caSce: new Map(), probs: null, labels: null };
    const mem = memSpecs.length > 0 ? computeMetrics(memSpecs, ctx) : {};
    const out: Record<string, number> = {};
    for (const id of ids) out[id] = mem[id] ?? s.sql[id] ?? Number.NaN;
    return out;
  };
  const diagram = (s: SliceState): { bins?: BinRecord[] } => (opts.diagramBins !== undefined ? { bins: binRecords(s.top.get(opts.diagramBins) as BinnedStats) } : {});
  let sliceList: SliceMetrics[] | null = null;
  if (nk > 0) {
    sliceList = [...slices.values()].filter((s) => s !== overall).sort((a, b) => compareKeys(a.keyValues, b.keyValues))
      .map((s) => ({ key: Object.fromEntries(opts.by.map((c, i) => [c, s.keyValues[i] ?? null])), n: s.sums.n, metrics: finish(s), ...diagram(s) }));
  }
  return { source: src.spec, n: overall.sums.n, classes: K, ids, metrics: finish(overall), ...diagram(overall), slices: sliceList, dropped: plan.dropped };
}

/** Orders slice keys: numbers and strings ascending, NULL last. */
function compareKeys(a: readonly TableValue[], b: readonly TableValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? null; const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    const c = String(x).localeCompare(String(y));
    if (c !== 0) return c;
  }
  return 0;
}

async function sqlMetrics(engine: TableEngine, src: ResolvedSource, q: TableQuerySource, plan: TablePlan, slices: Map<string, SliceState>, nk: number): Promise<void> {
  const extra: Array<[string, string]> = [];
  const finals: string[] = [];
  if (plan.order.length > 0) { extra.push(...orderMetricCtes(d, q, plan.order.map((s) => s.id))); finals.push('SELECT * FROM __order_metrics'); }
  if (plan.mass.length > 0) { extra.push(...massMetricCtes(d, q, plan.mass)); finals.push('SELECT * FROM __mass_metrics'); }
  if (finals.length === 0) return;
  extra.push(['__metrics', finals.join('\nUNION ALL\n')]);
  for (const row of await runChecked(engine, src, longQuery(d, q, extra, '__metrics'), q.where)) {
    const level = Number(row['__level']);
    const values = level === 0 ? [] : Array.from({ length: nk }, (_, i) => row[`__k${i}`] ?? null);
    const s = slices.get(keyOf(values));
    if (s === undefined) continue;
    const v = row['__value'];
    s.sql[String(row['__metric'])] = typeof v === 'number' ? v : Number.NaN;
  }
}

async function fetchPairs(engine: TableEngine, src: ResolvedSource, q: TableQuerySource, overall: SliceState, state: (v: TableValue[]) => SliceState, nk: number): Promise<void> {
  const push = (s: SliceState, c: number, a: number): void => {
    if (s.size === s.conf.length) {
      const cap = Math.max(1024, s.conf.length * 2);
      const conf = new Float64Array(cap); conf.set(s.conf); s.conf = conf;
      const cor = new Uint8Array(cap); cor.set(s.correct); s.correct = cor;
    }
    s.conf[s.size] = c; s.correct[s.size] = a; s.size++;
  };
  try {
    await engine.stream(pairsQuery(d, q), (cols, rows) => {
      const cc = cols[nk] as TableValue[]; const aa = cols[nk + 1] as TableValue[];
      for (let r = 0; r < rows; r++) {
        const c = Number(cc[r]); const a = Number(aa[r]);
        push(overall, c, a);
        if (nk > 0) push(state(Array.from({ length: nk }, (_, i) => (cols[i] as TableValue[])[r] ?? null)), c, a);
      }
    });
  } catch (e) {
    if (e instanceof CalibraError) throw e;
    throw new CalibraError('E_FORMAT', `the engine could not read the table: ${(e as Error).message.split('\n')[0] ?? ''}`, { source: src.spec });
  }
}
