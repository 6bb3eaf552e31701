/**
 * calibra report --table --by: the slice table holds exactly the numbers of `calibra evaluate --table --by
 * --format json` on the same data, ranked worst first by ECE; one diagram per drawn slice (the whole
 * table's first, at most --max-slices more, the omitted ones counted); the diagrams' bins (pushed-down
 * per-bin sums) equal the in-memory `reliabilityBins` of each slice's rows; bad columns fail with the
 * messages of evaluate --table.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { reliabilityBins } from '../../src/metrics/binning.js';
import { evaluateTable } from '../../src/tables/evaluate-table.js';
import { makeFixture, writeJsonl, type Fixture } from './fixture.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-tables-report-'));
const jsonl = path.join(dir, 'log.jsonl');
const f: Fixture = makeFixture(1800, 4, 23);

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

interface JsonDoc { n: number; metrics: Record<string, number | null>; slices: Array<{ key: Record<string, unknown>; n: number; metrics: Record<string, number | null> }> }
interface HtmlRow { rank: number; key: unknown[]; n: number; values: Record<string, number | null> }

/** The slice-table rows of a report (data-rank rows), with their full-precision values. */
function htmlRows(html: string): HtmlRow[] {
  const rows: HtmlRow[] = [];
  for (const m of html.matchAll(/<tr[^>]* data-rank="(\d+)" data-key="([^"]*)">(.*?)<\/tr>/g)) {
    const cells = [...(m[3] as string).matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1] as string);
    const values: Record<string, number | null> = {};
    for (const c of (m[3] as string).matchAll(/data-id="([^"]+)" data-value="([^"]*)"/g)) values[c[1] as string] = c[2] === '' ? null : Number(c[2]);
    const key = JSON.parse((m[2] as string).replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as unknown[];
    rows.push({ rank: Number(m[1]), key, n: Number(cells[1 + key.length]), values });
  }
  return rows;
}

const TOP = ['--table', jsonl, '--label-col', 'label', '--confidence-col', 'conf', '--pred-col', 'pred'];

beforeAll(() => writeJsonl(f, jsonl));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('calibra report --table --by', () => {
  it('--format json prints the evaluate --table --format json document, the ranking worst first and the files written', async () => {
    const metrics = 'ece,accuracy,mce';
    const out = path.join(dir, 'rj.html');
    const r = await cli(['report', ...TOP, '--by', 'region', '--metrics', metrics, '--out', out, '--format', 'json', '--quiet']);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as JsonDoc & { out: string; rankedBy: string; worstFirst: number[]; pngs: string[] };
    const ev = JSON.parse((await cli(['evaluate', ...TOP, '--by', 'region', '--metrics', metrics, '--format', 'json'])).out) as JsonDoc;
    // the same numbers to 1e-12 relative (DuckDB sums in parallel, so the last bit may differ between queries)
    const same = (a: Record<string, number | null>, b: Record<string, number | null>): void => {
      expect(Object.keys(a)).toEqual(Object.keys(b));
      for (const k of Object.keys(b)) expect(Math.abs((a[k] as number) - (b[k] as number)), k).toBeLessThanOrEqual(1e-12 * Math.abs(b[k] as number));
    };
    same(doc.metrics, ev.metrics);
    expect(doc.slices.map((x) => [x.key, x.n])).toEqual(ev.slices.map((x) => [x.key, x.n]));
    doc.slices.forEach((x, i) => same(x.metrics, (ev.slices[i] as JsonDoc['slices'][number]).metrics));
    expect(doc.out).toBe(out);
    expect(doc.rankedBy).toBe('ece');
    expect(fs.existsSync(out)).toBe(true);
    // worst first: the slices' ECE read in that order never increases
    const eces = doc.worstFirst.map((i) => doc.slices[i]?.metrics['ece'] as number);
    expect(eces.length).toBe(doc.slices.length);
    for (let i = 1; i < eces.length; i++) expect(eces[i] as number).toBeLessThanOrEqual(eces[i - 1] as number);
  });

  it('the slice table equals evaluate --table --format json, ranked by ECE worst first; one diagram per drawn slice', async () => {
    const metrics = 'ece,accuracy,mce,auroc,ece_em';
    const out = path.join(dir, 'r1.html');
    const r = await cli(['report', ...TOP, '--by', 'region,day', '--metrics', metrics, '--max-slices', '5', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const ev = await cli(['evaluate', ...TOP, '--by', 'region,day', '--metrics', metrics, '--format', 'json']);
    expect(ev.code, ev.err).toBe(0);
    const doc = JSON.parse(ev.out) as JsonDoc;
    const html = fs.readFileSync(out, 'utf8');
    const rows = htmlRows(html);
    expect(doc.slices.length).toBe(12);
    expect(rows.length).toBe(12);
    // every slice once, with the same n and the same values, bit for bit
    const byKey = new Map(doc.slices.map((s) => [JSON.stringify([s.key['region'], s.key['day']]), s]));
    for (const row of rows) {
      const s = byKey.get(JSON.stringify(row.key));
      expect(s, JSON.stringify(row.key)).toBeDefined();
      expect(row.n).toBe(s?.n);
      // two runs of the engine: DuckDB's parallel SUMs may differ in the last bit between runs, so 1e-12 relative
      expect(Object.keys(row.values)).toEqual(Object.keys(s?.metrics ?? {}));
      for (const [id, v] of Object.entries(row.values)) {
        const w = s?.metrics[id] as number;
        expect(Math.abs((v as number) - w), `${id}: report ${v} vs evaluate ${w}`).toBeLessThanOrEqual(1e-12 * Math.abs(w));
      }
    }
    expect(new Set(rows.map((x) => JSON.stringify(x.key))).size).toBe(12);
    // ranked by ECE descending, ranks 1..12
    expect(rows.map((x) => x.rank)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    const eces = rows.map((x) => x.values['ece'] as number);
    for (let i = 1; i < eces.length; i++) expect(eces[i] as number).toBeLessThan(eces[i - 1] as number);
    const want = [...doc.slices].sort((a, b) => (b.metrics['ece'] as number) - (a.metrics['ece'] as number)).map((s) => [s.key['region'], s.key['day']]);
    expect(rows.map((x) => x.key)).toEqual(want);
    // the whole table's row
    const overall = /<tr class="overall">(.*?)<\/tr>/.exec(html)?.[1] ?? '';
    const overallEce = Number(/data-id="ece" data-value="([^"]+)"/.exec(overall)?.[1]);
    expect(Math.abs(overallEce - (doc.metrics['ece'] as number))).toBeLessThanOrEqual(1e-12 * overallEce);
    expect(overall).toContain('<td>1800</td>');
    // one diagram for the whole table and for each of the 5 worst slices, worst first; 7 counted as omitted
    const figures = [...html.matchAll(/<figure class="slice-diagram" data-slice="([^"]*)"><svg /g)].map((m) => m[1]);
    const label = (k: unknown[]): string => `region=${String(k[0])}, day=${String(k[1])}`;
    expect(figures).toEqual(['', ...rows.slice(0, 5).map((x) => label(x.key))]);
    expect(html.match(/<svg /g)?.length).toBe(6);
    expect(html).toContain('7 slices not drawn (raise --max-slices');
    expect(html).toContain(`Worst slice: <strong>${label(rows[0]?.key ?? [])}</strong>`);
    // terminal summary: the whole table, then the worst first
    expect(r.out.split('\n')[0]).toBe('12 slices by region, day, worst first by ece (top 10 shown)');
    expect(r.out).toMatch(new RegExp(`^\\s+1  ${label(rows[0]?.key ?? []).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s`, 'm'));
  }, 60000);

  it('the diagrams are the pushed-down bins: equal to reliabilityBins over each slice\'s rows (the SVG describes them)', async () => {
    const r = await evaluateTable({ table: jsonl, label: 'label', input: { kind: 'probs', column: 'probs' }, by: ['region'], where: null, ids: ['ece'], explicit: new Set(), edges: 'right', memoryMb: 256, diagramBins: 10 });
    const k = f.probs.cols;
    const slice = (keep: (i: number) => boolean): { conf: Float64Array; correct: Uint8Array } => {
      const conf: number[] = []; const correct: number[] = [];
      for (let i = 0; i < f.probs.rows; i++) {
        if (!keep(i)) continue;
        let best = 0;
        for (let j = 1; j < k; j++) if ((f.probs.data[i * k + j] as number) > (f.probs.data[i * k + best] as number)) best = j;
        conf.push(f.probs.data[i * k + best] as number); correct.push(best === f.labels[i] ? 1 : 0);
      }
      return { conf: Float64Array.from(conf), correct: Uint8Array.from(correct) };
    };
    const check = (got: readonly { count: number; meanConfidence: number; accuracy: number }[] | undefined, keep: (i: number) => boolean): void => {
      const s = slice(keep);
      const want = reliabilityBins(s.conf, s.correct, { bins: 10, scheme: 'equal-width' });
      expect(got?.length).toBe(10);
      want.forEach((w, b) => {
        const g = got?.[b];
        expect(g?.count, `bin ${b}`).toBe(w.count);
        if (w.count === 0) { expect(Number.isNaN(g?.meanConfidence)).toBe(true); return; }
        expect(Math.abs((g?.meanConfidence as number) - w.meanConfidence)).toBeLessThanOrEqual(1e-12 * w.meanConfidence);
        expect(Math.abs((g?.accuracy as number) - w.accuracy)).toBeLessThanOrEqual(1e-12);
      });
    };
    check(r.bins, () => true);
    expect(r.slices?.map((s) => s.key['region'])).toEqual(['ap', 'eu', 'us']);
    for (const s of r.slices ?? []) check(s.bins, (i) => f.region[i] === s.key['region']);

    // the report's SVG of a slice is the reliability chart of those bins: its <desc> lists them
    const out = path.join(dir, 'r2.html');
    const c = await cli(['report', '--table', jsonl, '--label-col', 'label', '--probs-col', 'probs', '--by', 'region', '--bins', '10', '--metrics', 'ece', '--out', out]);
    expect(c.code, c.err).toBe(0);
    const html = fs.readFileSync(out, 'utf8');
    const eu = r.slices?.find((s) => s.key['region'] === 'eu');
    const fig = new RegExp('<figure class="slice-diagram" data-slice="region=eu"><svg [^>]*><title>[^<]*</title><desc>([^<]*)</desc>').exec(html);
    const nonEmpty = (eu?.bins ?? []).filter((b) => b.count > 0);
    expect(fig?.[1]).toMatch(new RegExp(`^Binned reliability diagram over 10 bins \\(${nonEmpty.length} non-empty, ${eu?.n} samples\\)\\. `));
    for (const b of nonEmpty) expect(fig?.[1]).toContain(`n=${b.count}, confidence ${b.meanConfidence.toFixed(3).replace(/\.?0+$/, '')}`);
    // no --by: one diagram (the whole table), no slice table rows
    const one = path.join(dir, 'r3.html');
    expect((await cli(['report', ...TOP, '--metrics', 'ece', '--out', one])).code).toBe(0);
    const h1 = fs.readFileSync(one, 'utf8');
    expect(h1.match(/<figure class="slice-diagram"/g)?.length).toBe(1);
    expect(htmlRows(h1).length).toBe(0);
  }, 60000);

  it('bad columns fail with the messages of evaluate --table; file options do not go with --table', async () => {
    const out = path.join(dir, 'bad.html');
    for (const bad of [['--by', 'nope'], ['--label-col', 'nope'], ['--where', 'conf >>> 1']]) {
      const argv = [...TOP, '--by', 'region', '--metrics', 'ece'];
      const i = argv.indexOf(bad[0] as string);
      if (i < 0) argv.push(...bad); else argv[i + 1] = bad[1] as string;
      const rep = await cli(['report', ...argv, '--out', out]);
      const ev = await cli(['evaluate', ...argv]);
      expect(rep.code).toBe(2);
      expect(ev.code).toBe(2);
      expect(rep.err).toBe(ev.err);
      expect(rep.err.split('\n').length).toBe(2);
      expect(fs.existsSync(out)).toBe(false);
    }
    const methods = await cli(['report', ...TOP, '--methods', 'ts', '--out', out]);
    expect(methods.code).toBe(2);
    expect(methods.err).toMatch(/--methods does not go with --table/);
    const noTable = await cli(['report', '--val-logits', 'a.npy', '--by', 'region', '--out', out]);
    expect(noTable.code).toBe(2);
    expect(noTable.err).toMatch(/--by needs --table/);
    const topOnly = await cli(['report', ...TOP, '--metrics', 'ece,brier', '--out', out]);
    expect(topOnly.code).toBe(2);
    expect(topOnly.err).toMatch(/brier needs the probability of every class/);
  }, 60000);
});
