/**
 * `calibra fit`: fits one calibration method on a validation set and writes the model file (JSON with a
 * format name and version, shortest-round-trip numbers), atomically.
 */
import { CalibraError, termSafe } from '../../errors.js';
import { calibratorSpecs, getCalibrator } from '../../calibrators/registry.js';
import { serializeModel } from '../../calibrators/model-file.js';
import type { LabelledInput, RawOptions } from '../../calibrators/types.js';
import { writeFileAtomic } from '../../data/files.js';
import { checkOutputs, givenPaths } from '../../data/outputs.js';
import { getValue, keyValueOptions, listValue, numberValue, parseArgs, requireValue, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { calibrationInput, loadInput } from './calibration-io.js';

const NAME = 'fit';

function usage(): string {
  const methods = calibratorSpecs.map((s) => `  ${s.id.padEnd(16)} ${s.title}${Object.keys(s.defaults).length > 0 ? `\n  ${''.padEnd(16)}   options: ${Object.entries(s.defaults).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` : ''}`).join('\n');
  return `usage: calibra fit --method ID (--logits F | --probs F | --views F) --labels F --out model.json [options]

Fits a calibration method on a validation set and writes the model (JSON).

options:
  --method ID          the method (list below)
  --logits F           N×K validation logits (.npy, .npz, .csv, .json)
  --probs F            N×K validation probabilities; probability-space methods read them exactly,
                       logit-space methods get ln p (clipped at 1e-12)
  --views F            views file (.npz: original, one array per view, labels) for views-based methods (ca)
  --labels F           N integer labels or N×K one-hot (optional with --views: the file's labels are used)
  --out F              the model file to write (.json)
  --option k=v         a method option; repeat for several (e.g. --option bins=15 --option scheme=equal-mass)
  --seed S             seed of every random choice (default 0); saved in the model
  --force              replace --out if it exists
  --quiet              no progress on stderr
  views-based methods (ca): --mode faithful|robust  --loss ca|ce|mse  --weighting balanced|none
                       --views-used a,b,c (or none)   (the same as --option mode=... etc.)

methods:
${methods}

example:
  calibra fit --method ts --logits val-logits.npy --labels val-labels.npy --out ts.json
`;
}

/** CLI flags that map to options of views-based methods. */
const VIEW_FLAGS: readonly (readonly [string, string])[] = [['mode', 'mode'], ['loss', 'loss'], ['weighting', 'weighting'], ['views-used', 'viewsUsed']];

/** Reads --option k=v pairs and the views-method flags into one options record. */
export function methodOptions(args: ParsedArgs, command: string): Record<string, string | number | boolean> {
  const options = keyValueOptions(args, 'option', command);
  for (const [flag, key] of VIEW_FLAGS) {
    const v = flag === 'views-used' ? listValue(args, flag)?.join(',') : getValue(args, flag);
    if (v === undefined) continue;
    if (options[key] !== undefined && String(options[key]) !== v) {
      throw new CalibraError('E_USAGE', `--${flag} ${v} disagrees with --option ${key}=${String(options[key])}`, { where: `calibra ${command}`, fix: 'give the setting once' });
    }
    options[key] = v;
  }
  return options;
}

/** The `fit` command. */
export const fitCommand: Command = {
  name: NAME,
  get usage(): string { return usage(); },
  run(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, {
      flags: ['force', 'quiet'],
      values: ['header', 'method', 'logits', 'probs', 'views', 'labels', 'out', 'seed', 'mode', 'loss', 'weighting'],
      repeatable: ['option', 'views-used'],
    }, NAME);
    const spec = getCalibrator(requireValue(args, 'method', NAME));
    const out = requireValue(args, 'out', NAME);
    checkOutputs([{ flag: '--out', file: out }], givenPaths(args.values, ['logits', 'probs', 'views', 'labels']), { force: args.flags.has('force') });
    const seed = numberValue(args, 'seed', NAME, 0, { min: 0, max: 4294967295, integer: true });
    const options: RawOptions = methodOptions(args, NAME);
    const input = loadInput(args, NAME, { labels: 'required' });
    if (spec.input === 'views' && input.views === undefined) {
      throw new CalibraError('E_USAGE', `method ${spec.id} needs the logits of transformed views`, { where: `calibra ${NAME}`, fix: 'give --views FILE.npz (write one with calibra views)' });
    }
    const data: LabelledInput = { ...calibrationInput(input), labels: input.labels as Int32Array };
    const progress = createProgress(io, `fit ${spec.id}`, { quiet: args.flags.has('quiet') });
    const started = Date.now();
    const result = spec.fit(data, options, { seed, onProgress: (f, m) => progress.update(f, m) });
    const text = serializeModel(result.model);
    writeFileAtomic(out, text, { force: args.flags.has('force') });
    progress.done();
    if (result.summary !== undefined) io.stderr(`${result.summary}\n`);
    const lines = [
      `method      ${spec.id} (${spec.title})`,
      `data        ${input.logits.rows} samples × ${input.logits.cols} classes from ${input.source}`,
      `fit         ${result.converged ? 'converged' : 'NOT converged'}, ${result.iterations} iterations${result.loss !== null ? `, loss ${result.loss}` : ''}, ${((Date.now() - started) / 1000).toFixed(2)} s`,
      `argmax      ${result.model.preservesArgmax ? 'preserved' : 'may change'}`,
      ...result.warnings.map((w) => `warning     ${w}`),
      `wrote       ${out}`,
    ];
    io.stdout(lines.map(termSafe).join('\n') + '\n');
    return Promise.resolve(0);
  },
};
