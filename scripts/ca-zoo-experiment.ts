/**
 * CA on views files written by `calibra views` with a zoo model (docs/ca.md, "Results with the zoo model").
 * Fits every CA variant, TS and the uncalibrated baseline on a calibration views file (optionally only rows
 * whose dataset index is ≥ --val-from, via the file's `indices` array) and scores each test views file.
 *
 * Run (after the three `calibra views` commands in docs/ca.md):
 *   npx tsx scripts/ca-zoo-experiment.ts --val train-views.npz --val-from 50000 test-views.npz noise-views.npz blur-views.npz
 */
import { readFileSync } from 'node:fs';
import { fitCa } from '../src/calibrators/ca/spec.js';
import { fitTemperature } from '../src/calibrators/scaling/temperature.js';
import type { ViewLogits } from '../src/calibrators/core/types.js';
import { loadViewsFile } from '../src/data/views-file.js';
import { parseNpz } from '../src/data/npz.js';
import { takeLabels, takeRows, type Matrix } from '../src/math/matrix.js';
import { softmax, softmaxPerRowTemperature } from '../src/math/softmax.js';
import { score, type Scores } from './ca-score.js';

const argv = process.argv.slice(2);
const take = (name: string): string | undefined => { const i = argv.indexOf(name); if (i < 0) return undefined; const v = argv[i + 1]; argv.splice(i, 2); return v; };
const valFile = take('--val') ?? 'train-views.npz';
const valFrom = Number(take('--val-from') ?? '0');
const seed = Number(take('--seed') ?? '0');
const tests = argv;

interface Set { logits: Matrix<Float64Array>; labels: Int32Array; views: ViewLogits }
function rowsFrom(file: string, from: number): Set {
  const v = loadViewsFile(file);
  if (from <= 0) return { logits: v.original, labels: v.labels, views: v.views };
  const arr = parseNpz(new Uint8Array(readFileSync(file)), { only: ['indices'] }).arrays; // a copy: parseNpz misreads int32 arrays from a Node Buffer (reported)
  const idx = arr.get('indices');
  if (idx === undefined) throw new Error(`${file} has no 'indices' array`);
  const keep: number[] = [];
  for (let i = 0; i < idx.data.length; i++) if (Number(idx.data[i]) >= from) keep.push(i);
  return { logits: takeRows(v.original, keep), labels: takeLabels(v.labels, keep), views: { names: v.views.names, logits: v.views.logits.map((m) => takeRows(m, keep)) } };
}

const val = rowsFrom(valFile, valFrom);
process.stderr.write(`calibration rows: ${val.labels.length} from ${valFile}\n`);
const ts = fitTemperature(val.logits, val.labels);
const variants: [string, Record<string, string | number>][] = [
  ['CE-trained calibrator (robust loop)', { loss: 'ce' }],
  ['Brier-trained calibrator (robust loop)', { loss: 'mse' }],
  ['CA faithful (seed 0)', { mode: 'faithful' }],
  ['CA robust, balanced, select=loss', { weighting: 'balanced', select: 'loss' }],
  ['CA robust, balanced', { weighting: 'balanced' }],
  ['CA robust, none (default)', {}],
  ['"CA only" (no views), robust', { viewsUsed: 'none' }],
];
const fits = variants.map(([name, opts]) => {
  const t0 = performance.now();
  const r = fitCa(val, opts, { seed });
  process.stderr.write(`${name}: ${((performance.now() - t0) / 1000).toFixed(2)} s, ${r.curves.trainLoss.length - 1} epochs, best ${r.bestEpoch}\n`);
  return { name, model: r.model };
});
const f = (v: number): string => v.toFixed(4);
let md = '';
for (const file of tests) {
  const t = rowsFrom(file, 0);
  const ones = new Float64Array(t.labels.length).fill(1);
  const rows: [string, Scores][] = [['uncalibrated', score(softmax(t.logits), t.labels, ones)], [`TS (T=${ts.temperature.toFixed(3)})`, score(softmax(t.logits, ts.temperature), t.labels, ones.fill(ts.temperature))]];
  for (const fit of fits) { const T = fit.model.predictTemperatures(t); rows.push([fit.name, score(softmaxPerRowTemperature(t.logits, T), t.labels, T)]); }
  md += `\n#### ${file} (accuracy ${f((rows[0] as [string, Scores])[1].acc)})\n\n| method | ECE-25 | NLL | Brier (top-label) | AUROC | mean T |\n|---|---|---|---|---|---|\n`;
  for (const [name, s] of rows) md += `| ${name} | ${f(s.ece)} | ${f(s.nll)} | ${f(s.brier)} | ${f(s.auroc)} | ${s.meanT.toFixed(3)} |\n`;
}
process.stdout.write(md);
