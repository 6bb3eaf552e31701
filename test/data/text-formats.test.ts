import { describe, expect, it } from 'vitest';
import { formatCsvMatrix, parseCsvMatrix, parseCsvNumber } from '../../src/data/csv.js';
import { formatJsonMatrix, parseJsonArray } from '../../src/data/json.js';
import { expectCode } from './helpers.js';

describe('parseCsvMatrix', () => {
  it('reads a matrix without a header', () => {
    const m = parseCsvMatrix('1,2,3\n4,5,6\n');
    expect([m.rows, m.cols, m.header]).toEqual([2, 3, null]);
    expect(Array.from(m.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('detects a header (any non-numeric cell in the first row), a BOM, CRLF, quotes and blank lines', () => {
    const m = parseCsvMatrix('\ufeff"class 0",c1\r\n0.25,"0.75"\r\n\r\n1e-3,-.5\r\n');
    expect(m.header).toEqual(['class 0', 'c1']);
    expect(Array.from(m.data)).toEqual([0.25, 0.75, 1e-3, -0.5]);
    expect(Array.from(m.lines)).toEqual([2, 4]);
  });
  it('parses nan/inf spellings so the logits check can name their position', () => {
    expect(['nan', 'NaN', 'inf', '-Infinity', '+inf'].map(parseCsvNumber)).toEqual([NaN, NaN, Infinity, -Infinity, Infinity]);
    expect(['', '1,2', '0x10', '1e', 'abc', '--1'].map(parseCsvNumber)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
  });
  it('refuses ragged rows naming the line (E_SHAPE)', () => {
    const e = expectCode(() => parseCsvMatrix('1,2\n3,4\n5\n', { source: 'x.csv' }), 'E_SHAPE');
    expect([e.source, e.where]).toEqual(['x.csv', 'line 3']);
  });
  it('refuses non-numeric cells naming line and column (E_FORMAT)', () => {
    const e = expectCode(() => parseCsvMatrix('a,b\n1,2\n3,oops\n', { source: 'x.csv' }), 'E_FORMAT');
    expect(e.where).toBe('line 3, column 2');
  });
  it('refuses empty files and header-only files (E_EMPTY) and unterminated quotes', () => {
    expectCode(() => parseCsvMatrix(''), 'E_EMPTY');
    expectCode(() => parseCsvMatrix('a,b\n'), 'E_EMPTY');
    expectCode(() => parseCsvMatrix('"a,b\n'), 'E_FORMAT');
  });
  it('formatCsvMatrix round-trips doubles exactly', () => {
    const data = new Float64Array([Math.PI, -1e-310, 1 / 3, 5e300, 0.1 + 0.2, -7]);
    const back = parseCsvMatrix(formatCsvMatrix({ data, rows: 2, cols: 3 }, { header: ['a', 'b,"c"', 'd'] }));
    expect(back.header).toEqual(['a', 'b,"c"', 'd']);
    expect(back.data).toEqual(data);
  });
});

describe('parseJsonArray', () => {
  it('reads arrays of rows, flat vectors and keyed objects', () => {
    expect(parseJsonArray('[[1,2],[3,4]]')).toEqual({ shape: [2, 2], data: new Float64Array([1, 2, 3, 4]) });
    expect(parseJsonArray('[0,2,1]')).toEqual({ shape: [3], data: new Float64Array([0, 2, 1]) });
    const both = '{"logits": [[1, 2]], "labels": [1]}';
    expect(parseJsonArray(both, { key: 'labels' }).shape).toEqual([1]);
    expect(parseJsonArray(both, { key: 'logits' }).shape).toEqual([1, 2]);
    expect(parseJsonArray('{"probs": [[0.5, 0.5]]}').shape).toEqual([1, 2]);
  });
  it('refuses ragged rows (E_SHAPE) and non-numbers naming row and column (E_FORMAT)', () => {
    expect(expectCode(() => parseJsonArray('[[1,2],[3]]', { source: 'l.json' }), 'E_SHAPE').where).toBe('[1]');
    expect(expectCode(() => parseJsonArray('{"logits": [[1,2],[3,null]]}', { source: 'l.json', key: 'logits' }), 'E_FORMAT').where).toBe('"logits"[1][1] (row 1, column 1)');
  });
  it('refuses invalid JSON, empty input, missing keys and ambiguous objects', () => {
    expectCode(() => parseJsonArray('[[1,2]'), 'E_FORMAT');
    expectCode(() => parseJsonArray('  '), 'E_EMPTY');
    expectCode(() => parseJsonArray('[]'), 'E_EMPTY');
    expectCode(() => parseJsonArray('{"x": [1]}'), 'E_FORMAT');
    expectCode(() => parseJsonArray('{"logits": [[1]], "probs": [[1]]}'), 'E_FORMAT');
    expectCode(() => parseJsonArray('{"logits": [[1]]}', { key: 'labels' }), 'E_FORMAT');
  });
  it('formatJsonMatrix round-trips doubles exactly and refuses non-finite values', () => {
    const data = new Float64Array([Math.PI, -1e-310, 1 / 3, 5e300]);
    expect(parseJsonArray(formatJsonMatrix({ data, rows: 2, cols: 2 })).data).toEqual(data);
    expect(expectCode(() => formatJsonMatrix({ data: new Float64Array([1, NaN]), rows: 1, cols: 2 }), 'E_NON_FINITE').where).toBe('row 0, column 1');
  });
});
