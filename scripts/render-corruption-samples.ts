/**
 * Contact sheets for checking views and corruptions by eye:
 *   npx tsx scripts/render-corruption-samples.ts [--out docs/corruptions] [--seed 0]
 * One PNG per corruption (columns: original, severity 1..5; rows: four Fashion-MNIST test images with the
 * MNIST-C table, then one 32×32 RGB photo with the CIFAR-10-C table when Debian's python3-sklearn
 * china.jpg is present) and views.png (columns: original, then each view). Pixels are scaled ×4, nearest.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { loadDataset } from '../src/datasets/index.js';
import { applyCorruption, applyView, corruptionIds, greyToRgb, imageFromU8, imageRng, viewIds, type Image } from '../src/views/index.js';

const SCALE = 4;
const CELL = 32 * SCALE;
const GAP = 4;

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? dflt) : dflt;
}

/** Draws `img` (grey or RGB) ×SCALE into the RGB canvas at cell (row, col), centred. */
function blit(canvas: Uint8Array, width: number, img: Image, row: number, col: number): void {
  const rgb = greyToRgb(img);
  const ox = col * (CELL + GAP) + GAP + Math.floor((CELL - img.width * SCALE) / 2);
  const oy = row * (CELL + GAP) + GAP + Math.floor((CELL - img.height * SCALE) / 2);
  for (let y = 0; y < img.height * SCALE; y++) for (let x = 0; x < img.width * SCALE; x++) {
    const s = (Math.floor(y / SCALE) * img.width + Math.floor(x / SCALE)) * 3;
    const d = ((oy + y) * width + ox + x) * 3;
    for (let c = 0; c < 3; c++) canvas[d + c] = Math.round((rgb.data[s + c] as number) * 255);
  }
}

async function sheet(path: string, rows: Image[][]): Promise<void> {
  const cols = Math.max(...rows.map((r) => r.length));
  const width = cols * (CELL + GAP) + GAP;
  const height = rows.length * (CELL + GAP) + GAP;
  const canvas = new Uint8Array(width * height * 3).fill(96);
  rows.forEach((r, i) => r.forEach((img, j) => blit(canvas, width, img, i, j)));
  await sharp(canvas, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 9, palette: false }).toFile(path);
}

async function photo(): Promise<Image | null> {
  const p = '/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg';
  if (!existsSync(p)) return null;
  const { data } = await sharp(p).extract({ left: 160, top: 20, width: 300, height: 300 }).resize(32, 32).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return imageFromU8(data, 32, 32, 3);
}

async function main(): Promise<void> {
  const out = arg('--out', join('docs', 'corruptions'));
  const seed = Number(arg('--seed', '0'));
  mkdirSync(out, { recursive: true });
  const ds = await loadDataset('fashion-mnist-subset:test');
  const picks = [0, 7, 12, 25].map((k) => ds.image(k));
  const rgb = await photo();
  const inputs: Image[] = rgb === null ? picks : [...picks, rgb];
  for (const name of corruptionIds) {
    const rows = inputs.map((img, i) => [img, ...[1, 2, 3, 4, 5].map((s) => applyCorruption(name, s, img, imageRng(seed, `${name}:${s}`, i)).image)]);
    await sheet(join(out, `${name}.png`), rows);
    console.log(`wrote ${join(out, `${name}.png`)}`);
  }
  const viewRows = inputs.map((img, i) => [img, ...viewIds.map((id) => applyView(id, img, imageRng(seed, id, i)).image)]);
  await sheet(join(out, 'views.png'), viewRows);
  console.log(`wrote ${join(out, 'views.png')} (columns: original, ${viewIds.join(', ')})`);
}

main().catch((e: unknown) => { console.error(e); process.exit(1); });
