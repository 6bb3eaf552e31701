/**
 * CSV matrices: one row per sample, one column per class (or one column of labels). Browser-safe.
 * Comma-separated; `"quoted"` cells allowed; a first row with any non-numeric cell is a header and is
 * skipped; blank lines are skipped; ragged rows and non-numeric cells are refused naming line and column.
 * `nan`, `inf`, `-inf` (any case, also `NaN`/`Infinity`) parse as numbers so that the logits check can
 * report them as E_NON_FINITE at their position.
 */
import { CalibraError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';

/** Result of {@link parseCsvMatrix}: the matrix, the header names when there was a header, and line numbers. */
export interface CsvMatrix extends Matrix<Float64Array> {
  readonly header: readonly string[] | null;
  /** 1-based line number in the file of each matrix row (for error messages). */
  readonly lines: Int32Array;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)$/;
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

/**
 * Parses CSV text into an N×K Float64 matrix. Throws E_EMPTY (no data rows), E_SHAPE (ragged row:
 * names the line and both column counts) and E_FORMAT (non-numeric cell: names line and column).
 * Cost: O(text length); the output is allocated once the row count is known.
 * @example parseCsvMatrix('a,b\n1,2\n3,4\n').rows // 2
 */
export function parseCsvMatrix(text: string, opts: { readonly source?: string } = {}): CsvMatrix {
  const source = opts.source;
  const at = source === undefined ? {} : { source };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = body.split(/\r?\n/);
  let header: string[] | null = null;
  let cols = -1;
  const rowsCells: string[][] = [];
  const lineNos: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === '') continue;
    const cells = splitLine(line, i + 1, source);
    if (cols < 0) {
      cols = cells.length;
      if (cells.some((c) => parseCsvNumber(c) === undefined)) { header = cells.map((c) => c.trim()); continue; }
    } else if (cells.length !== cols) {
      throw new CalibraError('E_SHAPE', `ragged row: ${cells.length} columns where the first row has ${cols}`, { ...at, where: `line ${i + 1}`, fix: 'give every row the same number of comma-separated cells' });
    }
    rowsCells.push(cells);
    lineNos.push(i + 1);
  }
  if (rowsCells.length === 0) {
    throw new CalibraError('E_EMPTY', header === null ? 'the file has no rows' : 'the file has a header but no data rows', { ...at, fix: 'write one row per sample' });
  }
  const data = new Float64Array(rowsCells.length * cols);
  rowsCells.forEach((cells, r) => {
    for (let c = 0; c < cols; c++) {
      const v = parseCsvNumber(cells[c] as string);
      if (v === undefined) {
        throw new CalibraError('E_FORMAT', `non-numeric cell ${JSON.stringify((cells[c] as string).slice(0, 40))}`, { ...at, where: `line ${lineNos[r] as number}, column ${c + 1}`, fix: 'every cell after the optional header row must be a number' });
      }
      data[r * cols + c] = v;
    }
  });
  return { data, rows: rowsCells.length, cols, header, lines: Int32Array.from(lineNos) };
}

/** Shortest round-trip text of a number, keeping the sign of zero. */
export function numberText(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/**
 * Formats a matrix as CSV, one row per line, numbers in shortest round-trip form (`String(x)`), with an
 * optional header row. Cost: O(rows * cols).
 * @example formatCsvMatrix({data: new Float64Array([1, 0.5]), rows: 1, cols: 2}) // '1,0.5\n'
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
