/**
 * Runs an ONNX image classifier with onnxruntime-node over images in batches and returns float64 logits.
 * The model's preprocessing is a PreprocessConfig (./preprocess.ts). Probabilities are turned into ln p
 * (clipped at PROB_EPS) so every calibrator receives logits (softmax(ln p) = p).
 * Node only (onnxruntime-node, imported on the first `OnnxClassifier.load`, so importing this module loads no
 * addon); the browser build would use onnxruntime-web with the same preprocessing.
 */
import type * as Ort from 'onnxruntime-node';
import { CalibraError } from '../errors.js';
import { importOptional } from '../optional-import.js';
import type { Matrix } from '../math/matrix.js';
import type { Image } from '../views/image.js';
import { valuesPerImage, writeImageTensor, type PreprocessConfig } from './preprocess.js';

/** Probabilities below this are clipped before the log (a model that outputs exact zeros). */
export const PROB_EPS = 1e-12;

/** Activation memory is assumed to be this many times the input tensor (a generous rule for small CNNs). */
export const ACTIVATION_FACTOR = 16;

/**
 * The batch size that keeps one batch within `budgetBytes`: input floats × 4 bytes × ACTIVATION_FACTOR per
 * image, clamped to [1, 1024]. O(1).
 * @example batchSizeForBudget(784, 256 * 2 ** 20) // => 1024
 */
export function batchSizeForBudget(valuesPerSample: number, budgetBytes: number): number {
  const per = Math.max(1, valuesPerSample) * 4 * ACTIVATION_FACTOR;
  return Math.max(1, Math.min(1024, Math.floor(budgetBytes / per)));
}

/** Largest accepted `threads`. */
export const MAX_THREADS = 256;

let ortLoaded: Promise<typeof Ort> | null = null;

/** onnxruntime-node, imported once (about 100 ms the first time). */
function loadOrt(): Promise<typeof Ort> {
  ortLoaded ??= importOptional('onnxruntime-node', 'running ONNX models', () => import('onnxruntime-node'));
  return ortLoaded;
}

/** Options of a classifier session. */
export interface ClassifierOptions {
  /**
   * onnxruntime intra-op threads (`intraOpNumThreads`) used inside each model call; default 1. Inter-op
   * threads stay 1 (the zoo graphs are sequential). The view and preprocessing code is single-threaded.
   */
  readonly threads?: number;
}

/** Options for one inference pass. */
export interface RunOptions {
  /** Images per ONNX call; default from `memoryBudgetBytes` (default 256 MiB) by batchSizeForBudget. */
  readonly batchSize?: number;
  readonly memoryBudgetBytes?: number;
  /** Called after each batch with the fraction done. */
  readonly onProgress?: (fraction: number, message?: string) => void;
}

/** An ONNX classifier session plus its preprocessing. Create with `OnnxClassifier.load`. */
export class OnnxClassifier {
  readonly inputName: string;
  readonly outputName: string;
  readonly preprocess: PreprocessConfig;
  readonly source: string;
  private readonly session: Ort.InferenceSession;
  private readonly ort: typeof Ort;

  private constructor(ort: typeof Ort, session: Ort.InferenceSession, preprocess: PreprocessConfig, source: string) {
    this.ort = ort;
    this.session = session;
    this.preprocess = preprocess;
    this.source = source;
    const inName = preprocess.inputName ?? session.inputNames[0];
    const outName = preprocess.outputName ?? session.outputNames[0];
    if (inName === undefined || !session.inputNames.includes(inName)) {
      throw new CalibraError('E_OPTION', `model has no input named ${JSON.stringify(inName)}`, { source, where: "preprocess field 'inputName'", fix: `the inputs are: ${session.inputNames.join(', ')}` });
    }
    if (outName === undefined || !session.outputNames.includes(outName)) {
      throw new CalibraError('E_OPTION', `model has no output named ${JSON.stringify(outName)}`, { source, where: "preprocess field 'outputName'", fix: `the outputs are: ${session.outputNames.join(', ')}` });
    }
    this.inputName = inName;
    this.outputName = outName;
  }

  /**
   * Loads an ONNX model from a path or bytes. Throws E_IO / E_FORMAT naming the file when onnxruntime
   * cannot read it, E_OPTION for a bad `threads`. Cost: the session creation (milliseconds for the zoo models).
   */
  static async load(model: string | Uint8Array, preprocess: PreprocessConfig, source = typeof model === 'string' ? model : 'model.onnx', options: ClassifierOptions = {}): Promise<OnnxClassifier> {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
      throw new CalibraError('E_OPTION', `threads must be an integer in 1..${MAX_THREADS}, got ${threads}`, { source, fix: 'give --threads 1 (the default) up to the number of CPU cores' });
    }
    const sessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1 };
    const ort = await loadOrt();
    let session: Ort.InferenceSession;
    try {
      session = typeof model === 'string'
        ? await ort.InferenceSession.create(model, sessionOptions)
        : await ort.InferenceSession.create(model, sessionOptions);
    } catch (e) {
      const msg = (e as Error).message;
      const code = /no such file|ENOENT|doesn't exist|not exist|File doesn't/i.test(msg) ? 'E_IO' : 'E_FORMAT';
      throw new CalibraError(code, `onnxruntime could not load the model: ${msg.split('\n')[0] ?? msg}`, { source, fix: code === 'E_IO' ? 'check the --model path' : 'give an ONNX classifier file (.onnx)' });
    }
    return new OnnxClassifier(ort, session, preprocess, source);
  }

  /** The batch size for images like `sample` under RunOptions. */
  batchSizeFor(sample: { height: number; width: number }, opts: RunOptions = {}): number {
    if (opts.batchSize !== undefined) return opts.batchSize;
    return batchSizeForBudget(valuesPerImage(this.preprocess, sample), opts.memoryBudgetBytes ?? 256 * 2 ** 20);
  }

  /**
   * Logits for `count` images produced by `getImage(i)`, as an N×K float64 matrix. All images must have
   * the same size unless `inputSize` is set. O(N × model cost).
   */
  async logits(count: number, getImage: (i: number) => Image, opts: RunOptions = {}): Promise<Matrix<Float64Array>> {
    if (count === 0) throw new CalibraError('E_EMPTY', 'no images to run the model on', { source: this.source });
    const first = getImage(0);
    const per = valuesPerImage(this.preprocess, first);
    const batch = Math.min(count, this.batchSizeFor(first, opts));
    const buf = new Float32Array(batch * per);
    let out: Float64Array | null = null;
    let k = 0;
    for (let s = 0; s < count; s += batch) {
      const n = Math.min(batch, count - s);
      for (let b = 0; b < n; b++) {
        const img = s + b === 0 ? first : getImage(s + b);
        if (valuesPerImage(this.preprocess, img) !== per) {
          throw new CalibraError('E_SHAPE', `image ${s + b} is ${img.width}×${img.height}, unlike image 0 (${first.width}×${first.height})`, { source: this.source, fix: 'set inputSize in the preprocessing config so images are resized' });
        }
        writeImageTensor(img, this.preprocess, buf, b * per);
      }
      const rows = await this.runBatch(buf.subarray(0, n * per), n, first);
      if (out === null) { k = rows.length / n; out = new Float64Array(count * k); }
      out.set(rows, s * k);
      opts.onProgress?.((s + n) / count, `${s + n}/${count}`);
    }
    return { data: out as Float64Array, rows: count, cols: k };
  }

  /** Runs one preprocessed batch; returns n×K float64 logits. */
  private async runBatch(input: Float32Array, n: number, sample: Image): Promise<Float64Array> {
    const [h, w] = this.preprocess.inputSize ?? [sample.height, sample.width];
    const c = this.preprocess.channels === 'grey' ? 1 : 3;
    const dims = this.preprocess.layout === 'nchw' ? [n, c, h, w] : [n, h, w, c];
    let result: Ort.InferenceSession.OnnxValueMapType;
    try {
      result = await this.session.run({ [this.inputName]: new this.ort.Tensor('float32', input, dims) }, [this.outputName]);
    } catch (e) {
      throw new CalibraError('E_SHAPE', `onnxruntime failed on an input of shape [${dims.join(', ')}]: ${((e as Error).message.split('\n')[0]) ?? ''}`, { source: this.source, fix: 'check inputSize, channels and layout in the preprocessing config against the model input' });
    }
    const t = result[this.outputName] as Ort.Tensor;
    const data = t.data;
    if (!(data instanceof Float32Array) && !(data instanceof Float64Array)) {
      throw new CalibraError('E_DTYPE', `output '${this.outputName}' has type ${t.type}, expected float`, { source: this.source });
    }
    if (data.length % n !== 0 || data.length === n * 0) {
      throw new CalibraError('E_SHAPE', `output '${this.outputName}' has ${data.length} values for ${n} images`, { source: this.source });
    }
    const k = data.length / n;
    const out = new Float64Array(data.length);
    const kind = this.preprocess.output;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      if (!Number.isFinite(v) && !(kind === 'log-probs' && v === -Infinity)) {
        throw new CalibraError('E_NON_FINITE', `model output ${v} for image row ${Math.floor(i / k)}, class ${i % k}`, { source: this.source, fix: 'check the preprocessing (scale, mean, std) and the model' });
      }
      out[i] = kind === 'probs' ? Math.log(Math.max(v, PROB_EPS)) : kind === 'log-probs' ? Math.max(v, Math.log(PROB_EPS)) : v;
    }
    return out;
  }

  /** Frees the onnxruntime session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}
