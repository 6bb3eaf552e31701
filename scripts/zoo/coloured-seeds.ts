/**
 * How much the coloured Fashion-MNIST numbers depend on the benchmark's seed: the zoo's colour CNN
 * (models/cfmnist-cnn.onnx, trained on seed-0 tints) evaluated on every coloured set drawn with seeds
 * 0..N−1 (same images, other tints, rotations and agreement draws). Per seed: accuracy and mean
 * max-softmax on each test set, and the temperature-scaling T on the calibration set; then mean ± sd.
 * Writes docs/coloured-fmnist-seeds.json and prints a Markdown table.
 * Usage: npx tsx scripts/zoo/coloured-seeds.ts [--seeds 5] [--subset]   (--subset: the committed images)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { COLOURED_SETS, loadDataset } from '../../src/datasets/index.js';
import { OnnxClassifier } from '../../src/inference/onnx-runner.js';
import { parsePreprocessJson } from '../../src/inference/preprocess.js';
import { fitTemperature } from '../../src/calibrators/scaling/temperature.js';
import { argmaxRow } from '../../src/math/softmax.js';
import type { Matrix } from '../../src/math/matrix.js';

const argv = process.argv.slice(2);
const seedsIdx = argv.indexOf('--seeds');
const nSeeds = seedsIdx >= 0 ? Number(argv[seedsIdx + 1]) : 5;
const subset = argv.includes('--subset');
const text = readFileSync('models/cfmnist-cnn.json', 'utf8');
const clf = await OnnxClassifier.load('models/cfmnist-cnn.onnx', parsePreprocessJson(text, 'models/cfmnist-cnn.json'));

function accuracyAndConfidence(l: Matrix<Float64Array>, labels: Int32Array): { accuracy: number; meanMaxSoftmax: number } {
  let ok = 0, conf = 0;
  for (let i = 0; i < l.rows; i++) {
    const best = argmaxRow(l.data, l.cols, i);
    if (best === labels[i]) ok++;
    const top = l.data[i * l.cols + best] as number;
    let z = 0;
    for (let k = 0; k < l.cols; k++) z += Math.exp((l.data[i * l.cols + k] as number) - top);
    conf += 1 / z;
  }
  return { accuracy: ok / l.rows, meanMaxSoftmax: conf / l.rows };
}

const sets = COLOURED_SETS.filter((s) => s !== 'train');
const perSeed: Record<string, Record<string, { accuracy: number; meanMaxSoftmax: number; temperatureTS?: number }>> = {};
for (let seed = 0; seed < nSeeds; seed++) {
  const row: Record<string, { accuracy: number; meanMaxSoftmax: number; temperatureTS?: number }> = {};
  for (const set of sets) {
    const ds = await loadDataset(`coloured-fmnist${subset ? '-subset' : ''}:${set}:seed=${seed}`);
    const l = await clf.logits(ds.count, (i) => ds.image(i));
    row[set] = { ...accuracyAndConfidence(l, ds.labels), ...(set === 'calibration' ? { temperatureTS: fitTemperature(l, ds.labels).temperature } : {}) };
  }
  perSeed[String(seed)] = row;
  process.stderr.write(`seed ${seed}: ${sets.map((s) => `${s} ${row[s]?.accuracy.toFixed(4)}`).join(', ')}; T_TS ${row['calibration']?.temperatureTS?.toFixed(4)}\n`);
}
await clf.close();

const meanSd = (xs: number[]): { mean: number; sd: number } => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1) : 0;
  return { mean: m, sd: Math.sqrt(v) };
};
const summary: Record<string, { accuracy: { mean: number; sd: number }; meanMaxSoftmax: { mean: number; sd: number }; temperatureTS?: { mean: number; sd: number } }> = {};
for (const set of sets) {
  const rows = Object.values(perSeed).map((r) => r[set]);
  summary[set] = {
    accuracy: meanSd(rows.map((r) => r?.accuracy as number)),
    meanMaxSoftmax: meanSd(rows.map((r) => r?.meanMaxSoftmax as number)),
    ...(set === 'calibration' ? { temperatureTS: meanSd(rows.map((r) => r?.temperatureTS as number)) } : {}),
  };
}
const out = { generator: 'scripts/zoo/coloured-seeds.ts', model: 'models/cfmnist-cnn.onnx', data: subset ? 'committed subset' : 'full Debian Fashion-MNIST', seeds: nSeeds, perSeed, summary };
writeFileSync(`docs/coloured-fmnist-seeds${subset ? '-subset' : ''}.json`, `${JSON.stringify(out, null, 1)}\n`);
process.stdout.write(`| set | accuracy (mean ± sd over ${nSeeds} benchmark seeds) | mean max-softmax |\n|---|---:|---:|\n`);
for (const set of sets) {
  const s = summary[set];
  process.stdout.write(`| \`${set}\` | ${s?.accuracy.mean.toFixed(4)} ± ${s?.accuracy.sd.toFixed(4)} | ${s?.meanMaxSoftmax.mean.toFixed(3)} ± ${s?.meanMaxSoftmax.sd.toFixed(3)} |\n`);
}
process.stdout.write(`T_TS on calibration: ${summary['calibration']?.temperatureTS?.mean.toFixed(3)} ± ${summary['calibration']?.temperatureTS?.sd.toFixed(3)}\n`);
