/**
 * SQL dialects of the table queries: DuckDB (executed by calibra through the embedded engine) and the
 * Spark SQL and BigQuery (GoogleSQL) spellings of the same query, printed by `calibra sql` for a team to run
 * where its data lives. A dialect only spells things: identifier and string quoting, number literals, list
 * functions and row expansion. What is computed is in `query.ts` and is the same for every dialect.
 *
 * Spark and BigQuery spellings follow their documented functions (Spark SQL built-in functions, GoogleSQL
 * array functions and UNNEST); they are not executed in calibra's tests (no such engine here).
 */

/** Names of the dialects `calibra sql --dialect` accepts. */
export type DialectName = 'duckdb' | 'spark' | 'bigquery';

/** The dialect names, for option validation. */
export const DIALECT_NAMES: readonly DialectName[] = ['duckdb', 'spark', 'bigquery'];

/** How one SQL dialect spells what the table queries need. */
export interface Dialect {
  readonly name: DialectName;
  /** A quoted identifier (a column or table name; every character allowed, quotes escaped). */
  ident(name: string): string;
  /** A string literal. */
  str(text: string): string;
  /** The 64-bit float type name. */
  readonly double: string;
  /** The 64-bit integer type name. */
  readonly bigint: string;
  /** A float64 constant that parses to exactly `x` (shortest round-trip digits, cast from a string). */
  num(x: number): string;
  /** `CAST(e AS <double>)`. */
  toDouble(e: string): string;
  /** A list column cast to a list of float64. */
  toDoubleList(e: string): string;
  /** The two-element list `[a, b]`. */
  pair(a: string, b: string): string;
  /** Number of elements of a list. */
  listLen(list: string): string;
  /** Largest element of a list. */
  listMax(list: string): string;
  /** 0-based index of the first element equal to `value`. */
  listFirstIndex0(list: string, value: string): string;
  /** Element at 0-based index `i`. */
  listAt0(list: string, i: string): string;
  /** Σ over the elements x (0-based index k) of `body(x, k)`, summed in list order where the engine sums in order. */
  listSum(list: string, body: (x: string, k: string) => string): string;
  /** True when some element x satisfies `cond(x)`. */
  listAny(list: string, cond: (x: string) => string): string;
  /**
   * A FROM clause that yields every row of `from` once per element of `list` (columns `x` and the 0-based
   * index `k` added under the given names), e.g. for class-wise statistics.
   */
  explodeList(from: string, alias: string, list: string, x: string, k: string): string;
  /** A FROM clause that yields every row of `from` once per j = 1..m (column `j` added under the given name). */
  explodeRange(from: string, alias: string, m: string, j: string): string;
  /** Integer floor: `CAST(FLOOR(e) AS <bigint>)`. */
  floorInt(e: string): string;
}

/** Shortest decimal text that parses back to exactly `x` (JS's `String(x)`, which round-trips doubles). */
function exactDigits(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`dialect.num: ${x} is not finite`);
  return String(x);
}

const doubledQuote = (q: string) => (text: string): string => `${q}${text.split(q).join(q + q)}${q}`;

/** Backslash escapes for Spark SQL and GoogleSQL string literals and (GoogleSQL) quoted identifiers. */
function backslashEscape(text: string, quote: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

/** DuckDB: `"ident"` (`""` inside), `'text'` (`''` inside), Python-style lambdas, 1-based lists. */
export const duckdb: Dialect = {
  name: 'duckdb',
  ident: doubledQuote('"'),
  str: doubledQuote("'"),
  double: 'DOUBLE',
  bigint: 'BIGINT',
  num: (x) => (Number.isInteger(x) ? `CAST(${x} AS DOUBLE)` : `CAST('${exactDigits(x)}' AS DOUBLE)`),
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  toDoubleList: (e) => `CAST(${e} AS DOUBLE[])`,
  pair: (a, b) => `list_value(${a}, ${b})`,
  listLen: (l) => `len(${l})`,
  listMax: (l) => `list_max(${l})`,
  listFirstIndex0: (l, v) => `(list_position(${l}, ${v}) - 1)`,
  listAt0: (l, i) => `list_extract(${l}, ${i} + 1)`,
  listSum: (l, body) => `list_sum(list_transform(${l}, lambda __x, __k1: ${body('__x', '(__k1 - 1)')}))`,
  listAny: (l, cond) => `(len(list_filter(${l}, lambda __x: ${cond('__x')})) > 0)`,
  explodeList: (from, alias, l, x, k) => `(SELECT ${alias}.*, unnest(${alias}.${l}) AS ${x}, unnest(range(len(${alias}.${l}))) AS ${k} FROM ${from} AS ${alias})`,
  explodeRange: (from, alias, m, j) => `(SELECT ${alias}.*, unnest(range(1, ${alias}.${m} + 1)) AS ${j} FROM ${from} AS ${alias})`,
  floorInt: (e) => `CAST(floor(${e}) AS BIGINT)`,
};

/**
 * Spark SQL (3.x): `` `ident` `` (doubled backtick inside), backslash-escaped string literals, higher-order
 * functions `transform` / `aggregate` / `exists` with 0-based indexes, `posexplode` and `sequence`.
 */
export const spark: Dialect = {
  name: 'spark',
  ident: doubledQuote('`'),
  str: (t) => backslashEscape(t, "'"),
  double: 'DOUBLE',
  bigint: 'BIGINT',
  num: (x) => (Number.isInteger(x) ? `CAST(${x} AS DOUBLE)` : `CAST('${exactDigits(x)}' AS DOUBLE)`),
  toDouble: (e) => `CAST(${e} AS DOUBLE)`,
  toDoubleList: (e) => `CAST(${e} AS ARRAY<DOUBLE>)`,
  pair: (a, b) => `array(${a}, ${b})`,
  listLen: (l) => `size(${l})`,
  listMax: (l) => `array_max(${l})`,
  listFirstIndex0: (l, v) => `(array_position(${l}, ${v}) - 1)`,
  listAt0: (l, i) => `element_at(${l}, CAST(${i} AS INT) + 1)`,
  listSum: (l, body) => `aggregate(transform(${l}, (__x, __k) -> ${body('__x', '__k')}), CAST(0 AS DOUBLE), (__acc, __v) -> __acc + __v)`,
  listAny: (l, cond) => `exists(${l}, __x -> ${cond('__x')})`,
  explodeList: (from, alias, l, x, k) => `(SELECT ${alias}.*, __e.${k}, __e.${x} FROM ${from} AS ${alias} LATERAL VIEW posexplode(${alias}.${l}) __e AS ${k}, ${x})`,
  explodeRange: (from, alias, m, j) => `(SELECT ${alias}.*, __s.${j} FROM ${from} AS ${alias} LATERAL VIEW explode(sequence(CAST(1 AS BIGINT), CAST(${alias}.${m} AS BIGINT))) __s AS ${j})`,
  floorInt: (e) => `CAST(FLOOR(${e}) AS BIGINT)`,
};

/**
 * BigQuery (GoogleSQL): `` `ident` `` with string-literal escapes, FLOAT64 / INT64, arrays read through
 * correlated `UNNEST ... WITH OFFSET` subqueries (no lambdas), `GENERATE_ARRAY`.
 */
export const bigquery: Dialect = {
  name: 'bigquery',
  ident: (t) => backslashEscape(t, '`'),
  str: (t) => backslashEscape(t, "'"),
  double: 'FLOAT64',
  bigint: 'INT64',
  num: (x) => (Number.isInteger(x) ? `CAST(${x} AS FLOAT64)` : `CAST('${exactDigits(x)}' AS FLOAT64)`),
  toDouble: (e) => `CAST(${e} AS FLOAT64)`,
  toDoubleList: (e) => `ARRAY(SELECT CAST(__x AS FLOAT64) FROM UNNEST(${e}) AS __x WITH OFFSET AS __o ORDER BY __o)`,
  pair: (a, b) => `[${a}, ${b}]`,
  listLen: (l) => `ARRAY_LENGTH(${l})`,
  listMax: (l) => `(SELECT MAX(__x) FROM UNNEST(${l}) AS __x)`,
  listFirstIndex0: (l, v) => `(SELECT MIN(__o) FROM UNNEST(${l}) AS __x WITH OFFSET AS __o WHERE __x = ${v})`,
  listAt0: (l, i) => `${l}[SAFE_OFFSET(${i})]`,
  listSum: (l, body) => `(SELECT SUM(${body('__x', '__k')}) FROM UNNEST(${l}) AS __x WITH OFFSET AS __k)`,
  listAny: (l, cond) => `EXISTS(SELECT 1 FROM UNNEST(${l}) AS __x WHERE ${cond('__x')})`,
  explodeList: (from, alias, l, x, k) => `(SELECT ${alias}.*, ${x}, ${k} FROM ${from} AS ${alias} CROSS JOIN UNNEST(${alias}.${l}) AS ${x} WITH OFFSET AS ${k})`,
  explodeRange: (from, alias, m, j) => `(SELECT ${alias}.*, ${j} FROM ${from} AS ${alias} CROSS JOIN UNNEST(GENERATE_ARRAY(1, ${alias}.${m})) AS ${j})`,
  floorInt: (e) => `CAST(FLOOR(${e}) AS INT64)`,
};

/** The dialect of a name. */
export function dialectOf(name: DialectName): Dialect {
  return name === 'duckdb' ? duckdb : name === 'spark' ? spark : bigquery;
}
