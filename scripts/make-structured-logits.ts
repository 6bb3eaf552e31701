/**
 * Writes seeded "random but structured" logits for scale tests of `calibra compare` (issue 3: 50 000 × 1 000):
 * each sample has a true class y; its logits are s·(m·1[k = y] + b_k + ε_k) with ε ~ N(0, 1), per-class biases
 * b_k ~ N(0, 0.3²), margin m = 3.5 and an overconfidence scale s = 2.5, so the argmax is right about half the
 * time and the softmax is overconfident. Writes float32 val/test logits and int32 labels as .npy.
 *
 *   npx tsx scripts/make-structured-logits.ts --n 50000 --k 1000 --out /tmp/structured [--seed 1]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/math/rng.js';
import { encodeNpy } from '../src/data/npy.js';

const arg = (name: string, dflt: string): string => { const i = process.argv.indexOf(name); return i >= 0 ? (process.argv[i + 1] as string) : dflt; };

const n = Number(arg('--n', '50000'));
const k = Number(arg('--k', '1000'));
const out = arg('--out', '/tmp/structured');
const rng = new Rng(Number(arg('--seed', '1')));
const bias = Float64Array.from({ length: k }, () => 0.3 * rng.normal());
mkdirSync(out, { recursive: true });
for (const split of ['val', 'test']) {
  const z = new Float32Array(n * k);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = rng.int(k);
    y[i] = label;
    for (let j = 0; j < k; j++) z[i * k + j] = 2.5 * ((j === label ? 3.5 : 0) + (bias[j] as number) + rng.normal());
  }
  writeFileSync(join(out, `${split}-logits.npy`), encodeNpy({ shape: [n, k], data: z }));
  writeFileSync(join(out, `${split}-labels.npy`), encodeNpy({ shape: [n], data: y }));
}
process.stderr.write(`wrote ${out}/{val,test}-{logits,labels}.npy (${n} × ${k})\n`);
