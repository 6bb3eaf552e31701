/**
 * The whole evaluation as one SQL statement, for `calibra sql`: the cell and class-cell sums of
 * `query.ts` finished in SQL (the same formulas as calibra's binned core), the rank and equal-mass window
 * queries, the whole table (level 0) and every slice (level 1). The result is in long format, one row per
 * (level, slice key, metric): `level, <by columns>, metric, value`, plus `metric = 'n'` for the row count.
 *
 * Merging across partitions: every cell is (count, Σ confidence, Σ correct, Σ Brier, Σ top Brier, Σ NLL)
 * for one (slice, predicted class, bin); the cells of two partitions of the data add up exactly to the cells
 * of their union, which is what GROUP BY does on a cluster (partial aggregates per partition, then a
 * merge) and what calibra's streaming `MetricAccumulator` does with `mergeBinnedStats`.
 */
import { CalibraError } from '../errors.js';
import type { Dialect } from './dialect.js';
import type { TablePlan } from './plan.js';
import { classBinColumn, keyColumns, massMetricCtes, orderMetricCtes, rowCtes, topBinColumn, withClause, type TableQuerySource } from './query.js';
import { binLayers, type BinSpec } from './bins-sql.js';

const binsOf = (plan: TablePlan, need: string): number[] => [...new Set([...plan.cells, ...plan.classCells].filter((s) => s.need === need).map((s) => s.bins))];

/** The statement that computes `plan`'s ids on `src` in dialect `d` (no trailing semicolon). */
export function evaluationSql(d: Dialect, src: TableQuerySource, plan: TablePlan, rule: BinSpec['rule']): string {
  if (plan.fetched.length > 0) {
    throw new CalibraError('E_OPTION', `${plan.fetched.map((s) => s.id).join(', ')} are computed in memory by calibra, not in SQL`, { where: 'metrics', fix: 'drop them from --metrics (calibra evaluate --table computes them)' });
  }
  const keys = keyColumns(src);
  const levels = (keys.length > 0 ? [0, 1] : [0]) as Array<0 | 1>;
  const topBins = binsOf(plan, 'top-bins');
  const condBins = binsOf(plan, 'cond-bins');
  const clsBins = binsOf(plan, 'class-bins');
  const allBins = [...new Set([...topBins, ...condBins])];
  const ctes: Array<[string, string]> = [...rowCtes(d, src)];
  const specs: BinSpec[] = allBins.map((b) => ({ column: topBinColumn(b), bins: b, rule }));
  ctes.push(...binLayers(d, specs, '__c', '__r', '__rb'));
  const byPred = condBins.length > 0;
  const group = [...keys, ...(byPred ? ['__p'] : []), ...specs.map((s) => s.column)];
  ctes.push(['__cells', `SELECT ${[...group, 'COUNT(*) AS n', 'SUM(__c) AS sc', 'SUM(__a) AS sa', 'SUM(__brier) AS sbr', 'SUM((__c - __a) * (__c - __a)) AS sbt', 'SUM(__nll) AS snl'].join(', ')} FROM __rb${group.length > 0 ? ` GROUP BY ${group.join(', ')}` : ''}`]);
  const dd = (e: string): string => d.toDouble(e);
  const part = (cols: readonly string[]): string => (cols.length > 0 ? `PARTITION BY ${cols.join(', ')}` : '');
  const parts: string[] = [];
  const lvl = (level: 0 | 1): { sel: string; g: string; kc: string[] } => {
    const kc = level === 1 ? keys : [];
    return { sel: [`${level} AS __level`, ...keys.map((k) => (level === 1 ? k : `NULL AS ${k}`))].join(', '), g: kc.length > 0 ? ` GROUP BY ${kc.join(', ')}` : '', kc };
  };
  const metric = (sel: string, id: string, value: string, from: string, g: string): string => `SELECT ${sel}, ${d.str(id)} AS __metric, ${value} AS __value FROM ${from}${g}`;
  for (const level of levels) {
    const { sel, g, kc } = lvl(level);
    parts.push(metric(sel, 'n', dd('SUM(n)'), '__cells', g));
    for (const s of plan.cells.filter((x) => x.need === 'sums')) {
      const col = s.base === 'accuracy' ? 'sa' : s.base === 'brier' ? 'sbr' : s.base === 'nll' ? 'snl' : 'sbt';
      parts.push(metric(sel, s.id, `${dd(`SUM(${col})`)} / ${dd('SUM(n)')}`, '__cells', g));
    }
    for (const b of topBins) {
      const t = `__tb${level}_${b}`;
      const col = topBinColumn(b);
      // total: every row of the level, also those in no bin (edge rule guo)
      ctes.push([t, `SELECT ${[...kc, col, 'SUM(n) AS cnt', 'SUM(sc) AS sc', 'SUM(sa) AS sa', 'MAX(total) AS total'].join(', ')} FROM (SELECT *, SUM(n) OVER (${part(kc)}) AS total FROM __cells) AS __t GROUP BY ${[...kc, col].join(', ')}`]);
      const joined = t;
      const gap = `ABS(${dd('sa')} / ${dd('cnt')} - sc / ${dd('cnt')})`;
      for (const s of plan.cells.filter((x) => x.need === 'top-bins' && x.bins === b)) {
        const inBin = (e: string): string => `CASE WHEN ${col} >= 0 THEN ${e} ELSE ${d.num(0)} END`;
        const value = s.base === 'ece' ? `SUM(${inBin(`(${dd('cnt')} / ${dd('total')}) * ${gap}`)})` : s.base === 'mce' ? `MAX(${inBin(gap)})` : `SQRT(SUM(${inBin(`(${dd('cnt')} / ${dd('total')}) * ${gap} * ${gap}`)}))`;
        parts.push(metric(sel, s.id, value, joined, g));
      }
    }
    for (const b of condBins) {
      const t = `__cb${level}_${b}`;
      const col = topBinColumn(b);
      ctes.push([`${t}b`, `SELECT ${[...kc, '__p', col, 'SUM(n) AS cnt', 'SUM(sc) AS sc', 'SUM(sa) AS sa', 'MAX(total) AS total'].join(', ')} FROM (SELECT *, SUM(n) OVER (${part([...kc, '__p'])}) AS total FROM __cells) AS __t GROUP BY ${[...kc, '__p', col].join(', ')}`]);
      const gap = `ABS(${dd('sa')} / ${dd('cnt')} - sc / ${dd('cnt')})`;
      ctes.push([t, `SELECT ${[...kc, '__p', 'MAX(total) AS total', `SUM(CASE WHEN ${col} >= 0 THEN (${dd('cnt')} / ${dd('total')}) * ${gap} ELSE ${d.num(0)} END) AS e`].join(', ')} FROM ${t}b GROUP BY ${[...kc, '__p'].join(', ')}`]);
      for (const s of plan.cells.filter((x) => x.need === 'cond-bins' && x.bins === b)) {
        parts.push(metric(sel, s.id, `SUM(${dd('total')} * e) / ${dd('SUM(total)')}`, t, g));
      }
    }
  }
  if (clsBins.length > 0) {
    const inp = src.input;
    if (inp.kind === 'top') throw new Error('evaluationSql: class-wise ids need a list');
    const cspecs: BinSpec[] = clsBins.map((b) => ({ column: classBinColumn(b), bins: b, rule }));
    const score = inp.kind === 'probs' ? '__x' : '(EXP(__x - __m) * __inv)';
    ctes.push(['__e', `SELECT *, ${score} AS __s_k FROM ${d.explodeList('__r', '__rr', '__l', '__x', '__kk')} AS __ex`]);
    ctes.push(...binLayers(d, cspecs, '__s_k', '__e', '__eb'));
    const cg = [...keys, '__kk', ...cspecs.map((s) => s.column)];
    ctes.push(['__ccells', `SELECT ${[...cg, 'COUNT(*) AS n', 'SUM(__s_k) AS ss', 'SUM(CASE WHEN __kk = __y THEN 1 ELSE 0 END) AS st'].join(', ')} FROM __eb GROUP BY ${cg.join(', ')}`]);
    for (const level of levels) {
      const { sel, g, kc } = lvl(level);
      for (const b of clsBins) {
        const t = `__kb${level}_${b}`;
        const col = classBinColumn(b);
        ctes.push([`${t}b`, `SELECT ${[...kc, '__kk', col, 'SUM(n) AS cnt', 'SUM(ss) AS ss', 'SUM(st) AS st', 'MAX(total) AS total'].join(', ')} FROM (SELECT *, SUM(n) OVER (${part([...kc, '__kk'])}) AS total FROM __ccells) AS __t GROUP BY ${[...kc, '__kk', col].join(', ')}`]);
        const gap = `ABS(${dd('st')} / ${dd('cnt')} - ss / ${dd('cnt')})`;
        ctes.push([t, `SELECT ${[...kc, '__kk', `SUM(CASE WHEN ${col} >= 0 THEN (${dd('cnt')} / ${dd('total')}) * ${gap} ELSE ${d.num(0)} END) AS e`].join(', ')} FROM ${t}b GROUP BY ${[...kc, '__kk'].join(', ')}`]);
        for (const s of plan.classCells.filter((x) => x.bins === b)) parts.push(metric(sel, s.id, `SUM(e) / ${dd('COUNT(*)')}`, t, g));
      }
    }
  }
  const finals = ['SELECT * FROM __cell_metrics'];
  ctes.push(['__cell_metrics', parts.join('\nUNION ALL\n')]);
  if (plan.order.length > 0) { ctes.push(...orderMetricCtes(d, src, plan.order.map((s) => s.id))); finals.push('SELECT * FROM __order_metrics'); }
  if (plan.mass.length > 0) { ctes.push(...massMetricCtes(d, src, plan.mass)); finals.push('SELECT * FROM __mass_metrics'); }
  ctes.push(['__all', finals.join('\nUNION ALL\n')]);
  const out = ['__level AS level', ...src.by.map((c, i) => `__k${i} AS ${d.ident(c)}`), '__metric AS metric', '__value AS value'];
  return `${withClause(ctes)}SELECT ${out.join(', ')}\nFROM __all\nORDER BY level, ${[...keys, '__metric'].join(', ')}`;
}
