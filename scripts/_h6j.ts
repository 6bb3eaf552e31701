import sharp from 'sharp';
import { loadDataset } from '../src/datasets/index.js';
import { imageToU8, greyToRgb, imageFromU8 } from '../src/views/index.js';
import { jpegRoundTrip } from '../src/views/corruptions/jpeg.js';
import { readFileSync } from 'node:fs';
const ds = await loadDataset('fashion-mnist-subset:test');
const { data: china } = await sharp('/usr/lib/python3/dist-packages/sklearn/datasets/images/china.jpg').resize(Number(process.env.W), Number(process.env.H)).raw().toBuffer({ resolveWithObject: true });
for (const c of [1, 3, 33] as const) for (const q of [80, 40, 15, 7]) {
  let e = 0, n = 0, mx = 0, neq = 0;
  for (let i = 0; i < (c === 33 ? 1 : 50); i++) {
    const img = c === 1 ? ds.image(i) : c === 3 ? greyToRgb(ds.image(i)) : imageFromU8(china, Number(process.env.W), Number(process.env.H), 3);
    const ch = img.channels;
    const bytes = imageToU8(img, 'roundHalfUp');
    const enc = sharp(bytes, { raw: { width: img.width, height: img.height, channels: ch } });
    const jpg = await (ch === 1 ? enc.toColourspace('b-w') : enc).jpeg({ quality: q, chromaSubsampling: '4:2:0' }).toBuffer();
    const dec = ch === 1 ? await sharp(jpg).extractChannel(0).raw().toBuffer() : await sharp(jpg).raw().toBuffer();
    const ours = imageToU8(jpegRoundTrip(img, q), 'roundHalfUp');
    for (let k = 0; k < ours.length; k++) { const d = Math.abs(ours[k]! - dec[k]!); e += d; n++; mx = Math.max(mx, d); if (d) neq++; }
  }
  console.log(`channels ${c} q ${q}: mean |ours - sharp| ${(e / n).toFixed(4)}, max ${mx}, differing ${neq}/${n}`);
}
void readFileSync;
