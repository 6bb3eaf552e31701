/**
 * `npm run bench`: times calibra and the Python reference stack (Debian's numpy / scipy / scikit-learn / torch)
 * on the same seeded data in one run, and writes bench/README.md with median times, ratios (calibra / reference),
 * peak memory, agreement of the results, versions, and scaling curves (SVG).
 *
 * Also times every CLI workload as whole processes (start-up, W3-W6; bench/process-plan.ts) next to the
 * in-process rows.
 *
 * Options: --quick (smaller sizes, for a smoke run), --repeats R, --no-scaling, --no-install,
 * --no-process (skip the whole-process rows), --only-process (only them).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeWorkloads } from './generate.js';
import { writeW6Spec } from './w6-spec.js';
import { lineChartSvg, type Series } from './plot.js';
import { processCases, processTable } from './process-plan.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const outDir = join(here, 'out');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const repeatsArg = process.argv.indexOf('--repeats');
const repeats = repeatsArg > 0 ? Number(process.argv[repeatsArg + 1]) : quick ? 1 : 3;
const PY = '/usr/bin/python3';

interface SideResult { workload: string; times_s: number[]; peak_rss_mb: number; result: Record<string, number>; versions?: Record<string, string> }

function ensureReferenceStack(): void {
  if (args.has('--no-install')) return;
  const probe = spawnSync(PY, ['-c', 'import numpy, scipy, sklearn, torch, onnx, torchvision'], { stdio: 'ignore' });
  if (probe.status === 0) return;
  process.stderr.write('bench: installing the reference stack from Debian (python3-numpy python3-scipy python3-sklearn python3-torch python3-onnx python3-torchvision)\n');
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'python3-numpy', 'python3-scipy', 'python3-sklearn', 'python3-torch', 'python3-onnx', 'python3-torchvision'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function runSide(cmd: string, argv: string[]): SideResult {
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env } });
  if (r.status !== 0) throw new Error(`bench: ${cmd} ${argv.join(' ')} failed:\n${r.stderr}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as SideResult;
}

const tsx = join(root, 'node_modules', '.bin', 'tsx');
const calibra = (w: string, dir: string, rep = repeats): SideResult => runSide(tsx, [join(here, 'calibra-side.ts'), w, dir, String(rep)]);
const reference = (w: string, dir: string, rep = repeats): SideResult => runSide(PY, [join(here, 'reference.py'), w, dir, String(rep)]);

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2; };

/** Largest relative difference over the result keys both sides report. */
function agreement(a: Record<string, number>, b: Record<string, number>): string {
  let worst = 0;
  let key = '';
  for (const k of Object.keys(a)) {
    if (!(k in b) || NOT_COMPARED.has(k)) continue;
    const x = a[k] as number, y = b[k] as number;
    const d = Math.abs(x - y) / Math.max(Math.abs(y), 1e-12);
    if (d >= worst) { worst = d; key = k; }
  }
  const base = key === '' ? '—' : `${worst.toExponential(1)} (${key})`;
  const logitDiff = b['max_abs_logit_diff']; // W6: the PyTorch rebuild vs onnxruntime-node on the same images
  return logitDiff === undefined ? base : `${base}; max abs logit diff vs onnxruntime ${logitDiff.toExponential(1)}`;
}

/** Result keys that are measurements, not outputs to compare (W6 throughput). */
const NOT_COMPARED = new Set(['images_per_s']);

/** W6 rows (`calibra views` throughput): two zoo models, original only and original + 3 views. */
function w6Plan(count: number): Array<[string, string, string, string, string]> {
  const rows: Array<[string, string, string, string, string]> = [];
  for (const id of ['fmnist-mlp', 'fmnist-cnn']) {
    const { dir, spec } = writeW6Spec(outDir, root, id, count);
    const data = `${id}.onnx, ${spec.count} Fashion-MNIST test images, batch ${spec.batchSize}`;
    rows.push([`W6 views pipeline, ${id}: original only`, data, 'W6-original', dir, 'W6-original-torch']);
    rows.push([`W6 views pipeline, ${id}: original + ${spec.views.join(', ')}`, data, 'W6-views', dir, 'W6-views-torch']);
  }
  return rows;
}

interface Row { workload: string; data: string; ours: SideResult; ref: SideResult | null; refName: string }

function fmt(s: number): string { return s < 0.01 ? `${(s * 1000).toFixed(2)} ms` : s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`; }

function main(): void {
  ensureReferenceStack();
  mkdirSync(outDir, { recursive: true });
  const sizes = quick ? { n: 5000, k: 100, nIso: 100000, nCa: 5000, kMs: 20 } : { n: 50000, k: 1000, nIso: 1000000, nCa: 50000, kMs: 100 };
  process.stderr.write(`bench: generating workloads in ${outDir}\n`);
  const dirs = writeWorkloads(outDir, sizes);
  const L = dirs[`logits-${sizes.n}x${sizes.k}`] as string;
  const plan: Array<[string, string, string, string, string]> = [
    ['W1 metrics (19 shared ids)', `${sizes.n}×${sizes.k} f32 logits`, 'W1-metrics', L, 'W1-metrics'],
    ['W1 metrics (19 shared ids), 2 worker threads', `${sizes.n}×${sizes.k} f32 logits`, 'W1-metrics-threads', L, 'W1-metrics'],
    ['W1 default preset (21 ids; reference lacks smece, kde_ece)', `${sizes.n}×${sizes.k}`, 'W1-metrics-default', L, 'W1-metrics'],
    ['W2 temperature scaling vs PyTorch L-BFGS (CA paper recipe)', `${sizes.n}×${sizes.k}`, 'W2-ts', L, 'W2-ts-torch'],
    ['W2 temperature scaling vs scipy bounded 1-D', `${sizes.n}×${sizes.k}`, 'W2-ts', L, 'W2-ts-scipy'],
    ['W3 isotonic regression vs scikit-learn', `${sizes.nIso} binary scores`, 'W3-isotonic', dirs[`isotonic-${sizes.nIso}`] as string, 'W3-isotonic'],
    ['W4 CA training, faithful mode, vs PyTorch', `${sizes.nCa}×10, 3 views`, 'W4-ca', dirs[`ca-${sizes.nCa}x10`] as string, 'W4-ca-torch'],
    ['W5 matrix scaling (L2) vs PyTorch L-BFGS', `${sizes.n}×${sizes.kMs}`, 'W5-ms', dirs[`logits-${sizes.n}x${sizes.kMs}`] as string, 'W5-matrix-scaling-torch'],
    ...w6Plan(quick ? 1000 : 10000),
  ];
  const rows: Row[] = [];
  let versions: Record<string, string> = {};
  const onlyProcess = args.has('--only-process');
  for (const [label, data, ours, dir, ref] of onlyProcess ? [] : plan) {
    process.stderr.write(`bench: ${label}\n`);
    // matrix scaling takes minutes per fit in both stacks at this size: one run each
    const rep = ours === 'W5-ms' ? 1 : repeats;
    const o = calibra(ours, dir, rep);
    const r = reference(ref, dir, rep);
    versions = r.versions ?? versions;
    rows.push({ workload: label, data, ours: o, ref: r, refName: ref });
  }
  const scaling = args.has('--no-scaling') || onlyProcess ? null : scalingCurves(quick);
  let processes: string | null = null;
  if (!args.has('--no-process')) {
    const w6 = ['fmnist-mlp', 'fmnist-cnn'].map((id) => { const { dir, spec } = writeW6Spec(outDir, root, id, quick ? 1000 : 10000); return { id, dir, count: spec.count, batch: spec.batchSize }; });
    const cases = processCases(root, outDir, { iso: dirs[`isotonic-${sizes.nIso}`] as string, ca: dirs[`ca-${sizes.nCa}x10`] as string, ms: dirs[`logits-${sizes.n}x${sizes.kMs}`] as string, w6 }, repeats);
    processes = processTable(cases, root, (m) => process.stderr.write(`${m}\n`));
  }
  if (onlyProcess) {
    process.stdout.write(`${processes ?? ''}\n`);
    return;
  }
  writeReport(rows, versions, scaling, sizes, processes);
}

interface Scaling { time: string; memory: string; table: string }

function scalingCurves(small: boolean): Scaling {
  const ns = small ? [1000, 10000] : [1000, 10000, 100000, 1000000];
  const ks = small ? [10, 100] : [10, 100, 1000, 10000];
  const timeSeries: Series[] = [];
  const memSeries: Series[] = [];
  const lines: string[] = ['| workload | size | calibra median | calibra peak RSS | reference median | reference peak RSS |', '|---|---|---|---|---|---|'];
  const sweep = (label: string, sizesList: number[], mk: (x: number) => { dir: string; ours: string; ref: string; size: string }): void => {
    const t: Array<[number, number]> = [], tr: Array<[number, number]> = [], m: Array<[number, number]> = [], mr: Array<[number, number]> = [];
    for (const x of sizesList) {
      const { dir, ours, ref, size } = mk(x);
      process.stderr.write(`bench: scaling ${label} ${size}\n`);
      const o = calibra(ours, dir, 1);
      const r = reference(ref, dir, 1);
      t.push([x, median(o.times_s)]); tr.push([x, median(r.times_s)]);
      m.push([x, o.peak_rss_mb]); mr.push([x, r.peak_rss_mb]);
      lines.push(`| ${label} | ${size} | ${fmt(median(o.times_s))} | ${o.peak_rss_mb.toFixed(0)} MB | ${fmt(median(r.times_s))} | ${r.peak_rss_mb.toFixed(0)} MB |`);
    }
    timeSeries.push({ name: `${label} calibra`, points: t }, { name: `${label} reference`, points: tr, dashed: true });
    memSeries.push({ name: `${label} calibra`, points: m }, { name: `${label} reference`, points: mr, dashed: true });
  };
  const logitsDir = (n: number, k: number): string => writeWorkloads(join(outDir, 'scaling'), { n, k, nIso: 1000, nCa: 1000, kMs: 10 })[`logits-${n}x${k}`] as string;
  sweep('W1 metrics, K=10, N=', ns, (n) => ({ dir: logitsDir(n, 10), ours: 'W1-metrics', ref: 'W1-metrics', size: `${n}×10` }));
  sweep('W1 metrics, N=10⁴, K=', ks, (k) => ({ dir: logitsDir(10000, k), ours: 'W1-metrics', ref: 'W1-metrics', size: `10000×${k}` }));
  sweep('W2 TS, K=10, N=', ns, (n) => ({ dir: logitsDir(n, 10), ours: 'W2-ts', ref: 'W2-ts-torch', size: `${n}×10` }));
  sweep('W3 isotonic, N=', ns, (n) => ({ dir: writeWorkloads(join(outDir, 'scaling'), { n: 1000, k: 10, nIso: n, nCa: 1000, kMs: 10 })[`isotonic-${n}`] as string, ours: 'W3-isotonic', ref: 'W3-isotonic', size: `${n}` }));
  sweep('W4 CA faithful, N=', ns, (n) => ({ dir: writeWorkloads(join(outDir, 'scaling'), { n: 1000, k: 10, nIso: 1000, nCa: n, kMs: 10 })[`ca-${n}x10`] as string, ours: 'W4-ca', ref: 'W4-ca-torch', size: `${n}×10` }));
  const time = lineChartSvg('Median time vs size (log-log; dashed = reference stack)', 'samples or classes', 'seconds', timeSeries);
  const memory = lineChartSvg('Peak resident memory vs size (dashed = reference stack)', 'samples or classes', 'MB', memSeries);
  return { time, memory, table: lines.join('\n') };
}

function writeReport(rows: Row[], versions: Record<string, string>, scaling: Scaling | null, sizes: Record<string, number>, processes: string | null): void {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const table = ['| workload | data | calibra median | reference | reference median | ratio (calibra / ref) | peak RSS calibra / ref | results agree (max rel. diff) |', '|---|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    const o = median(r.ours.times_s);
    const f = r.ref ? median(r.ref.times_s) : Number.NaN;
    const rate = (x: SideResult | null): string => (x?.result['images_per_s'] !== undefined ? ` (${Math.round(x.result['images_per_s']).toLocaleString('en-US')} img/s)` : '');
    table.push(`| ${r.workload} | ${r.data} | ${fmt(o)}${rate(r.ours)} | ${r.refName} | ${fmt(f)}${rate(r.ref)} | **${(o / f).toFixed(2)}** | ${r.ours.peak_rss_mb.toFixed(0)} / ${r.ref?.peak_rss_mb.toFixed(0) ?? '—'} MB | ${r.ref ? agreement(r.ours.result, r.ref.result) : '—'} |`);
  }
  if (scaling) {
    writeFileSync(join(here, 'scaling-time.svg'), scaling.time);
    writeFileSync(join(here, 'scaling-memory.svg'), scaling.memory);
  }
  const notes = readFileSync(join(here, 'NOTES.md'), 'utf8');
  const text = [
    '# calibra benchmarks',
    '',
    'Generated by `npm run bench` (bench/run.ts). Do not edit by hand: edit bench/NOTES.md, which is pasted below the tables.',
    '',
    `- Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${new Date().toISOString().slice(0, 10)}`,
    `- Node ${process.version}, calibra ${pkg.version}; reference: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `- Sizes: ${JSON.stringify(sizes)}; median of ${repeats} runs each (W5: 1 run), every workload in a fresh process (peak RSS = that process's maximum resident set).`,
    '',
    table.join('\n'),
    '',
    ...(processes !== null ? ['## Whole processes', '', 'What a user waits for: each command as separate processes (start-up, imports, reading the files, the work, writing the output) against the reference stack\'s whole process (`bench/reference.py WORKLOAD DIR 1 --whole`: interpreter start, imports, loading, one run), in turn A B A B after one warm-up pair (W5: one pair, no warm-up); wall time from the parent\'s clock, peak RSS from GNU time. The start-up rows compare against bare `node -e 0`.', '', processes, ''] : []),
    ...(scaling ? ['## Scaling', '', '![time](scaling-time.svg)', '', '![memory](scaling-memory.svg)', '', scaling.table, ''] : []),
    notes,
  ].join('\n');
  writeFileSync(join(here, 'README.md'), text);
  process.stderr.write(`bench: wrote ${join(here, 'README.md')}\n`);
}

main();
