import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { manifestPathFor, preprocessFromArgs, PREPROCESS_FLAGS } from '../../src/cli/commands/preprocess-args.js';
import { isCalibraError } from '../../src/errors.js';

const files: Record<string, string> = {
  'models/m.json': JSON.stringify({ id: 'm', preprocess: { inputSize: [28, 28], channels: 'grey' } }),
  'cfg.json': JSON.stringify({ inputSize: [224, 224], mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] }),
};
const read = (p: string): string => files[p] ?? '';
const exists = (p: string): boolean => p in files;
const parse = (argv: string[]) => parseArgs(argv, { values: [...PREPROCESS_FLAGS] }, 'views');

describe('preprocessFromArgs', () => {
  it('uses the manifest beside the model, then lets flags override single fields', () => {
    expect(manifestPathFor('models/m.onnx')).toBe('models/m.json');
    const cfg = preprocessFromArgs(parse(['--layout', 'nhwc', '--mean', '0.5', '--std', '0.25']), 'models/m.onnx', read, exists);
    expect(cfg).toMatchObject({ inputSize: [28, 28], channels: 'grey', layout: 'nhwc', mean: [0.5], std: [0.25] });
  });
  it('prefers --preprocess over the manifest; --input-size takes HxW or one number', () => {
    const cfg = preprocessFromArgs(parse(['--preprocess', 'cfg.json', '--input-size', '160x120']), 'models/m.onnx', read, exists);
    expect(cfg).toMatchObject({ inputSize: [160, 120], channels: 'rgb', mean: [0.485, 0.456, 0.406] });
    expect(preprocessFromArgs(parse(['--input-size', '64']), 'other.onnx', read, exists).inputSize).toEqual([64, 64]);
  });
  it('names bad flags and missing files', () => {
    expect(() => preprocessFromArgs(parse(['--input-size', 'big']), 'x.onnx', read, exists)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => preprocessFromArgs(parse(['--mean', 'a,b']), 'x.onnx', read, exists)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    try { preprocessFromArgs(parse(['--preprocess', 'nope.json']), 'x.onnx', read, exists); expect.unreachable(); } catch (e) { expect(isCalibraError(e, 'E_IO')).toBe(true); }
    expect(() => preprocessFromArgs(parse(['--channels', 'cmyk']), 'x.onnx', read, exists)).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });
});
