/**
 * Preprocessing flags shared by `calibra views` and `calibra demo`: a JSON file (`--preprocess cfg.json`),
 * else the zoo manifest beside the model (`models/<id>.json` with a `preprocess` field), else the defaults;
 * then single flags override fields (`--input-size 224x224 --mean 0.485,0.456,0.406 ...`).
 */
import { dirname, basename, join } from 'node:path';
import { CalibraError } from '../../errors.js';
import { getValue, type ParsedArgs } from '../args.js';
import { DEFAULT_PREPROCESS, parsePreprocessJson, resolvePreprocess, type PreprocessConfig } from '../../inference/preprocess.js';

/** Value flags understood by preprocessFromArgs. */
export const PREPROCESS_FLAGS: readonly string[] = ['preprocess', 'input-size', 'channels', 'layout', 'scale', 'mean', 'std', 'input-name', 'output-name', 'output'];

/** Help text for the preprocessing flags. */
export const PREPROCESS_USAGE = `preprocessing (defaults: the manifest beside the model, else keep size, rgb, nchw, scale 1, mean 0, std 1):
  --preprocess FILE     JSON config {inputSize, channels, layout, scale, mean, std, inputName, outputName, output}
  --input-size HxW      resize to H×W (bilinear), e.g. 224x224
  --channels C          rgb | bgr | grey
  --layout L            nchw | nhwc
  --scale X             multiply the [0,1] pixel first (255 for models fed 0..255)
  --mean LIST --std LIST  per-channel normalisation, e.g. 0.485,0.456,0.406
  --input-name NAME --output-name NAME   ONNX tensor names (default: the first)
  --output KIND         logits | probs | log-probs (probs are turned into ln p)
`;

/** The manifest path next to a model: `m.onnx` -> `m.json`. */
export function manifestPathFor(modelPath: string): string {
  return join(dirname(modelPath), `${basename(modelPath).replace(/\.onnx$/i, '')}.json`);
}

function numList(text: string, key: string): number[] {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.some((x) => !Number.isFinite(x))) throw new CalibraError('E_USAGE', `--${key} ${JSON.stringify(text)} is not a list of numbers`, { fix: `write --${key} 0.5 or --${key} 0.485,0.456,0.406` });
  return parts;
}

/**
 * Resolves the preprocessing for `modelPath` from the parsed flags. `readText`/`exists` are injected so
 * the function is testable without files. Throws E_USAGE / E_OPTION / E_FORMAT naming the flag or file.
 */
export function preprocessFromArgs(args: ParsedArgs, modelPath: string, readText: (p: string) => string, exists: (p: string) => boolean): PreprocessConfig {
  const file = getValue(args, 'preprocess');
  let base: PreprocessConfig = DEFAULT_PREPROCESS;
  if (file !== undefined) {
    if (!exists(file)) throw new CalibraError('E_IO', 'preprocessing config not found', { source: file, fix: 'check the --preprocess path' });
    base = parsePreprocessJson(readText(file), file);
  } else {
    const manifest = manifestPathFor(modelPath);
    if (exists(manifest)) base = parsePreprocessJson(readText(manifest), manifest);
  }
  const raw: Record<string, unknown> = {};
  const size = getValue(args, 'input-size');
  if (size !== undefined) {
    const m = /^(\d+)(?:[x×,](\d+))?$/.exec(size.trim());
    if (m === null) throw new CalibraError('E_USAGE', `--input-size ${JSON.stringify(size)} is not HxW`, { fix: 'write --input-size 224x224' });
    raw['inputSize'] = [Number(m[1]), Number(m[2] ?? m[1])];
  }
  for (const [flag, key] of [['channels', 'channels'], ['layout', 'layout'], ['input-name', 'inputName'], ['output-name', 'outputName'], ['output', 'output']] as const) {
    const v = getValue(args, flag);
    if (v !== undefined) raw[key] = v;
  }
  const scale = getValue(args, 'scale');
  if (scale !== undefined) raw['scale'] = Number(scale);
  const mean = getValue(args, 'mean');
  if (mean !== undefined) raw['mean'] = numList(mean, 'mean');
  const std = getValue(args, 'std');
  if (std !== undefined) raw['std'] = numList(std, 'std');
  return resolvePreprocess(raw, 'command-line flags', base);
}
