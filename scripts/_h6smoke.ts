import { loadDataset } from '../src/datasets/index.js';
import { applyCorruption, corruptionIds, applyView, viewIds, imageRng, greyToRgb } from '../src/views/index.js';
const ds = await loadDataset('fashion-mnist:test');
const img = ds.image(0);
for (const id of viewIds) { const r = applyView(id, img, imageRng(0, id, 0)); console.log(id, JSON.stringify(r.params), r.identities); }
for (const rgb of [false, true]) {
  const im = rgb ? greyToRgb(img) : img;
  for (const c of corruptionIds) for (let s = 1; s <= 5; s++) {
    const t = performance.now();
    const r = applyCorruption(c, s, im, imageRng(0, c, 0));
    let mn = 1, mx = 0, diff = 0; for (let i = 0; i < r.image.data.length; i++) { const v = r.image.data[i]!; mn = Math.min(mn, v); mx = Math.max(mx, v); diff += Math.abs(v - im.data[i]!); }
    if (s === 1 || s === 5) console.log(rgb ? 'rgb' : 'grey', c, s, (performance.now() - t).toFixed(2), 'ms', mn.toFixed(3), mx.toFixed(3), 'mad', (diff / im.data.length).toFixed(4));
  }
}
