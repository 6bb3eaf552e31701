/**
 * Views files for the CA evidence runs (scripts/ca-evidence.ts, docs/ca.md "Evidence"): one zoo model on the
 * full Fashion-MNIST (Debian's dataset-fashion-mnist), through the same pipeline as `calibra views`/`demo`.
 * Writes to --out-dir: cal.npz (train images 50 000..59 999, never seen by a zoo model), test.npz (t10k), and
 * one file per shift (default gaussian_noise:3 and contrast:3 on t10k). View draws: seed 0 for calibration,
 * seed 1 for the test sets (as the demo does). Also cal-defocus_blur-3.npz: the calibration images blurred, a
 * shifted *validation* set on which robust mode's design is chosen (never a test set).
 *
 *   npx tsx scripts/ca-evidence-views.ts --model fmnist-mlp --out-dir /work/scratch/ca/views/fmnist-mlp
 *
 * With --suite coloured (a colour zoo model, e.g. cfmnist-cnn): cal.npz = coloured-fmnist:calibration, test.npz =
 * coloured-fmnist:test, one file per shifted set (random-hue, permuted-hue, colour-shift, grey, rotated), and
 * cal-defocus_blur-3.npz from the blurred calibration images (docs/views-and-datasets.md "Coloured Fashion-MNIST").
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, packageRoot } from '../src/datasets/index.js';
import { saveViewsFile } from '../src/data/views-file.js';
import { OnnxClassifier } from '../src/inference/onnx-runner.js';
import { parsePreprocessJson } from '../src/inference/preprocess.js';
import { parseCorruptionArg } from '../src/inference/corruption-step.js';
import { computeViewsLogits, type ViewsRun } from '../src/inference/views-pipeline.js';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => { const i = argv.indexOf(name); return i >= 0 ? (argv[i + 1] ?? dflt) : dflt; };
const modelId = arg('--model', 'fmnist-mlp');
const outDir = arg('--out-dir', `views-${modelId}`);
const shifts = arg('--shifts', 'gaussian_noise:3,contrast:3').split(',').filter((s) => s !== '');
// A shift of the *calibration* images (a corruption not among the test shifts), used only to choose robust
// mode's design on calibration data (scripts/ca-evidence.ts --experiment design), never a test set.
const calShift = arg('--cal-shift', 'defocus_blur:3');
const views = ['rotation', 'greyscale', 'colorjitter'];
mkdirSync(outDir, { recursive: true });
const root = packageRoot();
const manifestPath = join(root, 'models', `${modelId}.json`);
const manifestText = readFileSync(manifestPath, 'utf8');
const manifest = JSON.parse(manifestText) as { onnx: string };
const clf = await OnnxClassifier.load(join(root, 'models', manifest.onnx), parsePreprocessJson(manifestText, manifestPath));
const save = (name: string, run: ViewsRun): void => {
  saveViewsFile(join(outDir, name), { original: run.original, views: run.views, labels: run.labels, extra: [['indices', { shape: [run.indices.length], data: run.indices }]] }, { force: argv.includes('--force') });
  process.stderr.write(`${name}: ${run.labels.length} rows\n`);
};
if (arg('--suite', 'fmnist') === 'coloured') {
  const calSet = await loadDataset('coloured-fmnist:calibration', { preferCommitted: false });
  save('cal.npz', await computeViewsLogits(clf, calSet, { views, seed: 0 }));
  if (calShift !== '') save(`cal-${calShift.replace(':', '-')}.npz`, await computeViewsLogits(clf, calSet, { views, seed: 0, corruption: parseCorruptionArg(calShift) }));
  for (const set of ['test', 'random-hue', 'permuted-hue', 'colour-shift', 'grey', 'rotated']) {
    save(`${set}.npz`, await computeViewsLogits(clf, await loadDataset(`coloured-fmnist:${set}`, { preferCommitted: false }), { views, seed: 1 }));
  }
} else {
  const train = await loadDataset('fashion-mnist:train', { preferCommitted: false });
  const test = await loadDataset('fashion-mnist:test', { preferCommitted: false });
  const calIdx = Int32Array.from({ length: 10000 }, (_, i) => 50000 + i);
  save('cal.npz', await computeViewsLogits(clf, train, { views, seed: 0, indices: calIdx }));
  if (calShift !== '') save(`cal-${calShift.replace(':', '-')}.npz`, await computeViewsLogits(clf, train, { views, seed: 0, indices: calIdx, corruption: parseCorruptionArg(calShift) }));
  save('test.npz', await computeViewsLogits(clf, test, { views, seed: 1 }));
  for (const s of shifts) save(`${s.replace(':', '-')}.npz`, await computeViewsLogits(clf, test, { views, seed: 1, corruption: parseCorruptionArg(s) }));
}
