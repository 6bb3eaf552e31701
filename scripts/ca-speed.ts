/**
 * Robust vs faithful CA fitting time at 50 000 samples × 1 000 classes (issue 15: robust within 2× faithful).
 * Synthetic seeded logits (float32, as a views file stores them) with 3 views; the two modes run alternately,
 * --repeats times each, and the medians and their ratio are printed. Run on an otherwise idle machine:
 *
 *   nice npx tsx scripts/ca-speed.ts [--n 50000] [--classes 1000] [--repeats 3]
 */
import { fitCa } from '../src/calibrators/ca/spec.js';
import { Rng } from '../src/math/rng.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => { const i = argv.indexOf(name); return i >= 0 ? (argv[i + 1] ?? dflt) : dflt; };
const N = Number(arg('--n', '50000')), C = Number(arg('--classes', '1000')), repeats = Number(arg('--repeats', '3'));
const rng = new Rng(1);
const labels = new Int32Array(N);
const original = new Float32Array(N * C);
for (let i = 0; i < N; i++) {
  labels[i] = rng.int(C);
  for (let j = 0; j < C; j++) original[i * C + j] = 2 * rng.normal() + (j === labels[i] ? 6 * rng.random() : 0);
}
const names = ['rotation', 'greyscale', 'colorjitter'];
const views = names.map(() => { const v = new Float32Array(N * C); for (let i = 0; i < v.length; i++) v[i] = 0.8 * (original[i] as number) + rng.normal(); return { data: v, rows: N, cols: C }; });
const data = { logits: { data: original, rows: N, cols: C }, labels, views: { names, logits: views } };
const times: Record<string, number[]> = { faithful: [], robust: [] };
for (let r = 0; r < repeats; r++) {
  for (const mode of ['faithful', 'robust'] as const) {
    const t0 = performance.now();
    const fit = fitCa(data, { mode }, { seed: r });
    const s = (performance.now() - t0) / 1000;
    (times[mode] as number[]).push(s);
    process.stderr.write(`${mode} run ${r}: ${s.toFixed(2)} s (${fit.iterations} steps)\n`);
  }
}
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] as number; };
const f = median(times['faithful'] as number[]), b = median(times['robust'] as number[]);
process.stdout.write(`${JSON.stringify({ n: N, classes: C, repeats, faithfulSeconds: times['faithful'], robustSeconds: times['robust'], medianFaithful: f, medianRobust: b, ratio: b / f })}\n`);
