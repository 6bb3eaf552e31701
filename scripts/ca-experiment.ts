/**
 * CA calibration on real views (docs/ca.md, "Results"): a seeded tfjs MLP on Fashion-MNIST, views
 * rotation / greyscale / colour jitter (src/views), an in-distribution test set and two shifted test sets
 * (Gaussian noise, Gaussian blur), and uncalibrated vs TS vs CE-trained calibrator vs CA (faithful; robust with
 * balanced and unweighted loss; "CA only"; Brier). Prints Markdown tables and writes a JSON record and an SVG of
 * the faithful-vs-robust loss curves.
 *
 * Run: npx tsx scripts/ca-experiment.ts [--data /usr/share/datasets/fashion-mnist] [--json docs/ca-results.json] [--svg docs/ca-loss-curves.svg]
 * Fashion-MNIST is greyscale: the greyscale view is an identity and colour jitter reduces to brightness/contrast.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { fitCa, type CaFitResult } from '../src/calibrators/ca/spec.js';
import { fitTemperature } from '../src/calibrators/scaling/temperature.js';
import type { ViewLogits } from '../src/calibrators/core/types.js';
import { parseIdx } from '../src/datasets/idx.js';
import type { Matrix } from '../src/math/matrix.js';
import { Rng } from '../src/math/rng.js';
import { softmax, softmaxPerRowTemperature } from '../src/math/softmax.js';
import { score, type Scores } from './ca-score.js';
import { gaussianBlur } from '../src/views/filter.js';
import { createImage, type Image } from '../src/views/image.js';
import { applyView } from '../src/views/registry.js';
import { imageRng } from '../src/views/seed.js';

const SEED = 20240420;
const argv = process.argv.slice(2);
const arg = (name: string, fallback: string): string => { const i = argv.indexOf(name); return i >= 0 ? (argv[i + 1] ?? fallback) : fallback; };
const DATA = arg('--data', '/usr/share/datasets/fashion-mnist');
const JSON_OUT = arg('--json', 'docs/ca-results.json');
const SVG_OUT = arg('--svg', 'docs/ca-loss-curves.svg');
const VIEW_NAMES = ['rotation', 'greyscale', 'colorjitter'];
const VIEW_IDS = ['rotation', 'greyscale', 'colour-jitter'];
const W = 28, P = W * W, C = 10;

function load(prefix: string): { x: Float32Array; y: Int32Array } {
  const img = parseIdx(readFileSync(join(DATA, `${prefix}-images-idx3-ubyte.gz`)), prefix);
  const lab = parseIdx(readFileSync(join(DATA, `${prefix}-labels-idx1-ubyte.gz`)), prefix);
  const x = new Float32Array(img.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (img.data[i] as number) / 255;
  return { x, y: Int32Array.from(lab.data) };
}

const log = (msg: string): void => { process.stderr.write(`[${(performance.now() / 1000).toFixed(1)}s] ${msg}\n`); };

function buildModel(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [P], units: 128, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: SEED }) }));
  m.add(tf.layers.dense({ units: C, kernelInitializer: tf.initializers.glorotUniform({ seed: SEED + 1 }) }));
  m.compile({ optimizer: tf.train.adam(1e-3), loss: (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp) });
  return m;
}

async function train(m: tf.Sequential, x: Float32Array, y: Int32Array, n: number, epochs: number): Promise<void> {
  const rng = new Rng(SEED);
  const B = 128;
  for (let e = 0; e < epochs; e++) {
    const perm = rng.permutation(n);
    let sum = 0, cnt = 0;
    for (let s = 0; s + B <= n; s += B) {
      const bx = new Float32Array(B * P), by = new Float32Array(B * C);
      for (let b = 0; b < B; b++) { const i = perm[s + b] as number; bx.set(x.subarray(i * P, (i + 1) * P), b * P); by[b * C + (y[i] as number)] = 1; }
      const xt = tf.tensor2d(bx, [B, P]), yt = tf.tensor2d(by, [B, C]);
      sum += (await m.trainOnBatch(xt, yt)) as number; cnt++;
      xt.dispose(); yt.dispose();
    }
    if ((e + 1) % 10 === 0) log(`classifier epoch ${e + 1}: train CE ${(sum / cnt).toFixed(4)}`);
  }
}

function logitsOf(m: tf.Sequential, x: Float32Array, n: number): Matrix<Float64Array> {
  const out = new Float64Array(n * C);
  const B = 2000;
  for (let s = 0; s < n; s += B) {
    const e = Math.min(n, s + B);
    const r = tf.tidy(() => (m.predict(tf.tensor2d(x.subarray(s * P, e * P), [e - s, P])) as tf.Tensor).dataSync());
    for (let i = 0; i < r.length; i++) out[s * C + i] = r[i] as number;
  }
  return { data: out, rows: n, cols: C };
}

type Corruption = (img: Image, rng: Rng) => Image;
const noise: Corruption = (img, rng) => { const d = new Float32Array(img.data.length); for (let i = 0; i < d.length; i++) d[i] = Math.min(1, Math.max(0, (img.data[i] as number) + 0.3 * rng.normal())); return createImage(W, W, 1, d); };
const blur: Corruption = (img) => gaussianBlur(img, 1.2, 5, 5);

/** Original (optionally corrupted) pixels plus each view's pixels, for images `start..start+n`. */
function makeViews(x: Float32Array, start: number, n: number, name: string, corrupt?: Corruption): Float32Array[] {
  const out = [new Float32Array(n * P), ...VIEW_IDS.map(() => new Float32Array(n * P))];
  for (let i = 0; i < n; i++) {
    let img = createImage(W, W, 1, x.slice((start + i) * P, (start + i + 1) * P));
    if (corrupt !== undefined) img = corrupt(img, imageRng(SEED, `${name}-corruption`, i));
    (out[0] as Float32Array).set(img.data, i * P);
    VIEW_IDS.forEach((v, k) => (out[k + 1] as Float32Array).set(applyView(v, img, imageRng(SEED, `${name}-${v}`, i)).image.data, i * P));
  }
  return out;
}

interface ViewSet { name: string; logits: Matrix<Float64Array>; labels: Int32Array; views: ViewLogits }
function viewSet(m: tf.Sequential, x: Float32Array, y: Int32Array, start: number, n: number, name: string, corrupt?: Corruption): ViewSet {
  const px = makeViews(x, start, n, name, corrupt);
  const mats = px.map((p) => logitsOf(m, p, n));
  return { name, logits: mats[0] as Matrix<Float64Array>, labels: y.slice(start, start + n), views: { names: VIEW_NAMES, logits: mats.slice(1) } };
}

async function main(): Promise<void> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    wasm.setWasmPaths(new URL('../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).pathname);
    await tf.setBackend('wasm');
  } catch { await tf.setBackend('cpu'); }
  await tf.ready();
  log(`tfjs backend ${tf.getBackend()}`);
  const tr = load('train'), te = load('t10k');
  const NTRAIN = 5000, NCAL = 15000, NTEST = 10000; // a classifier over-fitted on 5 000 images: over-confident, as deep nets are
  const m = buildModel();
  await train(m, tr.x, tr.y, NTRAIN, 40);
  log('computing views and logits');
  const cal = viewSet(m, tr.x, tr.y, NTRAIN, NCAL, 'cal');
  const tests = [viewSet(m, te.x, te.y, 0, NTEST, 'test'), viewSet(m, te.x, te.y, 0, NTEST, 'noise', noise), viewSet(m, te.x, te.y, 0, NTEST, 'blur', blur)];
  const testNames = ['ID test', 'shift: noise σ=0.3', 'shift: blur σ=1.2'];

  const ts = fitTemperature(cal.logits, cal.labels);
  const methods: { name: string; opts: Record<string, string | number> }[] = [
    { name: 'CE-trained calibrator ("CE only", robust loop)', opts: { loss: 'ce' } },
    { name: 'Brier-trained calibrator (robust loop)', opts: { loss: 'mse' } },
    { name: 'CA faithful (balanced, clamp, lr 1e-4, 10 ep)', opts: { mode: 'faithful' } },
    { name: 'CA faithful, 300 epochs', opts: { mode: 'faithful', epochs: 300 } },
    { name: 'CA robust, weighting=balanced', opts: { weighting: 'balanced' } },
    { name: 'CA robust, weighting=balanced, select=loss (balanced optimum)', opts: { weighting: 'balanced', select: 'loss' } },
    { name: 'CA robust, weighting=none, select=loss', opts: { select: 'loss' } },
    { name: 'CA robust, weighting=none (default)', opts: {} },
    { name: '"CA only" (no views), robust, none', opts: { viewsUsed: 'none' } },
  ];
  const fits: { name: string; res: CaFitResult; seconds: number }[] = [];
  for (const meth of methods) {
    const t0 = performance.now();
    const res = fitCa(cal, meth.opts, { seed: SEED });
    fits.push({ name: meth.name, res, seconds: (performance.now() - t0) / 1000 });
    log(`fitted ${meth.name} in ${((performance.now() - t0) / 1000).toFixed(2)}s (epochs ${res.curves.trainLoss.length - 1}, best ${res.bestEpoch})`);
  }

  const rows: Record<string, Record<string, Scores>> = {};
  tests.forEach((set, k) => {
    const name = testNames[k] as string;
    const r: Record<string, Scores> = {};
    const ones = new Float64Array(set.labels.length).fill(1);
    r['uncalibrated'] = score(softmax(set.logits), set.labels, ones);
    r[`TS (T=${ts.temperature.toFixed(3)})`] = score(softmax(set.logits, ts.temperature), set.labels, ones.fill(ts.temperature));
    for (const f of fits) {
      const T = f.res.model.predictTemperatures(set);
      r[f.name] = score(softmaxPerRowTemperature(set.logits, T), set.labels, T);
    }
    rows[name] = r;
  });

  // timing on 50 000 rows: the calibration set plus 35 000 classifier-training rows (timing only)
  const big = viewSet(m, tr.x, tr.y, 0, 50000, 'timing');
  const timing: Record<string, number> = {};
  for (const [label, opts] of [['faithful', { mode: 'faithful' }], ['robust', {}]] as const) {
    const t0 = performance.now();
    const r = fitCa(big, opts, { seed: SEED });
    timing[`${label} (${r.curves.trainLoss.length - 1} epochs)`] = (performance.now() - t0) / 1000;
  }

  const f = (v: number): string => v.toFixed(4);
  let md = '';
  for (const [set, r] of Object.entries(rows)) {
    md += `\n#### ${set} (accuracy ${f((Object.values(r)[0] as Scores).acc)})\n\n| method | ECE-25 | NLL | Brier (top-label) | AUROC correct-vs-wrong | mean T |\n|---|---|---|---|---|---|\n`;
    for (const [meth, s] of Object.entries(r)) md += `| ${meth} | ${f(s.ece)} | ${f(s.nll)} | ${f(s.brier)} | ${f(s.auroc)} | ${s.meanT.toFixed(3)} |\n`;
  }
  const faithful = fits[2] as { res: CaFitResult }, robust = fits[7] as { res: CaFitResult };
  md += '\n#### Faithful mode across seeds (ID test)\n\n| seed | share of calibration samples at T = 0.1 or 10 (dead zone) | mean T | ECE-25 | AUROC |\n|---|---|---|---|---|\n';
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const r = fitCa(cal, { mode: 'faithful' }, { seed });
    const Tc = r.model.predictTemperatures(cal);
    const dead = Tc.reduce((a, t) => a + (t <= 0.1 || t >= 10 ? 1 : 0), 0) / Tc.length;
    const T = r.model.predictTemperatures(tests[0] as ViewSet);
    const sc = score(softmaxPerRowTemperature((tests[0] as ViewSet).logits, T), (tests[0] as ViewSet).labels, T);
    md += `| ${seed} | ${f(dead)} | ${sc.meanT.toFixed(3)} | ${f(sc.ece)} | ${f(sc.auroc)} |\n`;
  }
  md += '\n#### Loss curves (CA loss on the training part; robust also held-out NLL)\n\n| epoch | faithful train CA loss | robust train CA loss | robust held-out NLL |\n|---|---|---|---|\n';
  const nE = Math.max(faithful.res.curves.trainLoss.length, robust.res.curves.trainLoss.length);
  for (let e = 0; e < nE; e++) {
    if (e > 10 && e % 10 !== 0 && e !== nE - 1) continue;
    const a = faithful.res.curves.trainLoss[e], b = robust.res.curves.trainLoss[e], c = robust.res.curves.heldOutNll[e];
    md += `| ${e} | ${a === undefined ? '' : f(a)} | ${b === undefined ? '' : f(b)} | ${c === undefined ? '' : f(c)} |\n`;
  }
  md += `\nrobust: best epoch ${robust.res.bestEpoch}; fit times on ${NCAL} rows: ${fits.map((x) => `${x.name} ${x.seconds.toFixed(2)} s`).join('; ')}\n`;
  md += `\nfit time on 50 000 rows: ${Object.entries(timing).map(([k, v]) => `${k} ${v.toFixed(2)} s`).join(', ')}\n`;
  process.stdout.write(md);
  writeFileSync(JSON_OUT, JSON.stringify({ generator: 'scripts/ca-experiment.ts', seed: SEED, backend: tf.getBackend(), tfjs: tf.version.tfjs, ts: ts.temperature, rows, timing,
    curves: { faithful: faithful.res.curves, robust: robust.res.curves }, warnings: Object.fromEntries(fits.map((x) => [x.name, x.res.warnings])) }, null, 1));
  writeFileSync(SVG_OUT, lossSvg(faithful.res.curves.trainLoss, robust.res.curves.trainLoss, robust.res.curves.heldOutLoss));
}

/** A small line chart of per-epoch losses (no dependencies). */
function lossSvg(faithful: number[], robust: number[], heldOut: number[]): string {
  const w = 480, h = 260, pad = 40;
  const all = [...faithful, ...robust, ...heldOut];
  const lo = Math.min(...all), hi = Math.max(...all);
  const nE = Math.max(faithful.length, robust.length) - 1 || 1;
  const px = (e: number): number => pad + (e / nE) * (w - 2 * pad);
  const py = (v: number): number => h - pad - ((v - lo) / (hi - lo || 1)) * (h - 2 * pad);
  const line = (ys: number[], colour: string, dash = ''): string => `<polyline fill="none" stroke="${colour}" stroke-width="2" ${dash} points="${ys.map((v, e) => `${px(e).toFixed(1)},${py(v).toFixed(1)}`).join(' ')}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="11">
<rect width="${w}" height="${h}" fill="white"/>
<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="#333"/><line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="#333"/>
<text x="${w / 2}" y="${h - 8}" text-anchor="middle">epoch (0 = initialisation; faithful stops at 10)</text>
<text x="${pad - 4}" y="${py(hi) + 4}" text-anchor="end">${hi.toFixed(3)}</text><text x="${pad - 4}" y="${py(lo) + 4}" text-anchor="end">${lo.toFixed(3)}</text>
<text x="${w - pad}" y="${h - pad + 14}" text-anchor="end">${nE}</text>
${line(faithful, '#d62728')}${line(robust, '#1f77b4')}${line(heldOut, '#1f77b4', 'stroke-dasharray="4 3"')}
<text x="${w - pad}" y="${pad}" text-anchor="end" fill="#d62728">faithful: train CA loss (balanced)</text>
<text x="${w - pad}" y="${pad + 14}" text-anchor="end" fill="#1f77b4">robust: train CA loss (solid), held-out (dashed)</text>
</svg>
`;
}

main().catch((e: unknown) => { process.stderr.write(`${String(e)}\n`); process.exitCode = 1; });
