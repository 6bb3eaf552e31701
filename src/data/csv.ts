/**
 * CSV matrices: one row per sample, one column per class (or one column of labels). Browser-safe.
 * Comma-separated; `"quoted"` cells allowed; blank lines are skipped; ragged rows and non-numeric cells are
 * refused naming line and column. `nan`, `inf`, `-inf` (any case, also `NaN`/`Infinity`) parse as numbers so
 * that the logits check can report them as E_NON_FINITE at their position.
 *
 * Header (`header` option, CLI `--header yes|no|auto`): `yes` takes the first row as a header, `no` as data;
 * `auto` (default) guesses and refuses what it cannot tell: a first row of names only is a header, of numbers
 * only is data, and a mix (`0.2,0.5x,0.3`: a typo, or a header with numeric names?) is an error that asks for
 * `--header yes` or `no`. `auto` also refuses a first row `0,1,...,K-1` (K >= 3: pandas' default column names,
 * or data?), drops a pandas index column (an empty first header name over integers, as `df.to_csv(f)`
 * writes), and, for logits and probabilities, refuses a file of two whole-number columns (`1,50`: decimals
 * written with a comma?). What `auto` guessed is in `readAs`, and messages about the file repeat it.
 */
import { CalibraError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';

/** How the first row is read: always a header, never, or guessed (refusing ambiguous files). */
export type CsvHeader = 'yes' | 'no' | 'auto';

/** Options of {@link parseCsvMatrix}. */
export interface CsvReadOptions {
  readonly source?: string;
  /** Default 'auto'. */
  readonly header?: CsvHeader;
  /** What the file holds; with 'logits' or 'probs', `auto` refuses two whole-number columns (decimal commas?). */
  readonly role?: 'logits' | 'probs' | 'labels';
}

/** Result of {@link parseCsvMatrix}: the matrix, the header names when there was a header, and line numbers. */
export interface CsvMatrix extends Matrix<Float64Array> {
  readonly header: readonly string[] | null;
  /** 1-based line number in the file of each matrix row (for error messages). */
  readonly lines: Int32Array;
  /** What was guessed, in words (`line 1 read as a header (auto)`), or '' when nothing was. */
  readonly readAs: string;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/;
const WHOLE = /^\d+$/;
const SPECIAL: Readonly<Record<string, number>> = { nan: NaN, '+nan': NaN, '-nan': NaN, inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '+infinity': Infinity, '-infinity': -Infinity };

/** Parses one cell as a number; undefined when it is not one. Cost: O(cell length). */
export function parseCsvNumber(cell: string): number | undefined {
  const t = cell.trim();
  if (NUMBER.test(t)) return Number(t);
  return SPECIAL[t.toLowerCase()];
}

function splitLine(line: string, lineNo: number, source: string | undefined): string[] {
  if (!line.includes('"')) return line.split(',');
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { cells.push(cur); cur = ''; } else cur += c;
  }
  if (quoted) throw new CalibraError('E_FORMAT', 'unterminated quoted cell', { ...(source !== undefined ? { source } : {}), where: `line ${lineNo}`, fix: 'close the quote or remove it' });
  cells.push(cur);
  return cells;
}

function localeHint(cell: string): string {
  return /^\s*[+-]?\d+,\d+\s*$/.test(cell) || cell.includes(';')
    ? 'the file looks written with a comma as decimal mark (and ; between cells); write it with a point: df.to_csv(f, index=False) or np.savetxt(f, a, delimiter=",")'
    : 'every cell after the optional header row must be a number';
}

/**
 * Parses CSV text into an N×K Float64 matrix, reading the text line by line into a growing buffer (memory:
 * the text plus the matrix). Throws E_EMPTY (no data rows), E_SHAPE (ragged row: names the line and both
 * column counts) and E_FORMAT (non-numeric cell: names line and column; an ambiguous header under `auto`).
 * Cost: O(text length).
 * @example parseCsvMatrix('a,b\n1,2\n3,4\n').rows // => 2
 */
export function parseCsvMatrix(text: string, opts: CsvReadOptions = {}): CsvMatrix {
  const source = opts.source;
  const at = source === undefined ? {} : { source };
  const mode = opts.header ?? 'auto';
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let header: string[] | null = null;
  let cols = -1;
  let skip = 0; // leading columns dropped (a pandas index)
  const notes: string[] = [];
  let data = new Float64Array(1024);
  let lines = new Int32Array(256);
  let rows = 0;
  let allWhole = true;
  let firstLine = 0;
  const fail = (code: 'E_FORMAT' | 'E_SHAPE', message: string, where: string, fix: string): never => {
    throw new CalibraError(code, message + (notes.length > 0 ? ` (read as: ${notes.join('; ')})` : ''), { ...at, where, fix });
  };
  let lineNo = 0;
  for (let pos = start; pos <= text.length;) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    lineNo++;
    const line = text.charCodeAt(nl - 1) === 13 && nl > pos ? text.slice(pos, nl - 1) : text.slice(pos, nl);
    pos = nl + 1;
    if (line.trim() === '') continue;
    const cells = splitLine(line, lineNo, source);
    if (cols < 0) {
      cols = cells.length;
      firstLine = lineNo;
      const numeric = cells.map((c) => parseCsvNumber(c) !== undefined);
      const names = cells.map((c) => c.trim());
      let isHeader = false;
      if (mode === 'yes') isHeader = true;
      else if (mode === 'no') isHeader = false;
      else if (cols >= 2 && names[0] === '') isHeader = true; // an empty cell is never data: pandas' unnamed index over column names
      else if (numeric.every((x) => x)) {
        if (cols >= 3 && names.every((c, i) => c === String(i))) {
          fail('E_FORMAT', `line ${lineNo} is ${names.slice(0, 4).join(',')}${cols > 4 ? ',...' : ''}: pandas' default column names, or a row of data? (--header auto does not guess)`, `line ${lineNo}`, 'pass --header yes if it names the columns, --header no if it is data');
        }
        isHeader = false;
      } else if (numeric.every((x) => !x)) {
        isHeader = true;
      } else {
        const bad = numeric.findIndex((x) => !x);
        const good = numeric.findIndex((x) => x);
        fail('E_FORMAT', `line ${lineNo} mixes numbers and text (${JSON.stringify(names[good]?.slice(0, 40))} and ${JSON.stringify(names[bad]?.slice(0, 40))}): a header with numeric names, or a data row with a typo? (--header auto does not guess)`, `line ${lineNo}, column ${bad + 1}`, 'pass --header yes if line 1 names the columns, or --header no and fix the cell if it is data');
      }
      if (isHeader) {
        header = cells.map((c) => c.trim());
        notes.push(`line ${lineNo} as a header (${mode === 'yes' ? '--header yes' : 'guessed: --header auto'})`);
        if (mode === 'auto' && cols >= 2 && (header[0] === '' || header[0] === 'Unnamed: 0') && header.slice(1).every((h) => h !== '')) {
          skip = 1;
          notes.push('column 1 dropped (an unnamed first column, as pandas writes its index; guessed: --header auto)');
        }
        continue;
      }
    } else if (cells.length !== cols) {
      fail('E_SHAPE', `ragged row: ${cells.length} columns where the first row has ${cols}`, `line ${lineNo}`, 'give every row the same number of comma-separated cells');
    }
    const width = cols - skip;
    if ((rows + 1) * width > data.length) { const d = new Float64Array(Math.max(data.length * 2, (rows + 1) * width)); d.set(data); data = d; }
    if (rows + 1 > lines.length) { const l = new Int32Array(lines.length * 2); l.set(lines); lines = l; }
    if (skip > 0 && !WHOLE.test((cells[0] as string).trim())) {
      fail('E_FORMAT', `column 1 has no name in the header, like a pandas index, but holds ${JSON.stringify((cells[0] as string).slice(0, 40))}, not a row number`, `line ${lineNo}, column 1`, 'name the column in the header, or save without the index: df.to_csv(f, index=False)');
    }
    for (let c = skip; c < cols; c++) {
      const cell = cells[c] as string;
      const v = parseCsvNumber(cell);
      if (v === undefined) fail('E_FORMAT', `non-numeric cell ${JSON.stringify(cell.slice(0, 40))}`, `line ${lineNo}, column ${c + 1}`, localeHint(cell));
      if (allWhole && !WHOLE.test(cell.trim())) allWhole = false;
      data[rows * width + c - skip] = v as number;
    }
    lines[rows] = lineNo;
    rows++;
  }
  if (rows === 0) {
    throw new CalibraError('E_EMPTY', header === null ? 'the file has no rows' : 'the file has a header but no data rows', { ...at, fix: 'write one row per sample' });
  }
  const width = cols - skip;
  if (mode === 'auto' && header === null && width === 2 && allWhole && (opts.role === 'logits' || opts.role === 'probs')) {
    fail('E_FORMAT', `every row is two whole numbers (line ${firstLine}: ${JSON.stringify(text.slice(0, 200).split('\n').find((l) => l.trim() !== '')?.trim().slice(0, 40))}): decimals written with a comma (1,50 = 1.5)? (--header auto does not guess)`, `line ${firstLine}`, 'write decimals with a point (1.50); if these really are whole-number scores, pass --header no to read them as they are');
  }
  return { data: data.length === rows * width ? data : data.slice(0, rows * width), rows, cols: width, header: header === null ? null : header.slice(skip), lines: lines.slice(0, rows), readAs: notes.join('; ') };
}

/** Shortest round-trip text of a number, keeping the sign of zero. */
export function numberText(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/**
 * Formats a matrix as CSV, one row per line, numbers in shortest round-trip form (`String(x)`), with an
 * optional header row. Cost: O(rows * cols).
 * @example formatCsvMatrix({data: new Float64Array([1, 0.5]), rows: 1, cols: 2}) // => '1,0.5\n'
 */
export function formatCsvMatrix(m: Matrix, opts: { readonly header?: readonly string[] } = {}): string {
  const out: string[] = [];
  if (opts.header !== undefined) out.push(opts.header.map((h) => (/[",\n]/.test(h) ? `"${h.replace(/"/g, '""')}"` : h)).join(','));
  const row: string[] = new Array<string>(m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) row[c] = numberText(m.data[r * m.cols + c] as number);
    out.push(row.join(','));
  }
  return out.join('\n') + '\n';
}
