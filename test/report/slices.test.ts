/**
 * The slices section (src/report/html-slices.ts) on synthetic per-slice data: the worst-first order (NaN
 * last, ties stable, higher-is-better ids ascending), the cap on diagrams with the omitted count, every
 * slice in the table (rows past the open ones collapsed), escaping of slice keys, and the diagram of a
 * slice being the reliability chart of its bins.
 */
import { describe, expect, it } from 'vitest';
import { rankSlices, sliceLabel, slicesSection, type SliceRow } from '../../src/report/html-slices.js';
import { renderSliceReport } from '../../src/report/html-slice-report.js';
import { reliabilityDiagramSvg } from '../../src/report/charts/reliability.js';
import type { BinRecord } from '../../src/metrics/binning.js';

const bins = (acc: number): BinRecord[] => [
  { lo: 0, hi: 0.5, count: 10, meanConfidence: 0.4, accuracy: Math.max(0, acc - 0.3) },
  { lo: 0.5, hi: 1, count: 30, meanConfidence: 0.8, accuracy: acc },
];
const row = (key: SliceRow['key'], ece: number, accuracy = 0.7, n = 40): SliceRow => ({ key, n, metrics: { ece, accuracy }, bins: bins(accuracy) });

describe('rankSlices', () => {
  it('orders worst first: descending ECE, NaN last, ties in input order; ascending for accuracy', () => {
    const s = [row({ g: 'a' }, 0.1, 0.9), row({ g: 'b' }, Number.NaN, 0.5), row({ g: 'c' }, 0.3, 0.6), row({ g: 'd' }, 0.1, 0.7), row({ g: 'e' }, 0.2, 0.8)];
    expect(rankSlices(s, 'ece')).toEqual([2, 4, 0, 3, 1]);
    expect(rankSlices(s, 'accuracy')).toEqual([1, 2, 3, 4, 0]);
  });
});

describe('slicesSection', () => {
  const many = Array.from({ length: 200 }, (_, i) => row({ region: `r${i}`, day: i % 7 === 0 ? null : i % 7 }, ((i * 37) % 200) / 1000));
  const overall = row({}, 0.05, 0.7, 8000);

  it('draws the whole table and the N worst slices, counts the omitted ones, lists all 200 in the table', () => {
    const sec = slicesSection({ by: ['region', 'day'], ids: ['ece', 'accuracy'], overall, slices: many, maxDiagrams: 5, openRows: 50 });
    expect(sec.omitted).toBe(195);
    expect(sec.charts.length).toBe(6);
    expect(sec.charts[0]?.name).toBe('slice-all');
    const worst = sec.order.slice(0, 5).map((i) => many[i] as SliceRow);
    expect(worst.map((s) => s.metrics['ece'])).toEqual([0.199, 0.198, 0.197, 0.196, 0.195]);
    const figures = [...sec.html.matchAll(/<figure class="slice-diagram" data-slice="([^"]*)">/g)].map((m) => m[1]);
    expect(figures).toEqual(['', ...worst.map((s) => sliceLabel(s.key, ['region', 'day']))]);
    expect(sec.html.match(/<svg /g)?.length).toBe(6);
    expect(sec.html).toContain('200 slices; diagrams of the whole table and the 5 worst by ece; 195 slices not drawn');
    // 50 rows open, 150 in the collapsed block, ranks 1..200 once each
    const [open, rest] = sec.html.split('<details class="slice-rest">');
    expect(open?.match(/data-rank="/g)?.length).toBe(50);
    expect(rest?.match(/data-rank="/g)?.length).toBe(150);
    expect(rest).toContain('<summary>150 more slices (ranks 51–200)</summary>');
    const ranks = [...sec.html.matchAll(/data-rank="(\d+)"/g)].map((m) => Number(m[1]));
    expect(ranks).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    // NULL key shown as NULL
    expect(sec.html).toMatch(/data-key="\[&quot;r0&quot;,null\]"><td>\d+<\/td><td class="name">r0<\/td><td class="name">NULL<\/td>/);
  });

  it('a slice diagram is the reliability chart of its bins, titled by rank and key, annotated with ECE and n', () => {
    const sec = slicesSection({ by: ['g'], ids: ['ece', 'accuracy'], overall, slices: [row({ g: 'x' }, 0.1), row({ g: 'y' }, 0.3, 0.5)] });
    expect(sec.charts[1]?.svg).toBe(reliabilityDiagramSvg(bins(0.5), { title: '#1 g=y', annotation: 'ece 0.3000 · n 40' }));
    expect(sec.charts[2]?.name).toBe('slice-2-g_x');
    expect(sec.omitted).toBe(0);
    expect(sec.html).toContain('diagrams of the whole table and every slice');
  });

  it('escapes keys and refuses a ranking metric that is not a column', () => {
    const sec = slicesSection({ by: ['g'], ids: ['ece'], overall, slices: [row({ g: '<b>"x"' }, 0.1)] });
    expect(sec.html).not.toContain('<b>"x"');
    expect(sec.html).toContain('g=&lt;b&gt;&quot;x&quot;');
    expect(() => slicesSection({ by: ['g'], ids: ['accuracy'], overall, slices: [] })).toThrow(/ranked by ece, which is not one of the metrics/);
  });

  it('the page: header, section, definitions; the terminal summary lists the worst first', () => {
    const r = renderSliceReport({ title: 'logs', subtitle: 'sub', by: ['region', 'day'], ids: ['ece', 'accuracy'], overall, slices: many, maxDiagrams: 3, bins: 2, edges: 'right' });
    expect(r.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(r.html).toContain('<h1>logs</h1>');
    expect(r.html).toContain('id="definitions"');
    expect(r.html).not.toMatch(/\ssrc=|href="https?:|@import|url\(/);
    expect(r.charts.length).toBe(4);
    const lines = r.summaryText.trimEnd().split('\n');
    expect(lines[0]).toBe('200 slices by region, day, worst first by ece (top 10 shown)');
    expect(lines[2]).toMatch(/^\s+all rows\s+8000\s+0\.0500$/);
    expect(lines[3]).toMatch(/^\s+1\s+region=r\d+, day=\S+\s+40\s+0\.1990$/);
    expect(lines.length).toBe(13);
  });
});
