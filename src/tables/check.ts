/**
 * Bad tables get the same care as bad files: before any metric is computed, the column types are checked
 * (DESCRIBE) and one pass over the rows kept by `--where` finds the first offending row of every check
 * (NULL labels or scores, non-integer or negative labels, confidences outside [0, 1], non-finite values,
 * lists of differing lengths, probability rows that do not sum to 1 within 1e-4, labels ≥ K). The error is
 * one line naming the file, the row (0-based, in that file), the column, the value and the fix.
 */
import { CalibraError, type CalibraErrorCode } from '../errors.js';
import { DEFAULT_PROBS_TOLERANCE } from '../data/validate.js';
import { duckdb as d } from './dialect.js';
import type { TableEngine, TableValue } from './engine.js';
import { withClause, sourceCtes, type TableQuerySource } from './query.js';
import { firstLine, type ResolvedSource } from './source.js';

/** What the table's columns are. */
export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|DECIMAL(\(\d+,\s*\d+\))?)$/;
const INTEGER = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|BOOLEAN)$/;
const LIST = /^(.*)\[(\d*)\]$/;

/** The columns of the source (after `--where` is applied they are the same). */
export async function describeColumns(engine: TableEngine, src: ResolvedSource): Promise<ColumnInfo[]> {
  try {
    const rows = await engine.all(`DESCRIBE SELECT * FROM ${src.from}`);
    return rows.map((r) => ({ name: String(r['column_name']), type: String(r['column_type']) }));
  } catch (e) {
    throw new CalibraError('E_FORMAT', `cannot read the table: ${firstLine(e)}`, { source: src.spec, fix: `check that the file is valid ${src.format}` });
  }
}

function column(cols: readonly ColumnInfo[], name: string, flag: string, src: ResolvedSource): ColumnInfo {
  const c = cols.find((x) => x.name === name);
  if (c !== undefined) return c;
  const near = cols.find((x) => x.name.toLowerCase() === name.toLowerCase());
  throw new CalibraError('E_FORMAT', `no column ${JSON.stringify(name)} (${flag})`, {
    source: src.spec,
    fix: near !== undefined ? `did you mean ${JSON.stringify(near.name)}? (names are case-sensitive)` : `the columns are: ${cols.map((x) => x.name).join(', ')}`,
  });
}

function typeError(src: ResolvedSource, c: ColumnInfo, want: string, fix: string): CalibraError {
  return new CalibraError('E_DTYPE', `column ${JSON.stringify(c.name)} is ${c.type}, expected ${want}`, { source: src.spec, fix });
}

/**
 * Checks that every named column exists with a usable type; returns whether a `--probs-col`/`--logits-col`
 * is a scalar (binary: P(y = 1) or the logit of class 1) rather than a list.
 */
export function checkColumns(cols: readonly ColumnInfo[], src: ResolvedSource, q: Omit<TableQuerySource, 'input'> & { input: { kind: 'top'; confidence: string; pred: string } | { kind: 'probs' | 'logits'; column: string } }): { scalar: boolean } {
  const label = column(cols, q.label, '--label-col', src);
  if (!NUMERIC.test(label.type) && label.type !== 'BOOLEAN') throw typeError(src, label, 'integer class indices', 'store labels as integers 0..K-1 (map class names to indices first)');
  for (const [i, b] of q.by.entries()) column(cols, b, `--by, key ${i + 1}`, src);
  const inp = q.input;
  if (inp.kind === 'top') {
    const conf = column(cols, inp.confidence, '--confidence-col', src);
    if (!NUMERIC.test(conf.type)) throw typeError(src, conf, 'a number in [0, 1]', 'give the top-label confidence as a FLOAT or DOUBLE column');
    const pred = column(cols, inp.pred, '--pred-col', src);
    if (!NUMERIC.test(pred.type) && !INTEGER.test(pred.type)) throw typeError(src, pred, 'integer class indices', 'store the predicted class as an integer 0..K-1');
    return { scalar: false };
  }
  const flag = inp.kind === 'probs' ? '--probs-col' : '--logits-col';
  const c = column(cols, inp.column, flag, src);
  const m = LIST.exec(c.type);
  if (m !== null) {
    if (!NUMERIC.test(m[1] as string)) throw typeError(src, c, 'a list of numbers', `store one ${inp.kind === 'probs' ? 'probability' : 'logit'} per class as FLOAT[] or DOUBLE[]`);
    return { scalar: false };
  }
  if (NUMERIC.test(c.type)) return { scalar: true };
  throw typeError(src, c, `a LIST of ${inp.kind === 'probs' ? 'probabilities' : 'logits'} (or one number for a binary problem)`, `store one value per class as FLOAT[] or DOUBLE[]`);
}

interface Check {
  readonly code: CalibraErrorCode;
  readonly column: string;
  readonly bad: string;
  readonly message: (v: string) => string;
  readonly fix: string;
}

/** What the data pass found: the number of rows and classes. */
export interface TableShape {
  readonly rows: number;
  readonly classes: number;
}

/**
 * Runs the data checks on the rows of `q` (after `--where`) and returns the row count and the number of
 * classes (the list length, or 1 + the largest label or predicted class for top-label input).
 */
export async function checkRows(engine: TableEngine, src: ResolvedSource, q: TableQuerySource): Promise<TableShape> {
  const id = d.ident;
  const y = id(q.label);
  const num = (c: string): string => `TRY_CAST(${c} AS DOUBLE)`;
  const checks: Check[] = [
    { code: 'E_LABEL_TYPE', column: q.label, bad: `${y} IS NULL`, message: () => 'the label is NULL', fix: 'drop unlabelled rows, e.g. --where "label IS NOT NULL"' },
    { code: 'E_LABEL_TYPE', column: q.label, bad: `NOT isfinite(${num(y)}) OR ${num(y)} <> floor(${num(y)})`, message: (v) => `the label ${v} is not an integer`, fix: 'labels must be class indices 0..K-1' },
    { code: 'E_LABEL_RANGE', column: q.label, bad: `${num(y)} < 0`, message: (v) => `the label ${v} is negative`, fix: 'labels must be class indices 0..K-1' },
  ];
  const inp = q.input;
  let extra: string;
  if (inp.kind === 'top') {
    const c = id(inp.confidence);
    const p = id(inp.pred);
    checks.push(
      { code: 'E_NON_FINITE', column: inp.confidence, bad: `${c} IS NULL`, message: () => 'the confidence is NULL', fix: 'drop rows without a prediction, e.g. --where "confidence IS NOT NULL"' },
      { code: 'E_NON_FINITE', column: inp.confidence, bad: `NOT isfinite(${num(c)})`, message: (v) => `the confidence ${v} is not finite`, fix: 'remove NaN/Infinity values' },
      { code: 'E_PROBS', column: inp.confidence, bad: `${num(c)} < 0 OR ${num(c)} > 1`, message: (v) => `the confidence ${v} is outside [0, 1]`, fix: 'give the top-label probability max_k p_k (apply softmax to logits first)' },
      { code: 'E_LABEL_TYPE', column: inp.pred, bad: `${p} IS NULL`, message: () => 'the predicted class is NULL', fix: 'drop rows without a prediction' },
      { code: 'E_LABEL_TYPE', column: inp.pred, bad: `NOT isfinite(${num(p)}) OR ${num(p)} <> floor(${num(p)})`, message: (v) => `the predicted class ${v} is not an integer`, fix: 'give the predicted class index 0..K-1' },
      { code: 'E_LABEL_RANGE', column: inp.pred, bad: `${num(p)} < 0`, message: (v) => `the predicted class ${v} is negative`, fix: 'give the predicted class index 0..K-1' },
    );
    extra = `, MAX(GREATEST(${num(y)}, ${num(p)})) AS __kmax`;
  } else {
    const c = id(inp.column);
    const what = inp.kind === 'probs' ? 'probability' : 'logit';
    if (inp.scalar) {
      checks.push(
        { code: 'E_NON_FINITE', column: inp.column, bad: `${c} IS NULL`, message: () => `the ${what} is NULL`, fix: 'drop rows without a prediction' },
        { code: 'E_NON_FINITE', column: inp.column, bad: `NOT isfinite(${num(c)})`, message: (v) => `the ${what} ${v} is not finite`, fix: 'remove NaN/Infinity values' },
      );
      if (inp.kind === 'probs') checks.push({ code: 'E_PROBS', column: inp.column, bad: `${num(c)} < 0 OR ${num(c)} > 1`, message: (v) => `the probability ${v} is outside [0, 1]`, fix: 'give P(y = 1) of a binary problem, or a LIST of class probabilities' });
      checks.push({ code: 'E_LABEL_RANGE', column: q.label, bad: `${num(y)} > 1`, message: (v) => `the label ${v} is not 0 or 1 (the ${what} column is a single number: a binary problem)`, fix: 'give a LIST column with one value per class for more than two classes' });
      extra = ', 2 AS __kmin, 2 AS __kmax, 2 AS __kfirst';
    } else {
      const l = `CAST(${c} AS DOUBLE[])`;
      checks.push(
        { code: 'E_NON_FINITE', column: inp.column, bad: `${c} IS NULL`, message: () => `the ${what} list is NULL`, fix: 'drop rows without a prediction' },
        { code: 'E_SHAPE', column: inp.column, bad: `len(${c}) = 0`, message: () => `the ${what} list is empty`, fix: 'give one value per class' },
        { code: 'E_NON_FINITE', column: inp.column, bad: `len(list_filter(${l}, lambda __x: __x IS NULL OR NOT isfinite(__x))) > 0`, message: (v) => `the ${what} list ${v} holds NULL or a non-finite value`, fix: 'remove NULL/NaN/Infinity entries' },
      );
      if (inp.kind === 'probs') {
        checks.push(
          { code: 'E_PROBS', column: inp.column, bad: `len(list_filter(${l}, lambda __x: __x < 0 OR __x > 1)) > 0`, message: (v) => `the probabilities ${v} are not all in [0, 1]`, fix: 'give probabilities (or use --logits-col for logits)' },
          { code: 'E_PROBS', column: inp.column, bad: `ABS(list_sum(${l}) - 1) > ${DEFAULT_PROBS_TOLERANCE}`, message: (v) => `the probabilities ${v} do not sum to 1 (tolerance ${DEFAULT_PROBS_TOLERANCE})`, fix: 'normalise each row (or use --logits-col for logits)' },
        );
      }
      extra = `, MIN(len(${c})) AS __kmin, MAX(len(${c})) AS __kmax, arg_min(len(${c}), __ord) AS __kfirst`;
    }
  }
  const ctes = sourceCtes(d, q);
  const sql = `${withClause(ctes)}SELECT COUNT(*) AS __n${checks.map((c, i) => `, MIN(CASE WHEN ${c.bad} THEN __ord END) AS __c${i}`).join('')}${extra} FROM __f`;
  const row = (await runChecked(engine, src, sql, q.where))[0] ?? {};
  let first: { i: number; ord: number } | null = null;
  checks.forEach((_c, i) => {
    const v = row[`__c${i}`];
    if (typeof v === 'number' && (first === null || v < first.ord)) first = { i, ord: v };
  });
  if (first !== null) {
    const f = first as { i: number; ord: number };
    const c = checks[f.i] as Check;
    await fail(engine, src, q, f.ord, c.column, c.code, c.message, c.fix);
  }
  const n = Number(row['__n'] ?? 0);
  if (n === 0) throw new CalibraError('E_EMPTY', q.where === null ? 'the table has no rows' : 'no rows are left after --where', { source: src.spec, fix: q.where === null ? 'give a table with predictions' : 'loosen the --where predicate' });
  let classes: number;
  if (inp.kind === 'top') classes = Number(row['__kmax']) + 1;
  else {
    const kmin = Number(row['__kmin']);
    const kmax = Number(row['__kmax']);
    const kfirst = Number(row['__kfirst']);
    if (kmin !== kmax) {
      const col = id(inp.column);
      const bad = await runChecked(engine, src, `${withClause(ctes)}SELECT MIN(__ord) AS o FROM __f WHERE len(${col}) <> ${kfirst}`, q.where);
      await fail(engine, src, q, Number(bad[0]?.['o']), inp.column, 'E_SHAPE', (v) => `the list ${v} has a different length than the first row's ${kfirst}`, `every row needs ${kfirst} values, one per class`);
    }
    classes = kfirst;
    const yBad = await runChecked(engine, src, `${withClause(ctes)}SELECT MIN(__ord) AS o FROM __f WHERE TRY_CAST(${y} AS DOUBLE) >= ${classes}`, q.where);
    const o = yBad[0]?.['o'];
    if (typeof o === 'number') await fail(engine, src, q, o, q.label, 'E_LABEL_RANGE', (v) => `the label ${v} is outside 0..${classes - 1}`, `labels must be below the number of classes (${classes})`);
  }
  return { rows: n, classes };
}

/** Runs a query over the user's rows; an engine error becomes one line naming --where or the file. */
export async function runChecked(engine: TableEngine, src: ResolvedSource, sql: string, where: string | null): Promise<Array<Record<string, TableValue>>> {
  try {
    return await engine.all(sql);
  } catch (e) {
    const msg = firstLine(e);
    if (where !== null && /^(Parser|Binder|Catalog|Conversion) Error/.test(msg)) {
      throw new CalibraError('E_USAGE', `--where ${JSON.stringify(where)}: ${msg}`, { source: src.spec, fix: 'write a DuckDB SQL predicate over the table\'s columns, e.g. --where "region = \'eu\' AND day >= DATE \'2024-01-01\'"' });
    }
    throw new CalibraError('E_FORMAT', `the engine could not read the table: ${msg}`, { source: src.spec, fix: 'check the file and the column names' });
  }
}

/** Throws the one-line error for the row with order `ord`: file, row in the file, column, value. */
async function fail(engine: TableEngine, src: ResolvedSource, q: TableQuerySource, ord: number, col: string, code: CalibraErrorCode, message: (v: string) => string, fix: string): Promise<never> {
  const ctes = sourceCtes(d, q);
  const rows = await engine.all(`${withClause(ctes)}SELECT __fi, CAST(${d.ident(col)} AS VARCHAR) AS __v FROM __src WHERE __ord = ${ord}`);
  const fi = Number(rows[0]?.['__fi'] ?? 0);
  const value = rows[0]?.['__v'];
  let rowInFile = ord;
  if (src.format === 'parquet') rowInFile = ord % 1099511627776;
  else if (src.files.length > 1) {
    const before = await engine.all(`SELECT COUNT(*) AS c FROM ${src.from} WHERE ${src.fileIndex} < ${fi}`);
    rowInFile = ord - Number(before[0]?.['c'] ?? 0);
  }
  const file = src.files[fi] ?? src.spec;
  throw new CalibraError(code, message(value === null || value === undefined ? 'NULL' : String(value)), { source: file, where: `row ${rowInFile}, column ${JSON.stringify(col)}`, fix });
}
