/**
 * Multi-seed evidence for correctness-aware calibration (issue 15; docs/ca.md "Evidence"). Seeded, deterministic.
 *
 *   npx tsx scripts/ca-evidence-views.ts --model fmnist-mlp --out-dir /work/scratch/ca/views/fmnist-mlp   # once per model
 *   npx tsx scripts/ca-evidence.ts --experiment design --views-dir /work/scratch/ca/views/fmnist-mlp --out design-mlp.json
 *   npx tsx scripts/ca-evidence.ts --experiment main   --views-dir /work/scratch/ca/views/fmnist-mlp --out main-mlp.json
 *
 * --experiment design: chooses robust mode's settings on CALIBRATION data only. The 10 000 calibration rows are
 *   split: rows 0..4 999 are the pool the calibrators are fitted on (seeded subsamples of --sizes), rows
 *   5 000..9 999 are scored clean (ID) and blurred (cal-defocus_blur-3.npz, a shift that is not a test set).
 * --experiment main: calibrators fitted on seeded subsamples of all 10 000 calibration rows (the full set for
 *   10 000: then only the calibrator seed varies), scored on the test sets (test.npz and every other *.npz
 *   of --views-dir except cal*.npz). Reports mean ± sd over seeds and a paired bootstrap CI (over test rows)
 *   of the seed-mean difference to TS, for ECE (15 bins) and AUROC of confidence for correct-vs-wrong.
 * Options: --seeds N (default 5), --sizes LIST, --methods LIST (ids of METHODS), --replicates B (default 200),
 * --bootstrap LIST (methods that get the CI; default uncal,ca,ca:ce,ca:mse). A method may also be given inline as
 * ca{key=value;...} (e.g. 'ca{loss=ce;seRule=0}').
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { confCorrect, fitMethod, headline, loadSet, meanSd, pairedBootstrap, subsample, subset, weightedAuroc, weightedEce, ascending, type Method, type ViewsSet } from './ca-evidence-lib.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => { const i = argv.indexOf(name); return i >= 0 ? (argv[i + 1] ?? dflt) : dflt; };
const experiment = arg('--experiment', 'main');
const dir = arg('--views-dir', '');
const out = arg('--out', `ca-evidence-${experiment}.json`);
const seeds = Number(arg('--seeds', '5'));
const replicates = Number(arg('--replicates', '200'));
/** Methods whose difference to TS gets the paired bootstrap CI (it dominates the run time); the others report mean ± sd of the per-seed differences. */
const bootstrapIds = arg('--bootstrap', 'uncal,ca,ca:ce,ca:mse').split(',');
if (dir === '') throw new Error('give --views-dir (written by scripts/ca-evidence-views.ts)');

/** Every method the runs know; --methods picks a subset by id. */
const METHODS: Method[] = [
  { id: 'uncal', label: 'uncalibrated' },
  { id: 'ts', label: 'TS' },
  { id: 'ca', label: 'CA robust (default)', options: {} },
  { id: 'ca:ce', label: 'robust, loss=ce', options: { loss: 'ce' } },
  { id: 'ca:mse', label: 'robust, loss=mse', options: { loss: 'mse' } },
  { id: 'ca:balanced', label: 'robust, weighting=balanced', options: { weighting: 'balanced' } },
  { id: 'ca:k1', label: 'robust, k=1', options: { k: 1 } },
  { id: 'ca:k2', label: 'robust, k=2', options: { k: 2 } },
  { id: 'ca:k8', label: 'robust, k=8', options: { k: 8 } },
  { id: 'ca:rotation', label: 'robust, views=rotation', options: { viewsUsed: 'rotation' } },
  { id: 'ca:greyscale', label: 'robust, views=greyscale', options: { viewsUsed: 'greyscale' } },
  { id: 'ca:colorjitter', label: 'robust, views=colorjitter', options: { viewsUsed: 'colorjitter' } },
  { id: 'ca:none', label: 'robust, views=none ("CA only")', options: { viewsUsed: 'none' } },
  { id: 'ca:faithful', label: 'faithful (published loop)', options: { mode: 'faithful' } },
  // design candidates, each one change from the defaults (selection rule, rescale, penalty, budget, learning rate)
  { id: 'resc:none', label: 'robust, rescale=none', options: { rescale: 'none' } },
  { id: 'se:0', label: 'robust, seRule=0 (plain argmin)', options: { seRule: 0 } },
  { id: 'se:2', label: 'robust, seRule=2', options: { seRule: 2 } },
  { id: 'sel:nll', label: 'robust, select=nll', options: { select: 'nll' } },
  { id: 'sel:ece', label: 'robust, select=ece', options: { select: 'ece' } },
  { id: 'sel:none', label: 'robust, select=none (last step)', options: { select: 'none' } },
  { id: 'pen:0', label: 'robust, penalty=0', options: { penalty: 0 } },
  { id: 'pen:1e-3:lr:1e-2', label: 'robust, lr=1e-2, penalty=1e-3', options: { lr: 1e-2, penalty: 1e-3 } },
  { id: 'steps:2000', label: 'robust, steps=2000', options: { steps: 2000 } },
];
const DEFAULT_METHODS: Record<string, string> = {
  design: 'uncal,ts,ca,ca:ce,ca:mse,resc:none,se:0,se:2,sel:nll,sel:ece,sel:none,pen:0,pen:1e-3:lr:1e-2,steps:2000',
  main: 'uncal,ts,ca,ca:ce,ca:mse,ca:balanced,ca:k1,ca:k2,ca:k8,ca:rotation,ca:greyscale,ca:colorjitter,ca:none,ca:faithful',
};
const methodIds = arg('--methods', DEFAULT_METHODS[experiment] ?? DEFAULT_METHODS['main'] as string).split(',');
/** A method id of METHODS, or an inline CA variant `ca{key=value;key=value}` (numbers parsed). */
function methodFor(id: string): Method {
  const inline = /^ca\{(.*)\}$/.exec(id);
  if (inline !== null) {
    const options: Record<string, string | number> = {};
    for (const kv of (inline[1] as string).split(';').filter((x) => x !== '')) { const [k, v] = kv.split('='); options[k as string] = Number.isFinite(Number(v)) ? Number(v) : (v as string); }
    return { id, label: `robust, ${Object.entries(options).map(([k, v]) => `${k}=${v}`).join(', ')}`, options };
  }
  const m = METHODS.find((x) => x.id === id);
  if (m === undefined) throw new Error(`unknown method ${id}`);
  return m;
}
const methods = methodIds.map(methodFor);

const log = (s: string): void => { process.stderr.write(`${s}\n`); };
const cal = loadSet(join(dir, 'cal.npz'));
let pool: Int32Array;
let tests: { id: string; set: ViewsSet }[];
let sizes: number[];
if (experiment === 'design') {
  pool = Int32Array.from({ length: 5000 }, (_, i) => i);
  const evalRows = Int32Array.from({ length: 5000 }, (_, i) => 5000 + i);
  tests = [{ id: 'cal-id', set: subset(cal, evalRows) }, { id: 'cal-defocus_blur-3', set: subset(loadSet(join(dir, 'cal-defocus_blur-3.npz')), evalRows) }];
  sizes = arg('--sizes', '500,2000,5000').split(',').map(Number);
} else {
  pool = Int32Array.from({ length: cal.labels.length }, (_, i) => i);
  const files = readdirSync(dir).filter((f) => f.endsWith('.npz') && !f.startsWith('cal')).sort((a, b) => (a === 'test.npz' ? -1 : b === 'test.npz' ? 1 : a.localeCompare(b)));
  tests = files.map((f) => ({ id: f.replace(/\.npz$/, ''), set: loadSet(join(dir, f)) }));
  sizes = arg('--sizes', '500,2000,10000').split(',').map(Number);
}

// The bootstrap's hand-written metrics agree with src/metrics at unit weights (guards the CI code).
{
  const t = tests[0] as { set: ViewsSet };
  const probs = fitMethod({ id: 'uncal', label: '' }, cal, 0).predict(t.set);
  const cc = confCorrect(probs, t.set.labels);
  const h = headline(probs, t.set.labels);
  const ones = new Float64Array(cc.conf.length).fill(1);
  const e = weightedEce(cc.conf, cc.correct, ones), a = weightedAuroc(cc.conf, cc.correct, ones, ascending(cc.conf));
  if (Math.abs(e - h.ece) > 1e-12 || Math.abs(a - h.auroc) > 1e-12) throw new Error(`bootstrap metrics disagree with src/metrics: ece ${e} vs ${h.ece}, auroc ${a} vs ${h.auroc}`);
}

interface Cell { ece: number[]; auroc: number[]; accuracy: number[]; conf: { conf: Float64Array; correct: Uint8Array }[] }
const result: Record<string, unknown> = {
  generator: 'scripts/ca-evidence.ts', experiment, viewsDir: dir, seeds, replicates, sizes,
  testSets: tests.map((t) => ({ id: t.id, n: t.set.labels.length })), calibrationRows: pool.length, bySize: {} as Record<string, unknown>,
};
for (const n of sizes) {
  const cells = new Map<string, Map<string, Cell>>();
  const infos = new Map<string, Record<string, unknown>[]>();
  for (let s = 0; s < seeds; s++) {
    const rows = subsample(pool, n, 1000 + s);
    const c = subset(cal, rows);
    for (const m of methods) {
      const f = fitMethod(m, c, s);
      const per = cells.get(m.id) ?? new Map<string, Cell>();
      cells.set(m.id, per);
      infos.set(m.id, [...(infos.get(m.id) ?? []), { seed: s, seconds: f.seconds, ...f.info }]);
      for (const t of tests) {
        const probs = f.predict(t.set);
        const h = headline(probs, t.set.labels);
        const cell = per.get(t.id) ?? { ece: [], auroc: [], accuracy: [], conf: [] };
        per.set(t.id, cell);
        const cc = confCorrect(probs, t.set.labels);
        cell.ece.push(h.ece); cell.auroc.push(h.auroc); cell.conf.push(cc);
        cell.accuracy.push(cc.correct.reduce((a, b) => a + b, 0) / cc.correct.length);
      }
    }
    log(`n=${n} seed ${s} done`);
  }
  const bySize: Record<string, unknown> = {};
  const ts = cells.get('ts');
  for (const m of methods) {
    const per = cells.get(m.id) as Map<string, Cell>;
    const sets: Record<string, unknown> = {};
    tests.forEach((t, ti) => {
      const cell = per.get(t.id) as Cell;
      const entry: Record<string, unknown> = { ece: meanSd(cell.ece), auroc: meanSd(cell.auroc), eceSeeds: cell.ece, aurocSeeds: cell.auroc, accuracySeeds: cell.accuracy };
      if (ts !== undefined && m.id !== 'ts') {
        const base = ts.get(t.id) as Cell;
        const d = (a: number[], b: number[]): number[] => a.map((v, i) => v - (b[i] as number));
        entry['diffToTs'] = { ece: meanSd(d(cell.ece, base.ece)), auroc: meanSd(d(cell.auroc, base.auroc)), ...(bootstrapIds.includes(m.id) ? { ci95: pairedBootstrap(cell.conf, base.conf, replicates, 7 + ti) } : {}) };
      }
      sets[t.id] = entry;
    });
    bySize[m.id] = { label: m.label, options: m.options ?? {}, fits: infos.get(m.id), sets };
  }
  (result['bySize'] as Record<string, unknown>)[String(n)] = bySize;
  writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
  // a compact table on stderr
  const f = (v: number): string => (100 * v).toFixed(2);
  log(`\nn=${n}: ECE×100 / AUROC×100, mean ± sd over ${seeds} seeds; Δ vs TS with 95% paired-bootstrap CI`);
  for (const m of methods) {
    const per = cells.get(m.id) as Map<string, Cell>;
    const parts = tests.map((t) => {
      const c = per.get(t.id) as Cell;
      const e = meanSd(c.ece), a = meanSd(c.auroc);
      return `${t.id}: ${f(e.mean)}±${f(e.sd)} / ${f(a.mean)}±${f(a.sd)}`;
    });
    log(`${m.label.padEnd(36)} ${parts.join(' | ')}`);
  }
}
log(`wrote ${out}`);
