/**
 * The model's preprocessing, as a small config (JSON file, a zoo manifest's `preprocess` field, or CLI
 * flags): how an `Image` (float HWC in [0, 1], src/views/image.ts) becomes the model's input tensor.
 *
 *   value = (pixel · scale − mean[c]) / std[c]
 *
 * after resizing to `inputSize` (bilinear, half-pixel centres as OpenCV INTER_LINEAR and PyTorch
 * `align_corners=False`) and converting channels (grey → 3 channels by replication, RGB → grey by ITU-R 601
 * luma, RGB → BGR by swapping). Layout NCHW (PyTorch/ONNX) or NHWC (TensorFlow).
 * Browser-safe: no Node imports.
 */
import { CalibraError } from '../errors.js';
import type { Image } from '../views/image.js';

/** Which channels the model reads, in order. */
export type ChannelOrder = 'rgb' | 'bgr' | 'grey';

/** The preprocessing of one model. */
export interface PreprocessConfig {
  /** [height, width] the model expects; null keeps the image's own size. */
  readonly inputSize: readonly [number, number] | null;
  readonly channels: ChannelOrder;
  readonly layout: 'nchw' | 'nhwc';
  /** Multiplies the [0, 1] pixel before mean/std (255 for models fed 0..255). Default 1. */
  readonly scale: number;
  /** Per-channel mean (one value is broadcast). Default [0]. */
  readonly mean: readonly number[];
  /** Per-channel standard deviation (one value is broadcast). Default [1]. */
  readonly std: readonly number[];
  /** ONNX input name; null = the model's first input. */
  readonly inputName: string | null;
  /** ONNX output name; null = the model's first output. */
  readonly outputName: string | null;
  /** What the output holds: logits, probabilities (turned into ln p) or log-probabilities. */
  readonly output: 'logits' | 'probs' | 'log-probs';
}

/** The defaults: keep size, RGB, NCHW, no normalisation, first input/output, logits. */
export const DEFAULT_PREPROCESS: PreprocessConfig = {
  inputSize: null, channels: 'rgb', layout: 'nchw', scale: 1, mean: [0], std: [1], inputName: null, outputName: null, output: 'logits',
};

/** The ImageNet convention used by torchvision/timm models. */
export const IMAGENET_PREPROCESS: PreprocessConfig = {
  ...DEFAULT_PREPROCESS, inputSize: [224, 224], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
};

const KEYS = ['inputSize', 'channels', 'layout', 'scale', 'mean', 'std', 'inputName', 'outputName', 'output'] as const;

function fail(source: string, field: string, message: string, fix: string): never {
  throw new CalibraError('E_OPTION', message, { source, where: `field '${field}'`, fix });
}

function numbers(v: unknown, source: string, field: string, positive: boolean): number[] {
  const arr = typeof v === 'number' ? [v] : v;
  if (!Array.isArray(arr) || (arr.length !== 1 && arr.length !== 3) || arr.some((x) => typeof x !== 'number' || !Number.isFinite(x) || (positive && x <= 0))) {
    fail(source, field, `${field} must be a number or a list of 1 or 3 ${positive ? 'positive ' : ''}numbers, got ${JSON.stringify(v)}`, `e.g. "${field}": [${positive ? '0.229, 0.224, 0.225' : '0.485, 0.456, 0.406'}]`);
  }
  return arr as number[];
}

/**
 * Validates a partial config (from JSON or flags) and fills the defaults. Unknown keys are an error.
 * Throws E_OPTION naming the field and the fix. O(1).
 * @example resolvePreprocess({ channels: 'grey', inputSize: [28, 28] }).layout // => 'nchw'
 */
export function resolvePreprocess(raw: Readonly<Record<string, unknown>>, source = 'preprocess config', base: PreprocessConfig = DEFAULT_PREPROCESS): PreprocessConfig {
  for (const k of Object.keys(raw)) {
    if (!(KEYS as readonly string[]).includes(k)) fail(source, k, `unknown preprocessing key '${k}'`, `known keys: ${KEYS.join(', ')}`);
  }
  const out: { -readonly [K in keyof PreprocessConfig]: PreprocessConfig[K] } = { ...base };
  if (raw['inputSize'] !== undefined && raw['inputSize'] !== null) {
    const v = raw['inputSize'];
    const arr = typeof v === 'number' ? [v, v] : v;
    if (!Array.isArray(arr) || arr.length !== 2 || arr.some((x) => !Number.isInteger(x) || (x as number) < 1 || (x as number) > 8192)) {
      fail(source, 'inputSize', `inputSize must be [height, width] of positive integers, got ${JSON.stringify(v)}`, 'e.g. "inputSize": [224, 224]');
    }
    out.inputSize = [arr[0] as number, arr[1] as number];
  } else if (raw['inputSize'] === null) out.inputSize = null;
  if (raw['channels'] !== undefined) {
    const c = String(raw['channels']).toLowerCase();
    const mapped = c === 'gray' || c === 'l' ? 'grey' : c;
    if (mapped !== 'rgb' && mapped !== 'bgr' && mapped !== 'grey') fail(source, 'channels', `channels must be rgb, bgr or grey, got ${JSON.stringify(raw['channels'])}`, 'use "rgb", "bgr" or "grey"');
    out.channels = mapped;
  }
  if (raw['layout'] !== undefined) {
    const l = String(raw['layout']).toLowerCase();
    if (l !== 'nchw' && l !== 'nhwc') fail(source, 'layout', `layout must be nchw or nhwc, got ${JSON.stringify(raw['layout'])}`, 'use "nchw" (PyTorch/ONNX) or "nhwc" (TensorFlow)');
    out.layout = l;
  }
  if (raw['scale'] !== undefined) {
    const s = raw['scale'];
    if (typeof s !== 'number' || !Number.isFinite(s) || s <= 0) fail(source, 'scale', `scale must be a positive number, got ${JSON.stringify(s)}`, 'use 1 for [0,1] inputs or 255 for 0..255 inputs');
    out.scale = s;
  }
  if (raw['mean'] !== undefined) out.mean = numbers(raw['mean'], source, 'mean', false);
  if (raw['std'] !== undefined) out.std = numbers(raw['std'], source, 'std', true);
  for (const k of ['inputName', 'outputName'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (v !== null && (typeof v !== 'string' || v === '')) fail(source, k, `${k} must be a non-empty string or null, got ${JSON.stringify(v)}`, `give the ONNX ${k === 'inputName' ? 'input' : 'output'} name, or omit it for the first one`);
    out[k] = v;
  }
  if (raw['output'] !== undefined) {
    const o = String(raw['output']).toLowerCase();
    if (o !== 'logits' && o !== 'probs' && o !== 'log-probs') fail(source, 'output', `output must be logits, probs or log-probs, got ${JSON.stringify(raw['output'])}`, 'say what the model\'s output holds');
    out.output = o;
  }
  if (out.channels === 'grey' && (out.mean.length !== 1 || out.std.length !== 1)) {
    fail(source, out.mean.length !== 1 ? 'mean' : 'std', 'a grey model takes one mean and one std', 'give a single number');
  }
  return out;
}

/**
 * Parses a preprocessing JSON text: either the config itself or an object with a `preprocess` field (a zoo
 * manifest, models/<id>.json). Throws E_FORMAT on bad JSON, E_OPTION on bad fields.
 */
export function parsePreprocessJson(text: string, source: string): PreprocessConfig {
  let v: unknown;
  try { v = JSON.parse(text); } catch (e) {
    throw new CalibraError('E_FORMAT', `not valid JSON: ${(e as Error).message}`, { source, fix: 'write the preprocessing config as a JSON object' });
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new CalibraError('E_FORMAT', 'preprocessing config must be a JSON object', { source });
  const obj = v as Record<string, unknown>;
  const inner = obj['preprocess'];
  if (inner !== undefined) {
    if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) throw new CalibraError('E_FORMAT', "field 'preprocess' must be an object", { source, where: "field 'preprocess'" });
    return resolvePreprocess(inner as Record<string, unknown>, source);
  }
  return resolvePreprocess(obj, source);
}

/** Number of values per image in the model's input. */
export function valuesPerImage(cfg: PreprocessConfig, image: { height: number; width: number }): number {
  const [h, w] = cfg.inputSize ?? [image.height, image.width];
  return h * w * (cfg.channels === 'grey' ? 1 : 3);
}

/**
 * Bilinear resize with half-pixel centres (OpenCV INTER_LINEAR, PyTorch `interpolate(align_corners=False)`,
 * no antialiasing), edge-clamped. Returns the image itself when the size already matches. O(H'·W'·C).
 * @example
 * import { createImage } from '../views/image.js';
 * resizeBilinear(createImage(2, 1, 1, Float32Array.of(0, 1)), 1, 4).data // => [0, 0.25, 0.75, 1]
 */
export function resizeBilinear(img: Image, height: number, width: number): Image {
  if (img.height === height && img.width === width) return img;
  const c = img.channels;
  const out = new Float32Array(height * width * c);
  const sy = img.height / height;
  const sx = img.width / width;
  const src = img.data;
  for (let y = 0; y < height; y++) {
    let fy = (y + 0.5) * sy - 0.5;
    if (fy < 0) fy = 0;
    const y0 = Math.min(Math.floor(fy), img.height - 1);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      let fx = (x + 0.5) * sx - 0.5;
      if (fx < 0) fx = 0;
      const x0 = Math.min(Math.floor(fx), img.width - 1);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const wx = fx - x0;
      for (let k = 0; k < c; k++) {
        const a = src[(y0 * img.width + x0) * c + k] as number;
        const b = src[(y0 * img.width + x1) * c + k] as number;
        const d = src[(y1 * img.width + x0) * c + k] as number;
        const e = src[(y1 * img.width + x1) * c + k] as number;
        out[(y * width + x) * c + k] = (1 - wy) * ((1 - wx) * a + wx * b) + wy * ((1 - wx) * d + wx * e);
      }
    }
  }
  return { data: out, width, height, channels: c, layout: 'HWC' };
}

const LUMA = [0.2989, 0.587, 0.114] as const;

/**
 * Writes one image into `out` at `offset` as the model's input (resize, channels, scale, mean/std, layout).
 * Returns the number of values written. O(H·W·C).
 * @example
 * import { createImage } from '../views/image.js';
 * const cfg = resolvePreprocess({ channels: 'grey', layout: 'nchw', scale: 1, mean: [0.5], std: [0.5] });
 * const out = new Float32Array(1);
 * writeImageTensor(createImage(1, 1, 1, Float32Array.of(1)), cfg, out, 0) // => 1
 * out // => [1]
 */
export function writeImageTensor(image: Image, cfg: PreprocessConfig, out: Float32Array, offset: number): number {
  const img = cfg.inputSize === null ? image : resizeBilinear(image, cfg.inputSize[0], cfg.inputSize[1]);
  const hw = img.height * img.width;
  const nc = cfg.channels === 'grey' ? 1 : 3;
  const src = img.data;
  const sc = img.channels;
  const scale = cfg.scale;
  const nchw = cfg.layout === 'nchw';
  // One branch-free loop per channel; the value expression is the same in every case, (v·scale − mean) / std
  // in float64 stored as float32, so each path gives the same bits.
  for (let c = 0; c < nc; c++) {
    const mean = (cfg.mean.length === 1 ? cfg.mean[0] : cfg.mean[c]) as number;
    const std = (cfg.std.length === 1 ? cfg.std[0] : cfg.std[c]) as number;
    const srcC = cfg.channels === 'bgr' ? 2 - c : c;
    const base = offset + (nchw ? c * hw : c);
    const step = nchw ? 1 : nc;
    if (sc === 1 && nc === 1 && scale === 1 && mean === 0 && std === 1) {
      // (v·1 − 0) / 1 is v exactly (−0 stays −0): a plain copy of the float32 values.
      if (step === 1) out.set(src, base);
      else for (let p = 0; p < hw; p++) out[base + p * step] = src[p] as number;
    } else if (sc === 1) {
      for (let p = 0; p < hw; p++) out[base + p * step] = ((src[p] as number) * scale - mean) / std;
    } else if (nc === 1) {
      for (let p = 0; p < hw; p++) {
        const v = LUMA[0] * (src[3 * p] as number) + LUMA[1] * (src[3 * p + 1] as number) + LUMA[2] * (src[3 * p + 2] as number);
        out[base + p * step] = (v * scale - mean) / std;
      }
    } else {
      for (let p = 0; p < hw; p++) out[base + p * step] = ((src[3 * p + srcC] as number) * scale - mean) / std;
    }
  }
  return hw * nc;
}

/**
 * Resizes an image to `inner`×`inner` (bilinear) and centres it in a zero `size`×`size` frame. Used for the
 * natural digit shift: scikit-learn's 8×8 digits fill their frame, OpenCV's 20×20 digits keep a margin of
 * about 3 pixels, so `fitIntoFrame(sk, 14, 20)` puts the sklearn digit where an OpenCV-trained model expects
 * it. O(size²·C).
 * @example fitIntoFrame(createImage(1, 1, 1, Float32Array.of(1)), 1, 3).data // => [0,0,0, 0,1,0, 0,0,0]
 */
export function fitIntoFrame(img: Image, inner: number, size: number): Image {
  const r = resizeBilinear(img, inner, inner);
  const c = img.channels;
  const out = new Float32Array(size * size * c);
  const m = Math.floor((size - inner) / 2);
  for (let y = 0; y < inner; y++) out.set(r.data.subarray(y * inner * c, (y + 1) * inner * c), ((y + m) * size + m) * c);
  return { data: out, width: size, height: size, channels: c, layout: 'HWC' };
}
