/**
 * Cuts the committed Fashion-MNIST subset from Debian's full set:
 *   npx tsx scripts/make-fmnist-subset.ts [--train-per-class 600] [--test-per-class 200] [--seed 20240421]
 * Stratified per class, seeded (calibra's xoshiro128** Rng), original order kept. Writes idx.gz files to
 * data/fashion-mnist-subset/ plus indices.json (the original index of every kept image).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/math/rng.js';
import { encodeIdx, loadDataset, stratifiedIndices } from '../src/datasets/index.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

async function main(): Promise<void> {
  const seed = arg('--seed', 20240421);
  const per = { train: arg('--train-per-class', 600), test: arg('--test-per-class', 200) };
  const outDir = join('data', 'fashion-mnist-subset');
  mkdirSync(outDir, { recursive: true });
  const kept: Record<string, number[]> = {};
  for (const split of ['train', 'test'] as const) {
    const ds = await loadDataset(`fashion-mnist:${split}`);
    if (!ds.note.startsWith('full')) throw new Error('the full Debian Fashion-MNIST set is needed: apt-get install dataset-fashion-mnist');
    const idx = stratifiedIndices(ds.labels, 10, per[split], new Rng(seed + (split === 'train' ? 0 : 1)));
    const size = ds.width * ds.height;
    const pixels = new Uint8Array(idx.length * size);
    const labels = new Uint8Array(idx.length);
    idx.forEach((i, k) => { pixels.set(ds.pixels.subarray(i * size, (i + 1) * size), k * size); labels[k] = ds.labels[i] as number; });
    const prefix = split === 'train' ? 'train' : 't10k';
    writeFileSync(join(outDir, `${prefix}-images-idx3-ubyte.gz`), encodeIdx([idx.length, ds.height, ds.width], pixels));
    writeFileSync(join(outDir, `${prefix}-labels-idx1-ubyte.gz`), encodeIdx([idx.length], labels));
    kept[split] = Array.from(idx);
    console.log(`${split}: kept ${idx.length} of ${ds.count} (${per[split]} per class), seed ${seed + (split === 'train' ? 0 : 1)}`);
  }
  writeFileSync(join(outDir, 'indices.json'), JSON.stringify({ seed, perClass: per, train: kept['train'], test: kept['test'] }) + '\n');
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
