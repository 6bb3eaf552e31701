/**
 * Seeded benchmark workloads (issue 7), written as .npy so calibra and the Python reference read the same bytes.
 * Logits look like an overconfident classifier's: a per-sample "difficulty" decides how far the true class stands
 * out, then everything is scaled up, so accuracy is around 70 % with confidences near 1.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Rng } from '../src/math/rng.js';
import { encodeNpy } from '../src/data/npy.js';

export interface LogitsWorkload {
  readonly logits: Float32Array;
  readonly labels: Int32Array;
  readonly rows: number;
  readonly cols: number;
}

/** N×K float32 logits and labels, seeded. Cost O(N·K). */
export function makeLogits(rows: number, cols: number, seed: number): LogitsWorkload {
  const rng = new Rng(seed);
  const logits = new Float32Array(rows * cols);
  const labels = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const y = rng.int(cols);
    labels[i] = y;
    const margin = 2.5 * rng.normal() + 2;
    for (let j = 0; j < cols; j++) logits[i * cols + j] = 3 * (rng.normal() + (j === y ? margin : 0));
  }
  return { logits, labels, rows, cols };
}

/** Logits of three transformed views: the original plus noise that grows for hard samples (CA workload). */
export function makeViews(base: LogitsWorkload, seed: number): Float32Array[] {
  const rng = new Rng(seed);
  return [0, 1, 2].map(() => {
    const v = new Float32Array(base.logits.length);
    for (let i = 0; i < v.length; i++) v[i] = 0.7 * (base.logits[i] as number) + 2 * rng.normal();
    return v;
  });
}

function save(dir: string, name: string, data: Float32Array | Int32Array | Float64Array | Uint8Array, shape: number[]): void {
  writeFileSync(join(dir, `${name}.npy`), encodeNpy({ data, shape }));
}

/**
 * The W4 (CA) workload folder `ca-NxK` under `root`: original logits, three views and labels, seeded
 * (K = 10 in `npm run bench`; K = 1 000 is the issue-11 "ImageNet width" case). Skips files that exist.
 */
export function writeCaWorkload(root: string, rows: number, cols: number): string {
  const caDir = join(root, `ca-${rows}x${cols}`);
  mkdirSync(caDir, { recursive: true });
  if (!existsSync(join(caDir, 'labels.npy'))) {
    const w = makeLogits(rows, cols, 4);
    const views = makeViews(w, 5);
    save(caDir, 'original', w.logits, [w.rows, w.cols]);
    ['rotation', 'greyscale', 'colorjitter'].forEach((name, i) => save(caDir, name, views[i] as Float32Array, [w.rows, w.cols]));
    save(caDir, 'labels', w.labels, [w.rows]);
  }
  return caDir;
}

/** Writes the workload files under `root`; skips ones that exist. Returns the folder of each workload. */
export function writeWorkloads(root: string, sizes: { n: number; k: number; nIso: number; nCa: number; kMs: number }): Record<string, string> {
  const dirs: Record<string, string> = {};
  const mk = (name: string): string => { const d = join(root, name); mkdirSync(d, { recursive: true }); dirs[name] = d; return d; };
  const logitsDir = mk(`logits-${sizes.n}x${sizes.k}`);
  if (!existsSync(join(logitsDir, 'labels.npy'))) {
    const w = makeLogits(sizes.n, sizes.k, 1);
    save(logitsDir, 'logits', w.logits, [w.rows, w.cols]);
    save(logitsDir, 'labels', w.labels, [w.rows]);
  }
  const isoDir = mk(`isotonic-${sizes.nIso}`);
  if (!existsSync(join(isoDir, 'targets.npy'))) {
    const rng = new Rng(3);
    const scores = new Float64Array(sizes.nIso);
    const targets = new Float64Array(sizes.nIso);
    for (let i = 0; i < sizes.nIso; i++) {
      const s = rng.random();
      scores[i] = Math.round(s * 1e4) / 1e4; // ties, as real scores have
      targets[i] = rng.random() < s * s ? 1 : 0;
    }
    save(isoDir, 'scores', scores, [sizes.nIso]);
    save(isoDir, 'targets', targets, [sizes.nIso]);
  }
  dirs[`ca-${sizes.nCa}x10`] = writeCaWorkload(root, sizes.nCa, 10);
  const msDir = mk(`logits-${sizes.n}x${sizes.kMs}`);
  if (!existsSync(join(msDir, 'labels.npy'))) {
    const w = makeLogits(sizes.n, sizes.kMs, 6);
    save(msDir, 'logits', w.logits, [w.rows, w.cols]);
    save(msDir, 'labels', w.labels, [w.rows]);
  }
  return dirs;
}

// `tsx bench/generate.ts ca ROWS COLS [ROOT]`: writes one CA workload folder (default ROOT bench/out) and prints its path.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href && process.argv[2] === 'ca') {
  const [rows, cols, root] = process.argv.slice(3);
  process.stdout.write(`${writeCaWorkload(root ?? join(dirname(fileURLToPath(import.meta.url)), 'out'), Number(rows), Number(cols))}\n`);
}
