/**
 * The SQL of a table evaluation, for any {@link Dialect}. Every query starts from the same chain of CTEs:
 *
 * - `__src`: the table, with the row order `__ord` when the source has one;
 * - `__f`: the rows the user's `--where` keeps;
 * - `__in` → `__r`: per row, the slice keys `__k0..`, the label `__y`, the confidence `__c`, the predicted
 *   class `__p` (first index on ties), correctness `__a`, the Brier and NLL terms, all in float64 and computed
 *   with the same operations as calibra's in-memory pass (softmax with the max subtracted, NLL by
 *   log-softmax, `max(p_y, 1e-12)` for probabilities);
 * - bin columns by calibra's edge rules (`bins-sql.ts`).
 *
 * From them: `cells` (GROUP BY slice, predicted class, bin: count and sums — the mergeable per-bin states of
 * the streaming evaluator), `classCells` (the same per class k of p_k, for class-wise ECE), tie blocks of
 * confidence with window sums for the rank ids, a row-number window for the equal-mass ids, and the
 * (confidence, correct) pairs for the ids computed in memory.
 */
import type { BinSpec } from './bins-sql.js';
import { binLayers } from './bins-sql.js';
import type { Dialect } from './dialect.js';
import type { TableInputKind } from './plan.js';

/** Which columns hold what, and which rows to use. */
export interface TableQuerySource {
  /** A relation for the FROM clause (a quoted table name or a table function call). */
  readonly from: string;
  /** SQL for the row order of the source (in terms of its columns), or null when it has none. */
  readonly ordinal: string | null;
  /** SQL for the index of a row's file in a multi-file source (reported in errors), or absent. */
  readonly fileIndex?: string;
  /** The user's own predicate (`--where`), inserted as written, or null. */
  readonly where: string | null;
  readonly label: string;
  readonly input:
    | { readonly kind: 'top'; readonly confidence: string; readonly pred: string }
    | { readonly kind: 'probs' | 'logits'; readonly column: string; readonly scalar: boolean };
  readonly by: readonly string[];
}

/** Names of the slice key columns in every query's output: `__k0`, `__k1`, ... */
export const keyColumns = (src: TableQuerySource): string[] => src.by.map((_, i) => `__k${i}`);

/** The input kind. */
export const inputKind = (src: TableQuerySource): TableInputKind => src.input.kind;

const withClause = (ctes: ReadonlyArray<readonly [string, string]>): string => `WITH\n${ctes.map(([n, q]) => `${n} AS (\n  ${q}\n)`).join(',\n')}\n`;

/** `__src` and `__f`: the table with its row order, filtered by `--where`. */
export function sourceCtes(d: Dialect, src: TableQuerySource): Array<[string, string]> {
  const ctes: Array<[string, string]> = [];
  const extra = [...(src.ordinal === null ? [] : [`${src.ordinal} AS __ord`]), ...(src.fileIndex === undefined ? [] : [`${src.fileIndex} AS __fi`])];
  ctes.push(['__src', `SELECT *${extra.map((e) => `, ${e}`).join('')} FROM ${src.from}`]);
  ctes.push(['__f', src.where === null ? 'SELECT * FROM __src' : `SELECT * FROM __src WHERE (${src.where})`]);
  void d;
  return ctes;
}

/** The per-row CTEs ending in `__r` (see the file comment). `keepList` keeps the probability list (`__l`). */
export function rowCtes(d: Dialect, src: TableQuerySource): Array<[string, string]> {
  const ctes = sourceCtes(d, src);
  const keys = src.by.map((c, i) => `${d.ident(c)} AS __k${i}`);
  const ord = src.ordinal === null ? [] : ['__ord'];
  const base = [...keys, ...ord, `CAST(${d.ident(src.label)} AS ${d.bigint}) AS __y`];
  const one = d.num(1);
  const inp = src.input;
  if (inp.kind === 'top') {
    ctes.push(['__in', `SELECT ${[...base, `${d.toDouble(d.ident(inp.confidence))} AS __c`, `CAST(${d.ident(inp.pred)} AS ${d.bigint}) AS __p`].join(', ')} FROM __f`]);
    ctes.push(['__r', `SELECT *, CASE WHEN __p = __y THEN 1 ELSE 0 END AS __a, CAST(NULL AS ${d.double}) AS __brier, CAST(NULL AS ${d.double}) AS __nll FROM __in`]);
    return ctes;
  }
  const col = d.ident(inp.column);
  const list = !inp.scalar ? d.toDoubleList(col) : inp.kind === 'probs' ? d.pair(`${one} - ${d.toDouble(col)}`, d.toDouble(col)) : d.pair(d.num(0), d.toDouble(col));
  ctes.push(['__in', `SELECT ${[...base, `${list} AS __l`].join(', ')} FROM __f`]);
  const sq = (x: string, k: string, v: string): string => `CASE WHEN ${k} = __y THEN (${v} - ${one}) * (${v} - ${one}) ELSE ${v} * ${v} END`;
  if (inp.kind === 'probs') {
    ctes.push(['__r1', `SELECT *, ${d.listMax('__l')} AS __c FROM __in`]);
    ctes.push(['__r2', `SELECT *, ${d.listFirstIndex0('__l', '__c')} AS __p, ${d.listAt0('__l', '__y')} AS __py, ${d.listSum('__l', (x, k) => sq(x, k, x))} AS __brier FROM __r1`]);
    ctes.push(['__r', `SELECT *, CASE WHEN __p = __y THEN 1 ELSE 0 END AS __a, -LN(GREATEST(__py, ${d.num(1e-12)})) AS __nll FROM __r2`]);
    return ctes;
  }
  // logits: p_k = exp(z_k - max) * (1 / Σ exp(z_j - max)); the top probability is exp(0) * inv = inv
  ctes.push(['__r1', `SELECT *, ${d.listMax('__l')} AS __m FROM __in`]);
  ctes.push(['__r2', `SELECT *, ${d.listSum('__l', (x) => `EXP(${x} - __m)`)} AS __s, ${d.listFirstIndex0('__l', '__m')} AS __p, ${d.listAt0('__l', '__y')} AS __zy FROM __r1`]);
  ctes.push(['__r3', `SELECT *, ${one} / __s AS __inv FROM __r2`]);
  ctes.push(['__r', `SELECT *, __inv AS __c, CASE WHEN __p = __y THEN 1 ELSE 0 END AS __a, ${d.listSum('__l', (x, k) => sq(x, k, `(EXP(${x} - __m) * __inv)`))} AS __brier, LN(__s) + __m - __zy AS __nll FROM __r3`]);
  return ctes;
}

/** Bin column name of a top-label binning. */
export const topBinColumn = (bins: number): string => `__bt${bins}`;
/** Bin column name of a class-wise binning. */
export const classBinColumn = (bins: number): string => `__bk${bins}`;

/** Options of the cell query. */
export interface CellOptions {
  /** Bin counts of the top-label ids (ece, mce, rmsce, tl_ece). */
  readonly bins: readonly number[];
  readonly rule: BinSpec['rule'];
  /** Group by the predicted class too (tl_ece). */
  readonly byPred: boolean;
}

/**
 * One row per (slice, [predicted class], bins...) cell: `n`, and the sums `sc` (confidence), `sa`
 * (correct), `sbr` (Brier terms), `sbt` (top-label Brier terms), `snl` (NLL terms). Two bin counts refine
 * each other into at most B₁ + B₂ − 1 intervals, so the cells stay few; every statistic of a slice, and of
 * the whole table, is a sum of cells.
 */
export function cellsQuery(d: Dialect, src: TableQuerySource, o: CellOptions): string {
  const specs: BinSpec[] = o.bins.map((b) => ({ column: topBinColumn(b), bins: b, rule: o.rule }));
  const ctes = [...rowCtes(d, src), ...binLayers(d, specs, '__c', '__r', '__rb')];
  const group = [...keyColumns(src), ...(o.byPred ? ['__p'] : []), ...specs.map((s) => s.column)];
  const sums = ['COUNT(*) AS n', 'SUM(__c) AS sc', 'SUM(__a) AS sa', 'SUM(__brier) AS sbr', 'SUM((__c - __a) * (__c - __a)) AS sbt', 'SUM(__nll) AS snl'];
  return `${withClause(ctes)}SELECT ${[...group, ...sums].join(', ')}\nFROM __rb${group.length > 0 ? `\nGROUP BY ${group.join(', ')}` : ''}`;
}

/**
 * Class-wise cells: one row per (slice, class k, bins of p_k...): `n` rows, `ss` = Σ p_k, `st` = Σ 1[y = k].
 * The probabilities of logits are recomputed per element as exp(z_k − max)·inv, as in memory.
 */
export function classCellsQuery(d: Dialect, src: TableQuerySource, bins: readonly number[], rule: BinSpec['rule']): string {
  const inp = src.input;
  if (inp.kind === 'top') throw new Error('classCellsQuery: needs a probability or logit list');
  const specs: BinSpec[] = bins.map((b) => ({ column: classBinColumn(b), bins: b, rule }));
  const score = inp.kind === 'probs' ? '__x' : '(EXP(__x - __m) * __inv)';
  const ctes: Array<[string, string]> = [...rowCtes(d, src)];
  ctes.push(['__e', `SELECT *, ${score} AS __s_k FROM ${d.explodeList('__r', '__rr', '__l', '__x', '__kk')} AS __ex`]);
  ctes.push(...binLayers(d, specs, '__s_k', '__e', '__eb'));
  const group = [...keyColumns(src), '__kk', ...specs.map((s) => s.column)];
  return `${withClause(ctes)}SELECT ${[...group, 'COUNT(*) AS n', 'SUM(__s_k) AS ss', 'SUM(CASE WHEN __kk = __y THEN 1 ELSE 0 END) AS st'].join(', ')}\nFROM __eb\nGROUP BY ${group.join(', ')}`;
}

/** The `(level, keys)` columns of a long-format metric row: level 0 = whole table (keys NULL), 1 = slice. */
function levelSelect(d: Dialect, src: TableQuerySource, level: 0 | 1): string {
  const keys = keyColumns(src).map((k) => (level === 1 ? k : `NULL AS ${k}`));
  return [`${level} AS __level`, ...keys].join(', ');
}

/**
 * Rank ids from tie blocks of confidence, per level: for each block (distinct confidence) m rows and p
 * correct; window sums over the blocks in ascending confidence give every rank statistic in closed form,
 * matching `ranking.ts` (average ranks for AUROC, one point per distinct score for AUPR and FPR@95, KS at
 * the ends of tie blocks, AURC with a tie block's errors spread evenly). Long format: (__level, keys,
 * __metric, __value).
 */
export function orderMetricCtes(d: Dialect, src: TableQuerySource, ids: readonly string[]): Array<[string, string]> {
  const keys = keyColumns(src);
  const ctes: Array<[string, string]> = [];
  ctes.push(['__blk1', `SELECT ${[...keys, '__c', `CAST(COUNT(*) AS ${d.bigint}) AS m`, `CAST(SUM(__a) AS ${d.bigint}) AS p`].join(', ')} FROM __r GROUP BY ${[...keys, '__c'].join(', ')}`]);
  ctes.push(['__blk0', `SELECT __c, CAST(SUM(m) AS ${d.bigint}) AS m, CAST(SUM(p) AS ${d.bigint}) AS p FROM __blk1 GROUP BY __c`]);
  const parts: string[] = [];
  for (const level of (keys.length > 0 ? [0, 1] : [0]) as Array<0 | 1>) {
    const part = level === 1 ? keys : [];
    const over = (order: string): string => `OVER (${part.length > 0 ? `PARTITION BY ${part.join(', ')} ` : ''}ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
    const tot = (e: string): string => `SUM(${e}) OVER (${part.length > 0 ? `PARTITION BY ${part.join(', ')}` : ''})`;
    const w = `__w${level}`;
    const from = level === 1 ? '__blk1' : '__blk0';
    const kcols = level === 1 ? keys : [];
    // cm, cp: rows and correct rows with confidence <= c (inclusive); n, pos: the totals of the level
    ctes.push([w, `SELECT ${[...kcols, '__c', 'm', 'p', `SUM(m) ${over('__c')} AS cm`, `SUM(p) ${over('__c')} AS cp`, `SUM(${d.toDouble('m')} * __c - p) ${over('__c')} AS cd`, `${tot('m')} AS n`, `${tot('p')} AS pos`].join(', ')} FROM ${from}`]);
    const dd = (e: string): string => d.toDouble(e);
    const ex = `__x${level}`;
    // per block: descending position values for AUPR/FPR/AURC
    ctes.push([ex, `SELECT ${w}.*, n - pos AS neg, n - (cm - m) AS seen_desc, pos - (cp - p) AS tp_desc, cm - cp AS wrong_asc, m - p AS wrong FROM ${w}`]);
    const g = kcols.length > 0 ? ` GROUP BY ${kcols.join(', ')}` : '';
    const sel = levelSelect(d, src, level);
    const want = new Set(ids);
    if (want.has('auroc') || want.has('ca_paper.auc')) {
      const rankSum = `SUM(${dd('p')} * (${dd('cm - m + 1 + cm')} / ${d.num(2)}))`;
      const value = `CASE WHEN MAX(pos) = 0 OR MAX(neg) = 0 THEN CAST(NULL AS ${d.double}) ELSE (${rankSum} - ${dd('MAX(pos)')} * ${dd('MAX(pos) + 1')} / ${d.num(2)}) / (${dd('MAX(pos)')} * ${dd('MAX(neg)')}) END`;
      for (const id of ['auroc', 'ca_paper.auc']) if (want.has(id)) parts.push(`SELECT ${sel}, ${d.str(id)} AS __metric, ${value} AS __value FROM ${ex}${g}`);
    }
    if (want.has('ks')) parts.push(`SELECT ${sel}, ${d.str('ks')} AS __metric, MAX(ABS(cd)) / ${dd('MAX(n)')} AS __value FROM ${ex}${g}`);
    if (want.has('aupr_success')) {
      parts.push(`SELECT ${sel}, ${d.str('aupr_success')} AS __metric, CASE WHEN MAX(pos) = 0 THEN CAST(NULL AS ${d.double}) ELSE SUM(CASE WHEN p > 0 THEN (${dd('p')} / ${dd('pos')}) * (${dd('tp_desc')} / ${dd('seen_desc')}) ELSE ${d.num(0)} END) END AS __value FROM ${ex}${g}`);
    }
    if (want.has('aupr_error')) {
      parts.push(`SELECT ${sel}, ${d.str('aupr_error')} AS __metric, CASE WHEN MAX(neg) = 0 THEN CAST(NULL AS ${d.double}) ELSE SUM(CASE WHEN wrong > 0 THEN (${dd('wrong')} / ${dd('neg')}) * (${dd('wrong_asc')} / ${dd('cm')}) ELSE ${d.num(0)} END) END AS __value FROM ${ex}${g}`);
    }
    if (want.has('fpr95')) {
      const f = `__f${level}`;
      const dist = `ABS(${dd('tp_desc')} / ${dd('pos')} - ${d.num(0.95)})`;
      ctes.push([f, `SELECT ${[...kcols, 'pos', 'neg', `${dist} AS dist`, `${dd('seen_desc - tp_desc')} / ${dd('neg')} AS fpr`, `ROW_NUMBER() OVER (${kcols.length > 0 ? `PARTITION BY ${kcols.join(', ')} ` : ''}ORDER BY ${dist}, __c DESC) AS rk`].join(', ')} FROM ${ex} WHERE pos > 0 AND neg > 0`]);
      const fromAll = kcols.length > 0 ? `(SELECT DISTINCT ${kcols.join(', ')}, pos, neg FROM ${ex}) AS __a${level} LEFT JOIN (SELECT * FROM ${f} WHERE rk = 1) AS __b${level} ON ${kcols.map((k) => `__a${level}.${k} IS NOT DISTINCT FROM __b${level}.${k}`).join(' AND ')}` : `(SELECT DISTINCT pos, neg FROM ${ex}) AS __a${level} LEFT JOIN (SELECT * FROM ${f} WHERE rk = 1) AS __b${level} ON TRUE`;
      const selA = [`${level} AS __level`, ...keys.map((k) => (level === 1 ? `__a${level}.${k} AS ${k}` : `NULL AS ${k}`))].join(', ');
      parts.push(`SELECT ${selA}, ${d.str('fpr95')} AS __metric, CASE WHEN __a${level}.pos = 0 OR __a${level}.neg = 0 THEN CAST(NULL AS ${d.double}) WHEN __b${level}.dist < ${d.num(0.95)} THEN __b${level}.fpr ELSE ${d.num(0)} END AS __value FROM ${fromAll}`);
    }
    if (want.has('aurc') || want.has('eaurc')) {
      const a = `__au${level}`;
      // i = rows with larger confidence, E = their errors, e = errors of the block; term j of the block
      ctes.push([a, `SELECT ${[...kcols, 'n', 'neg', `SUM((${dd('neg - wrong_asc')} + ${dd('wrong')} * ${dd('__j')} / ${dd('m')}) / ${dd('n - cm + __j')}) AS s`].join(', ')} FROM ${d.explodeRange(ex, '__xx', 'm', '__j')} AS __xr GROUP BY ${[...kcols, 'n', 'neg'].join(', ')}`]);
      const aurc = `(s / ${dd('n')})`;
      const rate = `(${dd('neg')} / ${dd('n')})`;
      const optimal = `CASE WHEN ${rate} >= ${d.num(1)} THEN ${d.num(1)} ELSE ${rate} + (${d.num(1)} - ${rate}) * LN(GREATEST(${d.num(1)} - ${rate}, ${d.num(1e-300)})) END`;
      if (want.has('aurc')) parts.push(`SELECT ${sel}, ${d.str('aurc')} AS __metric, ${aurc} AS __value FROM ${a}`);
      if (want.has('eaurc')) parts.push(`SELECT ${sel}, ${d.str('eaurc')} AS __metric, ${aurc} - (${optimal}) AS __value FROM ${a}`);
    }
  }
  ctes.push(['__order_metrics', parts.join('\nUNION ALL\n')]);
  return ctes;
}

/** Equal-mass bin column name. */
const massBinColumn = (bins: number): string => `__bm${bins}`;

/**
 * Equal-mass ids (ece_em, mce_em, dece), per level: ROW_NUMBER over (confidence, row order) — the stable
 * sort of `stableOrder` — split into B groups like numpy's array_split (the first n mod B groups one
 * larger), then per-bin sums and the combination of `equalMassError`. Long format as {@link orderMetricCtes}.
 */
export function massMetricCtes(d: Dialect, src: TableQuerySource, specs: ReadonlyArray<{ id: string; base: string; bins: number }>): Array<[string, string]> {
  const keys = keyColumns(src);
  const ctes: Array<[string, string]> = [];
  const parts: string[] = [];
  const binCounts = [...new Set(specs.map((s) => s.bins))];
  const tie = src.ordinal === null ? '' : ', __ord';
  const dd = (e: string): string => d.toDouble(e);
  for (const level of (keys.length > 0 ? [0, 1] : [0]) as Array<0 | 1>) {
    const kcols = level === 1 ? keys : [];
    const part = kcols.length > 0 ? `PARTITION BY ${kcols.join(', ')} ` : '';
    const rn = `__rn${level}`;
    ctes.push([rn, `SELECT ${[...kcols, '__c', '__a', `ROW_NUMBER() OVER (${part}ORDER BY __c${tie}) - 1 AS r`, `COUNT(*) OVER (${part.trim() === '' ? '' : part.trim()}) AS n`].join(', ')} FROM __r`]);
    for (const b of binCounts) {
      const q = `(n - MOD(n, ${b})) / ${b}`; // exact integer quotient
      const rem = `MOD(n, ${b})`;
      const big = `${rem} * (${q} + 1)`;
      const binExpr = `CASE WHEN r < ${big} THEN (r - MOD(r, ${q} + 1)) / (${q} + 1) ELSE ${rem} + ((r - ${big}) - MOD(r - ${big}, NULLIF(${q}, 0))) / NULLIF(${q}, 0) END`;
      const mb = `__mb${level}_${b}`;
      ctes.push([mb, `SELECT ${[...kcols, `${binExpr} AS ${massBinColumn(b)}`, 'COUNT(*) AS size', 'SUM(__c) AS sc', 'SUM(__a) AS sa', 'MAX(n) AS n'].join(', ')} FROM ${rn} GROUP BY ${[...kcols, massBinColumn(b)].join(', ')}`]);
      const sel = levelSelect(d, src, level);
      const g = kcols.length > 0 ? ` GROUP BY ${kcols.join(', ')}` : '';
      const gap = `ABS(${dd('sa')} / ${dd('size')} - sc / ${dd('size')})`;
      for (const s of specs.filter((x) => x.bins === b)) {
        let value: string;
        if (s.base === 'ece_em') value = `SUM((${dd('size')} / ${dd('n')}) * ${gap})`;
        else if (s.base === 'mce_em') value = `MAX(${gap})`;
        else {
          const acc = `(${dd('sa')} / ${dd('size')})`;
          value = `SQRT(GREATEST(SUM(CASE WHEN size < 2 THEN ${d.num(0)} ELSE (${dd('size')} / ${dd('n')}) * (${gap} * ${gap} - (${acc} * (${d.num(1)} - ${acc})) / ${dd('size - 1')}) END), ${d.num(0)}))`;
        }
        parts.push(`SELECT ${sel}, ${d.str(s.id)} AS __metric, ${value} AS __value FROM ${mb}${g}`);
      }
    }
  }
  ctes.push(['__mass_metrics', parts.join('\nUNION ALL\n')]);
  return ctes;
}

/** A long-format query (__level, keys, __metric, __value) over the row CTEs plus `extra`, selecting `final`. */
export function longQuery(d: Dialect, src: TableQuerySource, extra: ReadonlyArray<readonly [string, string]>, final: string): string {
  return `${withClause([...rowCtes(d, src), ...extra])}SELECT * FROM ${final}`;
}

/** The (slice keys, confidence, correct) pairs in row order, for the ids computed in memory. */
export function pairsQuery(d: Dialect, src: TableQuerySource): string {
  const keys = keyColumns(src);
  return `${withClause(rowCtes(d, src))}SELECT ${[...keys, '__c', '__a'].join(', ')} FROM __r${src.ordinal === null ? '' : ' ORDER BY __ord'}`;
}

export { withClause };
