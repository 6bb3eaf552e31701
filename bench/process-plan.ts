/**
 * The whole-process rows of `npm run bench`: start-up against bare Node, and each CLI workload (W3, W4, W5,
 * W6) as the `calibra` commands a user runs against the reference stack's whole process on the same files.
 * Timed by bench/process.ts; the in-process rows of the same workloads are in the main table.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadLabels, loadLogits } from '../src/data/files.js';
import { encodeNpy } from '../src/data/npy.js';
import { saveViewsFile } from '../src/data/views-file.js';
import { median, paired, type Steps } from './process.js';

export interface ProcessCase {
  readonly workload: string;
  readonly calibra: Steps;
  readonly reference: Steps;
  readonly refName: string;
  readonly runs: number;
  readonly warmup: number;
}

const PY = '/usr/bin/python3';

/** A 20×10 float64 logits file and its labels (deterministic), for the start-up rows. */
function tinyFiles(outDir: string): { logits: string; labels: string } {
  const dir = join(outDir, 'tiny-20x10');
  mkdirSync(dir, { recursive: true });
  const logits = join(dir, 'logits.npy');
  const labels = join(dir, 'labels.npy');
  if (!existsSync(labels)) {
    const z = new Float64Array(200);
    for (let i = 0; i < 200; i++) z[i] = Math.sin(i * 12.9898) * 3;
    writeFileSync(logits, encodeNpy({ shape: [20, 10], data: z }));
    writeFileSync(labels, encodeNpy({ shape: [20], data: Int32Array.from({ length: 20 }, (_, i) => (i * 7) % 10) }));
  }
  return { logits, labels };
}

/** The W4 folder's arrays as one views file (what `calibra views` writes), for `calibra fit --method ca`. */
function caViewsFile(caDir: string): string {
  const file = join(caDir, 'views.npz');
  if (existsSync(file)) return file;
  const original = loadLogits(join(caDir, 'original.npy'));
  const names = ['rotation', 'greyscale', 'colorjitter'];
  saveViewsFile(file, { original, views: { names, logits: names.map((v) => loadLogits(join(caDir, `${v}.npy`))) }, labels: loadLabels(join(caDir, 'labels.npy'), original.cols) });
  return file;
}

/**
 * The cases, given the workload folders bench/run.ts generated. `repeats` counted pairs each (start-up: 10;
 * W5, minutes per fit on the scalar path: 1, no warm-up).
 */
export function processCases(root: string, outDir: string, dirs: { iso: string; ca: string; ms: string; w6: readonly { id: string; dir: string; count: number; batch: number }[] }, repeats: number): ProcessCase[] {
  const node = process.execPath;
  const cli = join(root, 'bin', 'calibra.js');
  const ref = join(root, 'bench', 'reference.py');
  const tmp = join(outDir, 'process');
  mkdirSync(tmp, { recursive: true });
  const tiny = tinyFiles(outDir);
  const bare: Steps = [[node, '-e', '0']];
  const cases: ProcessCase[] = [
    { workload: 'start-up: calibra --help', calibra: [[node, cli, '--help']], reference: bare, refName: 'node -e 0', runs: 10, warmup: 1 },
    { workload: 'start-up: calibra evaluate, 20×10 file, default preset (21 ids)', calibra: [[node, cli, 'evaluate', '--logits', tiny.logits, '--labels', tiny.labels, '--quiet']], reference: bare, refName: 'node -e 0', runs: 10, warmup: 1 },
    { workload: 'start-up: calibra evaluate, 20×10 file, --metrics ece,nll', calibra: [[node, cli, 'evaluate', '--logits', tiny.logits, '--labels', tiny.labels, '--metrics', 'ece,nll', '--quiet']], reference: bare, refName: 'node -e 0', runs: 10, warmup: 1 },
    {
      workload: 'W3 isotonic: calibra fit + calibra apply (two processes) vs scikit-learn fit + predict',
      calibra: [
        [node, cli, 'fit', '--method', 'isotonic', '--probs', join(dirs.iso, 'scores.npy'), '--labels', join(dirs.iso, 'targets.npy'), '--out', join(tmp, 'iso.json'), '--force', '--quiet'],
        [node, cli, 'apply', '--model', join(tmp, 'iso.json'), '--probs', join(dirs.iso, 'scores.npy'), '--out', join(tmp, 'iso-probs.npy'), '--force', '--quiet'],
      ],
      reference: [[PY, ref, 'W3-isotonic', dirs.iso, '1', '--whole']], refName: 'W3-isotonic', runs: repeats, warmup: 1,
    },
    {
      workload: 'W4 CA faithful: calibra fit --method ca --mode faithful --views views.npz vs PyTorch',
      calibra: [[node, cli, 'fit', '--method', 'ca', '--mode', 'faithful', '--views', caViewsFile(dirs.ca), '--seed', '10', '--out', join(tmp, 'ca.json'), '--force', '--quiet']],
      reference: [[PY, ref, 'W4-ca-torch', dirs.ca, '1', '--whole']], refName: 'W4-ca-torch', runs: repeats, warmup: 1,
    },
    {
      workload: 'W5 matrix scaling: calibra fit --method ms (lambda = lambdaBias = 1e-3) vs PyTorch L-BFGS',
      calibra: [[node, cli, 'fit', '--method', 'ms', '--logits', join(dirs.ms, 'logits.npy'), '--labels', join(dirs.ms, 'labels.npy'), '--option', 'lambda=1e-3', '--option', 'lambdaBias=1e-3', '--out', join(tmp, 'ms.json'), '--force', '--quiet']],
      reference: [[PY, ref, 'W5-matrix-scaling-torch', dirs.ms, '1', '--whole']], refName: 'W5-matrix-scaling-torch', runs: 1, warmup: 0,
    },
  ];
  for (const w of dirs.w6) {
    cases.push({
      workload: `W6 views, ${w.id}, ${w.count} images, original + rotation, greyscale, colorjitter: calibra views vs PyTorch`,
      calibra: [[node, cli, 'views', '--model', join(root, 'models', `${w.id}.onnx`), '--dataset', 'fashion-mnist:test', '--limit', String(w.count), '--batch-size', String(w.batch), '--threads', '1', '--out', join(tmp, `views-${w.id}.npz`), '--force', '--quiet']],
      reference: [[PY, ref, 'W6-views-torch', w.dir, '1', '--whole']], refName: 'W6-views-torch', runs: repeats, warmup: 1,
    });
  }
  return cases;
}

function fmt(s: number): string { return s < 0.01 ? `${(s * 1000).toFixed(2)} ms` : s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`; }

/** Runs the cases and returns the markdown table. */
export function processTable(cases: readonly ProcessCase[], root: string, log: (s: string) => void): string {
  const lines = [
    '| workload (whole processes) | calibra median | reference | reference median | ratio (median of paired A/B; min–max) | peak RSS calibra / ref | pairs |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of cases) {
    log(`bench: whole process: ${c.workload}`);
    let p: ReturnType<typeof paired>;
    try { p = paired(c.calibra, c.reference, root, c.runs, c.warmup); } catch (e) {
      // one failing case (e.g. a reference library missing) is reported in its row, not fatal to the others
      const first = (e instanceof Error ? e.message : String(e)).split('\n').slice(0, 1).join(' ');
      lines.push(`| ${c.workload} | failed | ${c.refName} | — | ${first.replace(/\|/g, '/')} | — | 0 |`);
      log(`bench: ${e instanceof Error ? e.message : String(e)}`);
      continue;
    }
    const wa = median(p.a.map((r) => r.wall_s));
    const wb = median(p.b.map((r) => r.wall_s));
    const peak = (rs: readonly { peak_rss_mb: number }[]): string => (rs.some((r) => r.peak_rss_mb > 0) ? Math.max(...rs.map((r) => r.peak_rss_mb)).toFixed(0) : '—');
    lines.push(`| ${c.workload} | ${fmt(wa)} | ${c.refName} | ${fmt(wb)} | **${median(p.ratios).toFixed(2)}** (${Math.min(...p.ratios).toFixed(2)}–${Math.max(...p.ratios).toFixed(2)}) | ${peak(p.a)} / ${peak(p.b)} MB | ${c.runs} |`);
  }
  return lines.join('\n');
}
