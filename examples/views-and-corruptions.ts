/**
 * Loads Fashion-MNIST (full Debian set if installed, else the committed subset), applies the three CA
 * views and one corruption to the first image, and prints the stored draws.
 *   npx tsx examples/views-and-corruptions.ts
 */
import { loadDataset } from '../src/datasets/index.js';
import { applyCorruption, applyView, imageRng } from '../src/views/index.js';

const ds = await loadDataset('fashion-mnist:test');
console.log(`${ds.count} images, first is a ${ds.classes[ds.labels[0] ?? 0] ?? '?'} (${ds.note})`);
const img = ds.image(0);
for (const id of ['rotation', 'greyscale', 'colour-jitter'] as const) {
  const r = applyView(id, img, imageRng(0, id, 0));
  console.log(id, JSON.stringify(r.params), r.identities.length > 0 ? `identities on grey: ${r.identities.join(', ')}` : '');
}
const c = applyCorruption('gaussian_noise', 3, img, imageRng(0, 'gaussian_noise:3', 0));
console.log('gaussian_noise:3', JSON.stringify(c.params));
