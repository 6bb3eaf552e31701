/**
 * `calibra fit`: fits one calibration method on a validation set and writes the model file (JSON with a
 * format name and version, shortest-round-trip numbers), atomically.
 */
import { CalibraError, termSafe } from '../../errors.js';
import { calibratorSpecs } from '../../calibrators/core/registry.js';
import { serializeModel } from '../../calibrators/core/model-file.js';
import type { LabelledInput, RawOptions } from '../../calibrators/core/types.js';
import { writeFileAtomic } from '../../data/files.js';
import { checkOutputs, givenPaths } from '../../data/outputs.js';
import { choiceValue, getValue, keyValueOptions, listValue, numberValue, parseArgs, requireValue, type ParsedArgs } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { createProgress } from '../progress.js';
import { parseEntry } from '../method-entry.js';
import { calibrationInput, loadInput } from './calibration-io.js';
import { planPredict, rowsWhere, stratifiedFolds, stratifiedHoldout, takeInputRows } from '../split.js';
import { evaluateLogits, evaluateMetrics } from '../../metrics/evaluate.js';

/** What `--split` / `--cv` print: proper score, calibration, accuracy. */
const SCORE_IDS: readonly string[] = ['nll', 'ece', 'accuracy'];

const NAME = 'fit';

function usage(): string {
  const methods = calibratorSpecs.map((s) => `  ${s.id.padEnd(16)} ${s.title}${Object.keys(s.defaults).length > 0 ? `\n  ${''.padEnd(16)}   options: ${Object.entries(s.defaults).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` : ''}`).join('\n');
  return `usage: calibra fit --method ID (--logits F | --probs F | --views F) --labels F --out model.json [options]

Fits a calibration method on a validation set and writes the model (JSON).

options:
  --method ID          the method (list below; aliases and any case work), or ID:k=v;k=v with options as in
                       compare/report --methods, e.g. --method histogram:bins=15;scheme=equal-mass
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
  --format FMT         table (default) | json (a summary for scripts: fit diagnostics, T for ts, held-out scores)
  --split F            fit on a stratified 1 − F of the samples and print the held-out scores (NLL, ECE,
                       accuracy, uncalibrated → calibrated) of the rest; the model is the one fitted on 1 − F
  --cv K               print K-fold cross-fitted scores (each fold scored by a model fitted on the others, as
                       scikit-learn's cross_val_predict) and write the model fitted on all samples
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
      values: ['header', 'method', 'logits', 'probs', 'views', 'labels', 'out', 'seed', 'mode', 'loss', 'weighting', 'format', 'split', 'cv'],
      repeatable: ['option', 'views-used'],
    }, NAME);
    // --method ID or ID:k=v;k=v (the syntax of compare/report --methods); --option k=v adds to it
    const entry = parseEntry(requireValue(args, 'method', NAME), `calibra ${NAME} --method`);
    const spec = entry.spec;
    const out = requireValue(args, 'out', NAME);
    checkOutputs([{ flag: '--out', file: out }], givenPaths(args.values, ['logits', 'probs', 'views', 'labels']), { force: args.flags.has('force') });
    const seed = numberValue(args, 'seed', NAME, 0, { min: 0, max: 4294967295, integer: true });
    const flagged = methodOptions(args, NAME);
    for (const [k, v] of Object.entries(entry.options)) {
      if (flagged[k] !== undefined && flagged[k] !== v) throw new CalibraError('E_USAGE', `--method ${entry.label} sets ${k}=${String(v)} but --option sets ${k}=${String(flagged[k])}`, { where: `calibra ${NAME}`, fix: 'give the option once' });
    }
    const options: RawOptions = { ...entry.options, ...flagged };
    const input = loadInput(args, NAME, { labels: 'required' });
    if (spec.input === 'views' && input.views === undefined) {
      throw new CalibraError('E_USAGE', `method ${spec.id} needs the logits of transformed views`, { where: `calibra ${NAME}`, fix: 'give --views FILE.npz (write one with calibra views)' });
    }
    const format = choiceValue(args, 'format', NAME, ['table', 'json', 'text'], 'table');
    const split = getValue(args, 'split') === undefined ? undefined : numberValue(args, 'split', NAME, 0.3, { min: 0.01, max: 0.99 });
    const cv = getValue(args, 'cv') === undefined ? undefined : numberValue(args, 'cv', NAME, 5, { min: 2, max: 100, integer: true });
    if (split !== undefined && cv !== undefined) throw new CalibraError('E_USAGE', 'give --split or --cv, not both', { where: `calibra ${NAME}`, fix: 'drop one' });
    const labels = input.labels as Int32Array;
    // --split: the model is fitted on the fit part and scored on the held-out part
    const held = split !== undefined ? stratifiedHoldout(labels, split, seed) : null;
    const fitInput = held !== null ? takeInputRows(input, rowsWhere(labels.length, (i) => held[i] === 0), 'fit part') : input;
    const data: LabelledInput = { ...calibrationInput(fitInput), labels: fitInput.labels as Int32Array };
    const progress = createProgress(io, `fit ${spec.id}`, { quiet: args.flags.has('quiet') });
    const started = Date.now();
    const result = spec.fit(data, options, { seed, onProgress: (f, m) => progress.update(f * (cv !== undefined ? 1 / (cv + 1) : 1), m) });
    const seconds = (Date.now() - started) / 1000;
    // held-out scores: the held-out part (--split) or the out-of-fold predictions of K fits (--cv)
    let scored: { what: string; rows: number; uncalibrated: Record<string, number>; calibrated: Record<string, number> } | null = null;
    if (held !== null) {
      const test = takeInputRows(input, rowsWhere(labels.length, (i) => held[i] === 1), 'held-out part');
      const probs = result.model.predictProba(calibrationInput(test));
      scored = { what: `held-out ${Math.round((split as number) * 100)} % (stratified, seed ${seed})`, rows: test.logits.rows, uncalibrated: evaluateLogits(test.logits, test.labels as Int32Array, SCORE_IDS), calibrated: evaluateMetrics(probs, test.labels as Int32Array, SCORE_IDS) };
    } else if (cv !== undefined) {
      const folds = stratifiedFolds(labels, cv, seed);
      const p = planPredict(spec, options, { kind: 'cv', data: input, folds, k: cv }, seed, (f) => progress.update((1 + f * cv) / (cv + 1), `fold ${Math.min(cv, 1 + Math.floor(f * cv))} of ${cv}`));
      scored = { what: `${cv}-fold cross-fitted (out-of-fold predictions, stratified, seed ${seed})`, rows: labels.length, uncalibrated: evaluateLogits(input.logits, labels, SCORE_IDS), calibrated: evaluateMetrics(p.probs, labels, SCORE_IDS) };
    }
    const text = serializeModel(result.model);
    writeFileAtomic(out, text, { force: args.flags.has('force') });
    progress.done();
    if (result.summary !== undefined) io.stderr(`${result.summary}\n`);
    if (!result.converged) io.stderr(`calibra fit: ${spec.id} did not converge after ${result.iterations} iterations (the model file records fit.converged = false): ${result.warnings.join('; ') || 'no detail'}\n`);
    const params = result.model.toJSON().params;
    const temperature = typeof params['T'] === 'number' ? params['T'] : null;
    if (format === 'json') {
      io.stdout(`${JSON.stringify({
        method: spec.id, title: spec.title, samples: fitInput.logits.rows, classes: input.logits.cols, source: input.source,
        converged: result.converged, iterations: result.iterations, loss: result.loss, seconds, preservesArgmax: result.model.preservesArgmax,
        ...(temperature !== null ? { temperature } : {}), ...(result.summary !== undefined ? { summary: result.summary } : {}), warnings: result.warnings, out,
        ...(scored !== null ? { heldOut: scored } : {}),
      }, null, 2)}\n`);
      return Promise.resolve(0);
    }
    const f4 = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? 'n/a' : v.toFixed(4));
    const lines = [
      `method      ${spec.id} (${spec.title})`,
      `data        ${fitInput.logits.rows} samples × ${input.logits.cols} classes from ${input.source}${held !== null ? ` (the fit part; ${labels.length - fitInput.logits.rows} held out)` : ''}`,
      `fit         ${result.converged ? 'converged' : 'NOT converged'}, ${result.iterations} iterations${result.loss !== null ? `, loss ${result.loss}` : ''}, ${seconds.toFixed(2)} s`,
      ...(temperature !== null ? [`temperature T = ${temperature.toPrecision(6)} (${temperature > 1 ? 'softens: the model was over-confident' : temperature < 1 ? 'sharpens: the model was under-confident' : 'no change'})`] : []),
      `argmax      ${result.model.preservesArgmax ? 'preserved' : 'may change'}`,
      ...(scored !== null ? [`scored      ${scored.what}, ${scored.rows} samples: ${SCORE_IDS.map((id) => `${id} ${f4(scored?.uncalibrated[id])} → ${f4(scored?.calibrated[id])}`).join(', ')} (uncalibrated → calibrated)`] : []),
      ...result.warnings.map((w) => `warning     ${w}`),
      `wrote       ${out}${cv !== undefined ? ' (fitted on all samples)' : ''}`,
    ];
    io.stdout(lines.map(termSafe).join('\n') + '\n');
    return Promise.resolve(0);
  },
};
