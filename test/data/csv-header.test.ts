/**
 * Issue 13, CSV guessing: `--header yes|no|auto`; `auto` refuses what it cannot tell (a typo in the first
 * data row, pandas' default column names), drops a pandas index column and says so, refuses decimal commas
 * (`1,50`) for logits and probabilities; the messages say what was guessed. Fuzzer F8 checks that `auto`
 * never silently drops a data row. Case ids C1-C8 of docs/robustness.md.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/main.js';
import { parseCsvMatrix, parseCsvNumber } from '../../src/data/csv.js';
import { loadLogits, MAX_TEXT_BYTES } from '../../src/data/files.js';
import { CalibraError, formatError } from '../../src/errors.js';
import { expectCode } from './helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-csv-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const at = (name: string): string => path.join(tmp, name);

describe('parseCsvMatrix header modes', () => {
  it('C1: a typo in the first data row is refused under auto, not dropped as a header', () => {
    const e = expectCode(() => parseCsvMatrix('0.1,0.2x,0.7\n0.3,0.3,0.4\n', { source: 'p.csv' }), 'E_FORMAT');
    expect(e.where).toBe('line 1, column 2');
    expect(e.message).toMatch(/mixes numbers and text \("0.1" and "0.2x"\)/);
    expect(e.fix).toMatch(/--header yes .* --header no/);
    // explicit modes: yes takes it as a header, no reports the bad cell
    expect(parseCsvMatrix('0.1,0.2x,0.7\n0.3,0.3,0.4\n', { header: 'yes' }).rows).toBe(1);
    const no = expectCode(() => parseCsvMatrix('0.1,0.2x,0.7\n0.3,0.3,0.4\n', { header: 'no' }), 'E_FORMAT');
    expect(no.where).toBe('line 1, column 2');
  });
  it('C2: a header of names is guessed and the guess is stated; numbers only are data', () => {
    const m = parseCsvMatrix('cat,dog\n1,2\n3,4\n');
    expect([m.rows, m.cols, m.header]).toEqual([2, 2, ['cat', 'dog']]);
    expect(m.readAs).toContain('line 1 as a header (guessed: --header auto)');
    const d = parseCsvMatrix('1,2\n3,4\n');
    expect([d.rows, d.header, d.readAs]).toEqual([2, null, '']);
    // a data error after a guessed header says what was guessed
    const e = expectCode(() => parseCsvMatrix('cat,dog\n1,2\n3,x\n', { source: 'g.csv' }), 'E_FORMAT');
    expect(e.message).toContain('(read as: line 1 as a header (guessed: --header auto))');
  });
  it('C3: --header no reads a first row of text as data (an error there), --header yes a numeric first row as a header', () => {
    expect(parseCsvMatrix('1,2\n3,4\n', { header: 'yes' }).header).toEqual(['1', '2']);
    expectCode(() => parseCsvMatrix('cat,dog\n1,2\n', { header: 'no' }), 'E_FORMAT');
  });
  it('C4: a pandas index column (empty first header name over row numbers) is dropped and the drop stated', () => {
    const m = parseCsvMatrix(',0,1,2\n0,0.1,0.2,0.7\n1,0.3,0.3,0.4\n');
    expect([m.rows, m.cols, m.header]).toEqual([2, 3, ['0', '1', '2']]);
    expect(Array.from(m.data)).toEqual([0.1, 0.2, 0.7, 0.3, 0.3, 0.4]);
    expect(m.readAs).toMatch(/column 1 dropped \(an unnamed first column, as pandas writes its index/);
    expect(parseCsvMatrix('Unnamed: 0,a,b\n7,1,2\n9,3,4\n').cols).toBe(2);
    // an unnamed first column that is not row numbers is refused, not dropped and not kept
    expectCode(() => parseCsvMatrix(',a,b\n0.5,1,2\n'), 'E_FORMAT');
    // explicit modes never drop a column
    expect(parseCsvMatrix(',a,b\n0,1,2\n', { header: 'yes' }).cols).toBe(3);
  });
  it('C5: a first row 0,1,...,K-1 (pandas default column names, or data?) is refused under auto', () => {
    const e = expectCode(() => parseCsvMatrix('0,1,2\n0.1,0.2,0.7\n'), 'E_FORMAT');
    expect(e.message).toMatch(/pandas' default column names, or a row of data/);
    expect(parseCsvMatrix('0,1,2\n0.1,0.2,0.7\n', { header: 'yes' }).rows).toBe(1);
    expect(parseCsvMatrix('0,1,2\n0.1,0.2,0.7\n', { header: 'no' }).rows).toBe(2);
  });
  it('C6: two whole-number columns as logits or probabilities (1,50 = 1.5 with a decimal comma?) are refused under auto', () => {
    const e = expectCode(() => parseCsvMatrix('1,50\n2,25\n0,75\n', { role: 'logits', source: 'l.csv' }), 'E_FORMAT');
    expect(e.message).toMatch(/decimals written with a comma/);
    expectCode(() => parseCsvMatrix('0,25\n0,75\n', { role: 'probs' }), 'E_FORMAT');
    // labels (one-hot 0/1 rows) and explicit --header no are read as they are
    expect(parseCsvMatrix('0,1\n1,0\n', { role: 'labels' }).rows).toBe(2);
    expect(parseCsvMatrix('1,50\n2,25\n', { role: 'logits', header: 'no' }).data).toEqual(new Float64Array([1, 50, 2, 25]));
    // semicolon-separated decimal-comma cells: the fix says so
    const s = expectCode(() => parseCsvMatrix('0,25;0,75\n0,5;0,5\n', { role: 'probs', header: 'no' }), 'E_FORMAT');
    expect(s.fix).toMatch(/comma as decimal mark/);
  });
});

describe('CSV guessing at the CLI', () => {
  it('C7: evaluate with a typo in the first row exits 2 with one line naming the file, line and --header', async () => {
    fs.writeFileSync(at('p.csv'), '0.1,0.2x,0.7\n0.3,0.3,0.4\n');
    fs.writeFileSync(at('y.csv'), '0\n1\n');
    const io = memoryIo();
    expect(await runCli(['evaluate', '--probs', at('p.csv'), '--labels', at('y.csv'), '--quiet'], io)).toBe(2);
    expect(io.err()).toMatch(/^calibra: E_FORMAT: .*p\.csv: line 1, column 2: .*\(fix: pass --header yes .*\)\n$/);
    const ok = memoryIo();
    fs.writeFileSync(at('p2.csv'), 'a,b,c\n0.1,0.2,0.7\n0.3,0.3,0.4\n');
    expect(await runCli(['evaluate', '--probs', at('p2.csv'), '--labels', at('y.csv'), '--header', 'auto', '--quiet'], ok)).toBe(0);
    const bad = memoryIo();
    expect(await runCli(['evaluate', '--probs', at('p2.csv'), '--labels', at('y.csv'), '--header', 'maybe'], bad)).toBe(2);
    expect(bad.err()).toMatch(/^calibra: E_USAGE: calibra evaluate: --header "maybe" is not valid/);
  });
  it('C7b: a pandas-written file (index column) evaluates as K classes, not K+1', async () => {
    fs.writeFileSync(at('pd.csv'), ',0,1,2\n0,0.1,0.2,0.7\n1,0.3,0.3,0.4\n');
    const io = memoryIo();
    expect(await runCli(['evaluate', '--probs', at('pd.csv'), '--labels', at('y.csv'), '--format', 'json', '--quiet'], io)).toBe(0);
    expect(io.out()).toMatch(/"classes": 3/);
  });
  it('C8: a text file over the longest string Node can hold is refused before it is read', () => {
    const big = at('big.csv');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_TEXT_BYTES + 1); // sparse: no disk used
    const e = expectCode(() => loadLogits(big, { maxBytes: 2 ** 33 }), 'E_TOO_LARGE');
    expect(formatError(e)).toMatch(/big\.csv: the text file is 536870889 bytes, over the 536870888 bytes \(512 MiB, the longest string Node can hold\)/);
    fs.unlinkSync(big);
  });
});

describe('F8: header guessing fuzz', () => {
  const word = fc.stringMatching(/^[a-z_][a-z0-9_ ]{0,8}$/).filter((w) => parseCsvNumber(w) === undefined && w.trim() !== '');
  const cell = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((v) => String(v));
  it('auto never drops a data row silently: a guessed header is text only, or the file is refused', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 }), fc.boolean(), fc.nat(), fc.option(word, { nil: undefined }), (cols, rows, withHeader, seed, typo) => {
      const grid = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => String(((seed + r * 7 + c * 13) % 97) / 10 - 3.3)));
      if (typo !== undefined) (grid[0] as string[])[seed % cols] = typo; // a typo somewhere in the first data row
      const names = Array.from({ length: cols }, (_, c) => `c${c}`);
      const text = `${withHeader ? `${names.join(',')}\n` : ''}${grid.map((r) => r.join(',')).join('\n')}\n`;
      let m;
      try {
        m = parseCsvMatrix(text, { role: 'labels' });
      } catch (e) {
        if (!(e instanceof CalibraError)) throw e;
        // refusing is allowed only when something is wrong or ambiguous
        expect(typo !== undefined || (!withHeader && cols >= 3), `${text} -> ${e.message}`).toBe(true);
        return;
      }
      if (m.header !== null) for (const h of m.header) expect(parseCsvNumber(h)).toBeUndefined();
      // every row of numbers is kept
      const dataRows = rows - (typo !== undefined && !withHeader && cols === 1 ? 1 : 0);
      expect(m.rows, text).toBe(dataRows);
      if (withHeader) expect(m.header).toEqual(names);
    }), { seed: 42, numRuns: 300, endOnFailure: true });
  });
  it('with random cells the three modes agree on the data rows they keep', () => {
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 2, maxLength: 6 }), (grid) => {
      const text = grid.map((r) => r.join(',')).join('\n');
      const no = parseCsvMatrix(text, { header: 'no' });
      const auto = parseCsvMatrix(text, { header: 'auto' });
      expect(auto.data).toEqual(no.data);
      expect(parseCsvMatrix(text, { header: 'yes' }).rows).toBe(no.rows - 1);
    }), { seed: 42, numRuns: 200, endOnFailure: true });
  });
});
