/**
 * Model outputs on the original images and on transformed views of each image, the input of
 * correctness-aware calibration (Liu et al. 2024, arXiv:2404.13016, §3: rotation, greyscale and colour
 * jitter views). Every random draw comes from a per-image stream `imageRng(seed, name, datasetIndex)`, so a
 * result depends only on (seed, view name, image index), not on batching; the draws are returned so they
 * can be stored beside the logits (e.g. `rotation_angle`).
 * A corruption (shifted test set, ImageNet-C style) is applied first, then the views are taken of the
 * corrupted image, as a user would see it at test time.
 */
import { CalibraError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import type { Rng } from '../math/rng.js';
import type { ImageDataset } from '../datasets/types.js';
import { createImage, type Image } from '../views/image.js';
import { parseViewId, viewSpecs, type ViewId, type ViewParams, type ViewResult } from '../views/registry.js';
import { imageRng, imageRngStream } from '../views/seed.js';
import type { RunOptions } from './onnx-runner.js';

/**
 * What the pipeline needs from a model: batched logits for images (OnnxClassifier implements it).
 * Contract: the image returned by `getImage(i)` is read only until the next `getImage` call (the pipeline
 * reuses its pixel buffers from image to image).
 */
export interface ImageClassifier {
  logits(count: number, getImage: (i: number) => Image, opts?: RunOptions): Promise<Matrix<Float64Array>>;
}

/** A corruption to apply before the views: a name for seeding and a seeded image function. */
export interface CorruptionStep {
  /** e.g. 'gaussian_noise:3' (also the Rng stream name). */
  readonly name: string;
  apply(image: Image, rng: Rng): Image;
}

/** What to compute. */
export interface ViewsRequest {
  /** View names as they will be stored (e.g. 'rotation', 'greyscale', 'colorjitter'); each must resolve by parseViewId. */
  readonly views: readonly string[];
  readonly seed: number;
  /** Dataset indices to use (default all, in order). */
  readonly indices?: ArrayLike<number>;
  readonly corruption?: CorruptionStep;
}

/** The logits, labels and the random draws of a views run. */
export interface ViewsRun {
  readonly original: Matrix<Float64Array>;
  readonly views: { readonly names: readonly string[]; readonly logits: readonly Matrix<Float64Array>[] };
  readonly labels: Int32Array;
  /** Dataset index of each row. */
  readonly indices: Int32Array;
  /** Per-view draws as arrays named `<view>_<param>`: N values, or N×len for list params (row-major). */
  readonly draws: ReadonlyMap<string, { readonly shape: readonly number[]; readonly data: Float64Array }>;
  /** Notes such as "greyscale is the identity on grey images" (one per view at most). */
  readonly notes: readonly string[];
}

/** Largest total size of corrupted images kept in memory between passes (512 MiB). */
export const CORRUPTION_CACHE_BYTES = 512 * 2 ** 20;

function drawKey(view: string, param: string): string {
  return `${view}_${param}`.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The draw slots of one view: param name → slot, filled on first use (no key building per image). */
type SlotCache = Map<string, { shape: number[]; data: Float64Array }>;

/**
 * Runs the classifier on the original images and on each view, in batches. The classifier must be
 * deterministic (the same inputs in the same batches give the same logits): a view that is the identity on
 * every image (greyscale on grey images) reuses the original logits. Cost: (1 + #views) model passes over
 * the selected images (one fewer per identity view) plus the pixel work of the views, with no per-image
 * buffer allocation when there is no corruption; memory O(N·K·(1+#views)).
 */
export async function computeViewsLogits(clf: ImageClassifier, ds: ImageDataset, req: ViewsRequest, opts: RunOptions = {}): Promise<ViewsRun> {
  const indices = Int32Array.from(req.indices ?? Array.from({ length: ds.count }, (_, i) => i));
  const n = indices.length;
  if (n === 0) throw new CalibraError('E_EMPTY', `no images selected from dataset '${ds.name}'`, { source: ds.source });
  const ids = req.views.map((v) => parseViewId(v));
  const names = [...req.views];
  if (new Set(names).size !== names.length) throw new CalibraError('E_OPTION', `a view is listed twice in ${names.join(',')}`, { fix: 'list each view once' });

  // Corrupted images are computed once and kept (1 + #views passes read them) unless that would take more
  // than CORRUPTION_CACHE_BYTES; then they are recomputed, with the same per-image draws.
  // Without a corruption, each image is decoded (u8 / maxValue, as ds.image does) into one reused buffer.
  const corruption = req.corruption;
  const cache: (Image | undefined)[] = [];
  const cacheOk = corruption !== undefined && n * ds.width * ds.height * ds.channels * 4 <= CORRUPTION_CACHE_BYTES;
  const per = ds.width * ds.height * ds.channels;
  const pooled = corruption === undefined && ds.pixels.length === ds.count * per;
  if (pooled) {
    for (let i = 0; i < n; i++) {
      const idx = indices[i] as number;
      if (idx < 0 || idx >= ds.count) throw new CalibraError('E_OPTION', `dataset '${ds.name}': image index ${idx} is outside 0..${ds.count - 1}`);
    }
  }
  // u8 → float32 by table: entry b is the float32 of b / maxValue, the value ds.image stores; each pass
  // decodes into one reused image. (Decoding once into a float32 block for all passes was slower: 4× the
  // bytes to read per pass, and the block's allocation.)
  const toFloat = new Float32Array(256);
  for (let b = 0; b < 256; b++) toFloat[b] = b / ds.maxValue;
  const decoded = pooled ? createImage(ds.width, ds.height, ds.channels) : null;
  const base = (i: number): Image => {
    const idx = indices[i] as number;
    if (decoded !== null) {
      const d = decoded.data;
      const px = ds.pixels;
      const off = idx * per;
      for (let k = 0; k < per; k++) d[k] = toFloat[px[off + k] as number] as number;
      return decoded;
    }
    if (corruption === undefined) return ds.image(idx);
    const hit = cache[i];
    if (hit !== undefined) return hit;
    const img = corruption.apply(ds.image(idx), imageRng(req.seed, corruption.name, idx));
    if (cacheOk) cache[i] = img;
    return img;
  };

  const draws = new Map<string, { shape: number[]; data: Float64Array }>();
  const notes = new Set<string>();
  const record = (view: string, slots: SlotCache, i: number, params: ViewParams): void => {
    for (const k in params) {
      const v = params[k];
      let slot = slots.get(k);
      if (typeof v === 'number' || typeof v === 'boolean') {
        if (slot === undefined) slot = slotFor(view, k, [n]);
        slots.set(k, slot);
        slot.data[i * (slot.shape[1] ?? 1)] = typeof v === 'number' ? v : v ? 1 : 0;
      } else if (Array.isArray(v)) {
        const vals = v as readonly number[];
        if (slot === undefined) slot = slotFor(view, k, [n, vals.length]);
        slots.set(k, slot);
        const width = slot.shape[1] ?? 1;
        for (let j = 0; j < Math.min(width, vals.length); j++) slot.data[i * width + j] = vals[j] as number;
      }
    }
  };
  const slotFor = (view: string, k: string, shape: number[]): { shape: number[]; data: Float64Array } => {
    const key = drawKey(view, k);
    let slot = draws.get(key);
    if (slot === undefined) {
      slot = { shape, data: new Float64Array(n * (shape[1] ?? 1)) };
      draws.set(key, slot);
    }
    return slot;
  };

  const passes = 1 + names.length;
  const progress = (pass: number) => (f: number, m?: string): void => opts.onProgress?.((pass + f) / passes, `${pass === 0 ? 'original' : names[pass - 1]} ${m ?? ''}`.trim());
  const original = await clf.logits(n, base, { ...opts, onProgress: progress(0) });
  const viewLogits: Matrix<Float64Array>[] = [];
  for (let v = 0; v < names.length; v++) {
    const name = names[v] as string;
    const id = ids[v] as ViewId;
    const spec = viewSpecs[id];
    // One scratch image per view pass, reused for every image (rotation and jitter write into it); it is
    // made on the first image so it has that image's shape (corruptions keep the dataset's shape).
    let scratch: Image | null = null;
    let noted = '';
    const rngFor = imageRngStream(req.seed, name);
    const slots: SlotCache = new Map();
    const apply = (i: number, img: Image): ViewResult => {
      if (scratch === null || scratch.width !== img.width || scratch.height !== img.height || scratch.channels !== img.channels) {
        scratch = createImage(img.width, img.height, img.channels);
      }
      const res = spec.apply(img, spec.sample(rngFor(indices[i] as number), img.height, img.width), scratch);
      record(name, slots, i, res.params);
      if (res.identities.length > 0) {
        const key = res.identities.join(',');
        if (key !== noted) {
          noted = key;
          notes.add(`${name}: ${[...res.identities].sort().join(', ')} left grey images unchanged (identity)`);
        }
      }
      return res;
    };
    // A view that returns every input image itself (greyscale on grey images) feeds the model exactly the
    // original pass's inputs in the same batches, so its logits are those of the original pass: copied,
    // not recomputed (the draws and notes are still recorded). Any other view stops this check at image 0.
    let identity = true;
    for (let i = 0; i < n && identity; i++) {
      const img = base(i);
      const res = apply(i, img);
      identity = res.identityOnGrey && res.image === img;
    }
    let logits: Matrix<Float64Array>;
    if (identity) {
      logits = { data: original.data.slice(), rows: original.rows, cols: original.cols };
      progress(v + 1)(1, `${n}/${n}`);
    } else {
      logits = await clf.logits(n, (i) => apply(i, base(i)).image, { ...opts, onProgress: progress(v + 1) });
    }
    if (logits.cols !== original.cols) throw new CalibraError('E_SHAPE', `view '${name}' gave ${logits.cols} classes, the original ${original.cols}`);
    viewLogits.push(logits);
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) labels[i] = ds.labels[indices[i] as number] as number;
  return { original, views: { names, logits: viewLogits }, labels, indices, draws, notes: [...notes] };
}
