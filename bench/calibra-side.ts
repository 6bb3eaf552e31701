/**
 * calibra side of the benchmark: runs one workload on calibra and prints one JSON line, the same shape as
 * bench/reference.py prints: {"workload", "times_s", "peak_rss_mb", "result"}. Run in its own process so the
 * peak memory is this workload's alone.
 *
 * Usage: tsx bench/calibra-side.ts WORKLOAD DIR REPEATS
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadLabels, loadLogits, loadNumericArray } from '../src/data/files.js';
import { evaluateLogits } from '../src/metrics/evaluate.js';
import { presetMetricIds } from '../src/metrics/ids.js';
import { fitTemperature } from '../src/calibrators/scaling/temperature.js';
import { fitIsotonicBinary, predictIsotonic } from '../src/math/pav.js';
import { getCalibrator } from '../src/calibrators/core/registry.js';
import type { Matrix } from '../src/math/matrix.js';
import { w6Workload } from './w6-views.js';
import { registerNativeKernels } from '../src/math/native-kernels.js';

// as the CLI and calibra/node do: large full-W fits (W5) run on onnxruntime's float64 GEMM
registerNativeKernels();

/** The metric ids that bench/reference.py also implements (vectorised numpy/sklearn). */
export const SHARED_METRIC_IDS = ['accuracy', 'ece', 'ece_em', 'mce', 'rmsce', 'cw_ece', 'tl_ece', 'dece', 'ks', 'mmce', 'brier', 'brier_top', 'nll', 'auroc', 'aupr_success', 'aupr_error', 'fpr95', 'aurc', 'eaurc'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

type Run = () => Record<string, number> | Promise<Record<string, number>>;

function toFloat64(file: string): Float64Array {
  const a = loadNumericArray(file, 'logits');
  return Float64Array.from(a.data as ArrayLike<number>);
}

function workload(name: string, dir: string): Run | Promise<Run> {
  switch (name) {
    case 'W1-metrics': {
      const logits = loadLogits(join(dir, 'logits.npy'), { storage: 'native' });
      const labels = loadLabels(join(dir, 'labels.npy'), logits.cols);
      return () => evaluateLogits(logits, labels, SHARED_METRIC_IDS);
    }
    case 'W1-metrics-threads': {
      // the compiled workers (dist/, built by `npm run build`): under tsx each worker would first compile TypeScript
      const logits = loadLogits(join(dir, 'logits.npy'), { storage: 'native', shared: true });
      const labels = loadLabels(join(dir, 'labels.npy'), logits.cols);
      return async () => {
        const parallel = (await import(pathToFileURL(join(root, 'dist', 'src', 'node-parallel', 'evaluate.js')).href)) as typeof import('../src/node-parallel/evaluate.js');
        const acc = await parallel.evaluateParallel('logits', logits, labels, SHARED_METRIC_IDS, { threads: 2 });
        return acc.result();
      };
    }
    case 'W1-metrics-default': {
      const logits = loadLogits(join(dir, 'logits.npy'), { storage: 'native' });
      const labels = loadLabels(join(dir, 'labels.npy'), logits.cols);
      return () => evaluateLogits(logits, labels, presetMetricIds('default'));
    }
    case 'W2-ts': {
      const logits = loadLogits(join(dir, 'logits.npy'));
      const labels = loadLabels(join(dir, 'labels.npy'), logits.cols);
      return () => ({ T: fitTemperature(logits, labels).temperature });
    }
    case 'W3-isotonic': {
      const scores = toFloat64(join(dir, 'scores.npy'));
      const targets = toFloat64(join(dir, 'targets.npy'));
      return () => {
        const map = fitIsotonicBinary(scores, targets, { yMin: 0, yMax: 1 });
        let sum = 0;
        for (let i = 0; i < scores.length; i++) sum += predictIsotonic(map, scores[i] as number);
        return { mean_prediction: sum / scores.length, thresholds: map.x.length };
      };
    }
    case 'W4-ca': {
      const original = loadLogits(join(dir, 'original.npy'));
      const labels = loadLabels(join(dir, 'labels.npy'), original.cols);
      const names = ['rotation', 'greyscale', 'colorjitter'];
      const views: Matrix[] = names.map((v) => loadLogits(join(dir, `${v}.npy`)));
      const spec = getCalibrator('ca');
      return () => {
        const fit = spec.fit({ logits: original, labels, views: { names, logits: views } }, { mode: 'faithful' }, { seed: 10 });
        const curve = fit.lossCurve ?? [];
        return { final_loss: curve.length > 0 ? (curve[curve.length - 1] as number) : Number.NaN };
      };
    }
    case 'W5-ms': {
      const logits = loadLogits(join(dir, 'logits.npy'));
      const labels = loadLabels(join(dir, 'labels.npy'), logits.cols);
      const spec = getCalibrator('ms');
      return () => {
        const fit = spec.fit({ logits, labels }, { lambda: 1e-3, lambdaBias: 1e-3 }, { seed: 0 });
        return { loss: fit.loss ?? Number.NaN, iterations: fit.iterations };
      };
    }
    case 'W6-views':
    case 'W6-original':
      return w6Workload(name, dir);
    default:
      throw new Error(`unknown workload ${name}`);
  }
}

async function main(): Promise<void> {
  const [name, dir, repeatsText] = process.argv.slice(2);
  if (name === undefined || dir === undefined) throw new Error('usage: calibra-side.ts WORKLOAD DIR REPEATS');
  const run = await workload(name, dir);
  const times: number[] = [];
  let result: Record<string, number> = {};
  for (let i = 0; i < Number(repeatsText ?? '3'); i++) {
    const t0 = performance.now();
    result = await run();
    times.push((performance.now() - t0) / 1000);
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ workload: name, times_s: times, peak_rss_mb: peak, result })}\n`);
}

await main();
