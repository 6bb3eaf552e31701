import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { encodeNpy, parseNpy } from '../../src/data/npy.js';
import { saveViewsFile } from '../../src/data/files.js';
import { loadModelJson } from '../../src/calibrators/core/model-file.js';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import { softmax } from '../../src/math/softmax.js';
import { npyFloat64Header } from '../../src/cli/commands/calibration-io.js';
import { defaultEntries, parseEntry } from '../../src/cli/commands/compare.js';
import { syntheticLogits } from '../calibrators/binning-fixtures.js';
import type { Matrix } from '../../src/math/matrix.js';

let dir = '';
const val = syntheticLogits(300, 4, 5);
const test = syntheticLogits(101, 4, 6);
const f = (name: string): string => path.join(dir, name);
function saveNpy(name: string, m: Matrix): void { fs.writeFileSync(f(name), encodeNpy({ shape: [m.rows, m.cols], data: m.data })); }
/** Reads a .npy output; copies the Buffer first (a pooled Node Buffer's slice() shares memory). */
function readNpy(name: string): Float64Array { const a = parseNpy(new Uint8Array(fs.readFileSync(f(name)))); if (a.kind !== 'numeric') throw new Error('not numeric'); return a.data as Float64Array; }
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}
function views(m: Matrix<Float64Array>): { names: string[]; logits: Matrix<Float64Array>[] } {
  const names = ['rotation', 'greyscale', 'colorjitter'];
  return { names, logits: names.map((_, v) => ({ data: m.data.map((z, i) => 0.5 * z + Math.sin(i * 0.9 + v)), rows: m.rows, cols: m.cols })) };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-h4-cli-'));
  saveNpy('val-logits.npy', val.logits);
  saveNpy('test-logits.npy', test.logits);
  fs.writeFileSync(f('val-labels.npy'), encodeNpy({ shape: [300], data: val.labels }));
  fs.writeFileSync(f('test-labels.npy'), encodeNpy({ shape: [101], data: test.labels }));
  saveNpy('test-probs.npy', softmax(test.logits));
  saveNpy('val-probs.npy', softmax(val.logits));
  saveViewsFile(f('val-views.npz'), { original: val.logits, views: views(val.logits), labels: val.labels });
  saveViewsFile(f('test-views.npz'), { original: test.logits, views: views(test.logits), labels: test.labels });
});
afterAll(() => { fs.rmSync(dir, { recursive: true, force: true }); });

describe('calibra fit / apply', () => {
  it('fit writes a model whose apply output equals the in-memory prediction bit for bit', async () => {
    const r = await cli('fit', '--method', 'isotonic', '--logits', f('val-logits.npy'), '--labels', f('val-labels.npy'), '--out', f('iso.json'), '--quiet');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('wrote');
    const a = await cli('apply', '--model', f('iso.json'), '--logits', f('test-logits.npy'), '--out', f('iso-probs.npy'), '--quiet');
    expect(a.code, a.err).toBe(0);
    const want = getCalibrator('isotonic').fit(val, {}, { seed: 0 }).model.predictProba({ logits: test.logits });
    expect(Array.from(readNpy('iso-probs.npy'))).toEqual(Array.from(want.data));
  });
  it('streams in chunks to the same bytes as the in-memory output, with the same .npy header as encodeNpy', async () => {
    const a = await cli('apply', '--model', f('iso.json'), '--logits', f('test-logits.npy'), '--out', f('iso-stream.npy'), '--chunk-rows', '7', '--quiet');
    expect(a.code, a.err).toBe(0);
    expect(a.out).toContain('streamed');
    expect(Buffer.compare(fs.readFileSync(f('iso-stream.npy')), fs.readFileSync(f('iso-probs.npy')))).toBe(0);
    expect(Array.from(npyFloat64Header([3, 2]))).toEqual(Array.from(encodeNpy({ shape: [3, 2], data: new Float64Array(6) }).subarray(0, 128)).slice(0, npyFloat64Header([3, 2]).length));
    expect(fs.readdirSync(dir).filter((n) => n.includes('calibra-tmp'))).toEqual([]);
  });
  it('takes probabilities as ln p and options with --option', async () => {
    const r = await cli('fit', '--method', 'histogram', '--probs', f('val-probs.npy'), '--labels', f('val-labels.npy'), '--out', f('hb.json'), '--option', 'bins=5', '--option', 'scheme=equal-mass', '--quiet');
    expect(r.code, r.err).toBe(0);
    const model = loadModelJson(fs.readFileSync(f('hb.json'), 'utf8'), 'hb.json');
    expect(model.toJSON().options).toMatchObject({ bins: 5, scheme: 'equal-mass' });
    expect((await cli('apply', '--model', f('hb.json'), '--probs', f('test-probs.npy'), '--out', f('hb-probs.csv'), '--quiet')).code).toBe(0);
    expect(fs.readFileSync(f('hb-probs.csv'), 'utf8').trim().split('\n').length).toBe(101);
  });
  it('exits 2 with one line naming the problem: unknown method, existing output, --temperatures on isotonic, wrong width', async () => {
    const u = await cli('fit', '--method', 'nope', '--logits', f('val-logits.npy'), '--labels', f('val-labels.npy'), '--out', f('x.json'));
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/^calibra: E_OPTION: .*unknown calibration method 'nope' \(fix: did you mean 'none'\? known methods: none, .*isotonic/);
    const e = await cli('fit', '--method', 'isotonic', '--logits', f('val-logits.npy'), '--labels', f('val-labels.npy'), '--out', f('iso.json'), '--quiet');
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/E_EXISTS/);
    const t = await cli('apply', '--model', f('iso.json'), '--logits', f('test-logits.npy'), '--out', f('y.npy'), '--temperatures', f('t.npy'), '--quiet');
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/E_OPTION.*no per-sample temperatures/);
    saveNpy('wide.npy', { data: new Float64Array(15), rows: 3, cols: 5 });
    const w = await cli('apply', '--model', f('iso.json'), '--logits', f('wide.npy'), '--out', f('w.npy'), '--quiet');
    expect(w.code).toBe(2);
    expect(w.err).toMatch(/E_SHAPE/);
    const w2 = await cli('apply', '--model', f('iso.json'), '--logits', f('wide.npy'), '--out', f('w.npy'), '--chunk-rows', '2', '--quiet');
    expect(w2.err).toMatch(/E_SHAPE/);
    fs.writeFileSync(f('v2.json'), fs.readFileSync(f('iso.json'), 'utf8').replace('"version": 1', '"version": 2'));
    const v = await cli('apply', '--model', f('v2.json'), '--logits', f('test-logits.npy'), '--out', f('z.npy'));
    expect(v.code).toBe(2);
    expect(v.err).toMatch(/^calibra: E_MODEL_VERSION: .*v2\.json: field 'version'/);
    expect(fs.existsSync(f('y.npy')) || fs.existsSync(f('z.npy')) || fs.existsSync(f('w.npy'))).toBe(false);
  });
  it('fits ca from a views file with the CLI flags mapped to its options, and applies it with temperatures', async () => {
    const r = await cli('fit', '--method', 'ca', '--views', f('val-views.npz'), '--mode', 'faithful', '--loss', 'ce', '--views-used', 'rotation,greyscale', '--out', f('ca.json'), '--seed', '3', '--quiet');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(fs.readFileSync(f('ca.json'), 'utf8')) as { options: Record<string, unknown>; seed: number };
    expect(json.options).toMatchObject({ mode: 'faithful', loss: 'ce' });
    expect(JSON.stringify(json.options['viewsUsed'])).toContain('greyscale');
    const a = await cli('apply', '--model', f('ca.json'), '--views', f('test-views.npz'), '--out', f('ca-probs.npy'), '--temperatures', f('ca-t.npy'), '--quiet');
    expect(a.code, a.err).toBe(0);
    expect(readNpy('ca-t.npy').length).toBe(101);
    const noViews = await cli('apply', '--model', f('ca.json'), '--logits', f('test-logits.npy'), '--out', f('ca2.npy'));
    expect(noViews.code).toBe(2);
    expect(noViews.err).toMatch(/E_USAGE.*views/);
  });
  it('robust ca prints its diagnostics line on stderr and stores them in the model (the same numbers)', async () => {
    const r = await cli('fit', '--method', 'ca', '--views', f('val-views.npz'), '--out', f('ca-robust.json'), '--quiet');
    expect(r.code, r.err).toBe(0);
    const d = (JSON.parse(fs.readFileSync(f('ca-robust.json'), 'utf8')) as { params: { diagnostics: { tMean: number; tP5: number; steps: number; selectedStep: number } } }).params.diagnostics;
    expect(r.err).toContain(`ca: T mean ${d.tMean.toFixed(3)}`);
    expect(r.err).toContain(`p5 ${d.tP5.toFixed(3)}`);
    expect(r.err).toContain(`steps ${d.steps}, selected step ${d.selectedStep}`);
    expect(r.out).not.toContain('ca: T mean');
  });
});

describe('calibra compare', () => {
  it('prints JSON with uncalibrated first and every metric per method; a progress bar goes to stderr', async () => {
    const r = await cli('compare', '--val-logits', f('val-logits.npy'), '--val-labels', f('val-labels.npy'), '--test-logits', f('test-logits.npy'), '--test-labels', f('test-labels.npy'), '--methods', 'none,ts,isotonic,histogram:bins=5;scheme=equal-mass', '--metrics', 'ece,nll,accuracy', '--format', 'json');
    expect(r.code, r.err).toBe(0);
    const res = JSON.parse(r.out) as { methods: { method: string; metrics: Record<string, number> }[] };
    expect(res.methods.map((m) => m.method)).toEqual(['none', 'ts', 'isotonic', 'histogram:bins=5;scheme=equal-mass']);
    for (const m of res.methods) expect(Object.keys(m.metrics).sort()).toEqual(['accuracy', 'ece', 'nll']);
    expect(res.methods[1]?.metrics['accuracy']).toBe(res.methods[0]?.metrics['accuracy']);
    expect(res.methods[1]!.metrics['nll']).toBeLessThan(res.methods[0]!.metrics['nll']!);
    expect(r.err).toMatch(/compare \[/);
  });
  it('prints a table and a Markdown table; views files add ca and its ablations', async () => {
    const t = await cli('compare', '--val-logits', f('val-logits.npy'), '--val-labels', f('val-labels.npy'), '--test-probs', f('test-probs.npy'), '--test-labels', f('test-labels.npy'), '--methods', 'none,irm', '--metrics', 'ece', '--quiet');
    expect(t.code, t.err).toBe(0);
    expect(t.out.split('\n')[0]).toMatch(/^method\s+fit_s\s+ece$/);
    const md = await cli('compare', '--val-views', f('val-views.npz'), '--test-views', f('test-views.npz'), '--methods', 'none,ts,ca:mode=faithful,ca:mode=faithful;viewsUsed=none', '--metrics', 'ece,accuracy', '--format', 'markdown', '--quiet');
    expect(md.code, md.err).toBe(0);
    const lines = md.out.trim().split('\n').filter((l) => l.startsWith('|'));
    expect(md.out).toMatch(/\n> verdict: /);
    expect(lines[0]).toBe('| method | fit_s | ece | accuracy |');
    expect(lines.slice(2).map((l) => l.split('|')[1]?.trim().replace(/ \(not converged\)$/, ''))).toEqual(['none', 'ts', 'ca:mode=faithful', 'ca:mode=faithful;viewsUsed=none']);
    const labels = defaultEntries(true).map((e) => e.label);
    expect(labels[0]).toBe('none');
    expect(labels.slice(-4)).toEqual(['ca', 'ca:loss=ce', 'ca:loss=mse', 'ca:viewsUsed=none']);
    expect(defaultEntries(false).some((e) => e.spec.input === 'views')).toBe(false);
    expect(parseEntry('ca:loss=ce;epochs=5').options).toEqual({ loss: 'ce', epochs: 5 });
  });
  it('reports a method that cannot run (ca without views) as failed and exits 1', async () => {
    const r = await cli('compare', '--val-logits', f('val-logits.npy'), '--val-labels', f('val-labels.npy'), '--test-logits', f('test-logits.npy'), '--test-labels', f('test-labels.npy'), '--methods', 'none,ca', '--metrics', 'ece', '--quiet');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ca failed: needs --val-views/);
    expect(r.out).toMatch(/failed/);
  });
});
