/**
 * calibra's bin-edge rules (docs/metrics.md, src/metrics/binning.ts) as SQL expressions. The bin of a score
 * s among B equal-width bins is first guessed as clamp(floor(s·B), 0, B − 1) and then moved at most one bin
 * down and one bin up by comparing s with the edges themselves, exactly as `equalWidthBin` does, so a
 * score that lies exactly on an edge, or one ulp beside it, lands in the same bin as in memory. Edges are
 * `b / B` by division (or numpy's linspace `b · (1/B)` for the CA paper's ids); every number is float64.
 */
import type { Dialect } from './dialect.js';

/**
 * One binning of a score column:
 * - `right`: [0, 1/B], then (lo, hi] (calibra's default); `guo`: (lo, hi] everywhere, a score of 0 in no
 *   bin (-1); `left`: [lo, hi), last bin [lo, 1].
 */
export interface BinSpec {
  /** Column name of the bin index (an internal name such as `__bin_t15`). */
  readonly column: string;
  readonly bins: number;
  readonly rule: 'right' | 'guo' | 'left';
}

/** The edge b / B of `bins` bins (b an integer SQL expression), by division in float64. */
function edge(d: Dialect, b: string, bins: number): string {
  return `(${d.toDouble(b)} / ${d.num(bins)})`;
}

/**
 * CTE bodies that add the bin columns of `specs` for the score column `score` of `from`: returns
 * `[name, sql]` pairs to put in a WITH clause, in order; the last one's name is `out`.
 */
export function binLayers(d: Dialect, specs: readonly BinSpec[], score: string, from: string, out: string): Array<[string, string]> {
  if (specs.length === 0) return [[out, `SELECT * FROM ${from}`]];
  const guess = specs.map((s) => `LEAST(GREATEST(${d.floorInt(`${score} * ${d.num(s.bins)}`)}, 0), ${s.bins - 1}) AS ${s.column}__0`);
  const down = specs.map((s) => {
    const b = `${s.column}__0`;
    const below = s.rule === 'left' ? `${score} < ${edge(d, b, s.bins)}` : `${score} <= ${edge(d, b, s.bins)}`;
    return `CASE WHEN ${b} > 0 AND ${below} THEN ${b} - 1 ELSE ${b} END AS ${s.column}__1`;
  });
  const up = specs.map((s) => {
    const b = `${s.column}__1`;
    const above = s.rule === 'left' ? `${score} >= ${edge(d, `${b} + 1`, s.bins)}` : `${score} > ${edge(d, `${b} + 1`, s.bins)}`;
    const moved = `CASE WHEN ${b} < ${s.bins - 1} AND ${above} THEN ${b} + 1 ELSE ${b} END`;
    // guo: a score of 0 (or below) is in no bin
    return s.rule === 'guo' ? `CASE WHEN ${moved} = 0 AND ${score} <= ${d.num(0)} THEN -1 ELSE ${moved} END AS ${s.column}` : `${moved} AS ${s.column}`;
  });
  return [
    [`${out}__g`, `SELECT *, ${guess.join(', ')} FROM ${from}`],
    [`${out}__d`, `SELECT *, ${down.join(', ')} FROM ${out}__g`],
    [out, `SELECT *, ${up.join(', ')} FROM ${out}__d`],
  ];
}
