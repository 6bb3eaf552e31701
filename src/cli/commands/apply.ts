/**
 * `calibra apply`: loads a model file and writes calibrated probabilities (and, for per-sample-temperature
 * methods, the temperatures). A `.npy` input written to a `.npy` output is streamed in chunks of rows —
 * read with `readNpyChunks`, predicted, appended to a temporary file that is renamed at the end — so memory
 * stays O(chunk × K) however large the file is. Views inputs are read whole.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CalibraError, termSafe } from '../../errors.js';
import { loadModelJson } from '../../calibrators/core/model-file.js';
import type { CalibrationInput, FittedCalibrator } from '../../calibrators/core/types.js';
import type { Matrix } from '../../math/matrix.js';
import { checkpoint, createAtomicWriter, readNpyFileHeader, readNpyChunks, readTextFile, saveMatrix, writeFileAtomic, type AtomicWriter } from '../../data/files.js';
import { checkOutputs, givenPaths } from '../../data/outputs.js';
import { arrayToProbs } from '../../data/validate.js';
import { encodeNpy } from '../../data/npy.js';
import { getValue, numberValue, parseArgs, requireValue, type ParsedArgs, choiceValue } from '../args.js';
import type { Command } from '../command.js';
import type { CliIo } from '../io.js';
import { createProgress, type Progress } from '../progress.js';
import { threadsOption } from '../threads-option.js';
import { calibrationInput, float64Bytes, inputChoice, loadInput, npyFloat64Header, probabilityInput } from './calibration-io.js';

const NAME = 'apply';
/** Inputs larger than this are streamed when both input and output are `.npy` (also with --chunk-rows). */
export const STREAM_ABOVE_BYTES = 256 * 1024 * 1024;

const USAGE = `usage: calibra apply --model model.json (--logits F | --probs F | --views F) --out probs.npy [options]

Applies a fitted model (from calibra fit) and writes calibrated probabilities (.npy, .csv or .json).

options:
  --model F            the model file written by calibra fit
  --logits F           N×K logits
  --probs F            N×K probabilities (read exactly, or as ln p clipped at 1e-12, as at fit time)
  --views F            views file (.npz) for views-based methods (ca)
  --out F              calibrated probabilities, N×K
  --temperatures F     also write the per-sample temperatures (N-vector; ts, pts and ca models)
  --chunk-rows R       stream a .npy input to a .npy output R rows at a time (default: only above 256 MiB)
  --threads N          worker threads for an in-memory logits/probs input; the output is bit-identical for
                       every N. Pays for methods with K x K work per row (ms, dirichlet*: 1.6x with 2 threads
                       at K = 300), not for elementwise ones (ts, vs, binning: writing the output dominates,
                       2 threads were slower), hence the default 1
  --force              replace existing outputs
  --quiet              no progress on stderr

example:
  calibra apply --model ts.json --logits test-logits.npy --out test-probs.npy
`;

function temperaturesOf(model: FittedCalibrator, input: CalibrationInput): Float64Array {
  if (model.predictTemperatures === undefined) {
    throw new CalibraError('E_OPTION', `method ${model.method} has no per-sample temperatures`, { where: 'calibra apply --temperatures', fix: 'drop --temperatures, or use a ts, pts or ca model' });
  }
  return model.predictTemperatures(input);
}

function readModel(file: string): FittedCalibrator {
  return loadModelJson(readTextFile(file), file);
}

function writeVector(file: string, v: Float64Array, force: boolean): void {
  if (path.extname(file).toLowerCase() === '.npy') writeFileAtomic(file, encodeNpy({ shape: [v.length], data: v }), { force });
  else saveMatrix(file, { data: v, rows: v.length, cols: 1 }, { force });
}

/** Streams a .npy input through the model into .npy outputs. */
async function applyStreaming(model: FittedCalibrator, args: ParsedArgs, file: string, kind: 'logits' | 'probs', chunkRows: number, progress: Progress): Promise<number> {
  const header = readNpyFileHeader(file);
  const rows = header.shape[0] as number;
  const fileCols = header.shape.length === 2 ? (header.shape[1] as number) : 1;
  const cols = fileCols === 1 ? 2 : fileCols;
  if (cols !== model.numClasses) {
    throw new CalibraError('E_SHAPE', `the model was fitted on ${model.numClasses} classes, the input has ${cols} columns`, { source: file, fix: 'apply the model to outputs of the same classifier' });
  }
  const force = args.flags.has('force');
  const out = requireValue(args, 'out', NAME);
  const tFile = getValue(args, 'temperatures');
  if (tFile !== undefined && model.predictTemperatures === undefined) temperaturesOf(model, { logits: { data: new Float64Array(0), rows: 0, cols } });
  const writer = createAtomicWriter(out, { force });
  let tWriter: AtomicWriter | null = null;
  try {
    tWriter = tFile !== undefined ? createAtomicWriter(tFile, { force }) : null;
    writer.write(npyFloat64Header([rows, cols]));
    tWriter?.write(npyFloat64Header([rows]));
    const buf = new Float64Array(Math.min(chunkRows, Math.max(rows, 1)) * cols);
    for (const { start, matrix } of readNpyChunks(file, chunkRows, { finite: true })) {
      const shaped = { shape: fileCols === 1 ? [matrix.rows] : [matrix.rows, fileCols], data: matrix.data };
      const input: CalibrationInput = kind === 'logits'
        ? { logits: fileCols === 1 ? { data: binaryLogits(matrix.data), rows: matrix.rows, cols: 2 } : matrix }
        : probabilityInput(inChunk(start, () => arrayToProbs(shaped, file)));
      const probs = model.predictProba(input, buf.subarray(0, matrix.rows * cols));
      writer.write(float64Bytes(probs.data).slice());
      if (tWriter !== null) tWriter.write(float64Bytes(temperaturesOf(model, input)).slice());
      progress.update((start + matrix.rows) / Math.max(rows, 1), `${start + matrix.rows}/${rows} rows`);
      await checkpoint(); // a Ctrl-C or SIGTERM takes effect here: the temporary files are removed
    }
    writer.commit();
    tWriter?.commit();
  } catch (e) {
    writer.abort();
    tWriter?.abort();
    throw e;
  }
  return rows;
}

/** An N-vector of class-1 logits as N×2 rows [0, z] (the data layer's convention for loadLogits). */
function binaryLogits(z: Float64Array): Float64Array {
  const out = new Float64Array(z.length * 2);
  for (let i = 0; i < z.length; i++) out[2 * i + 1] = z[i] as number;
  return out;
}

function inChunk<T>(start: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CalibraError && e.where !== undefined) {
      const where = e.where.replace(/row (\d+)/, (_m, r: string) => `row ${start + Number(r)}`);
      throw new CalibraError(e.code, e.message, { ...(e.source !== undefined ? { source: e.source } : {}), where, ...(e.fix !== undefined ? { fix: e.fix } : {}) });
    }
    throw e;
  }
}

/** The `apply` command. */
export const applyCommand: Command = {
  name: NAME,
  usage: USAGE,
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const args = parseArgs(argv, { flags: ['force', 'quiet'], values: ['header', 'model', 'logits', 'probs', 'views', 'out', 'temperatures', 'chunk-rows', 'labels', 'threads', 'format'] }, NAME);
    const format = choiceValue(args, 'format', NAME, ['table', 'json'], 'table');
    const say = (rows: number, cols: number, streamed: boolean, temperatures: string | undefined): void => {
      io.stdout(format === 'json'
        ? `${JSON.stringify({ out, rows, classes: cols, method: model.method, preservesArgmax: model.preservesArgmax, streamed, ...(temperatures !== undefined ? { temperatures } : {}) }, null, 2)}\n`
        : `wrote ${termSafe(out)} (${rows} rows × ${cols} classes${streamed ? ', streamed' : ''})${temperatures !== undefined ? ` and ${termSafe(temperatures)}` : ''}\n`);
    };
    if (getValue(args, 'labels') !== undefined) throw new CalibraError('E_USAGE', 'apply takes no labels', { where: `calibra ${NAME}`, fix: 'drop --labels; use calibra evaluate to score the output' });
    const out = requireValue(args, 'out', NAME);
    const force = args.flags.has('force');
    const tOut = getValue(args, 'temperatures');
    checkOutputs([{ flag: '--out', file: out }, ...(tOut !== undefined ? [{ flag: '--temperatures', file: tOut }] : [])], givenPaths(args.values, ['model', 'logits', 'probs', 'views']), { force });
    const model = readModel(requireValue(args, 'model', NAME));
    const chunkRows = getValue(args, 'chunk-rows') === undefined ? null : numberValue(args, 'chunk-rows', NAME, 65536, { min: 1, integer: true });
    const threadsFlag = threadsOption(args, NAME, io);
    const progress = createProgress(io, `apply ${model.method}`, { quiet: args.flags.has('quiet') });
    const { kind, file } = inputChoice(args, NAME);
    if (model.toJSON().input === 'views' && kind !== 'views') throw new CalibraError('E_USAGE', `a ${model.method} model needs the logits of transformed views`, { where: `calibra ${NAME}`, fix: 'give --views FILE.npz with the same views the model was fitted on' });
    const size = ((): number => { try { return fs.statSync(file).size; } catch { return 0; } })();
    const npyIo = kind !== 'views' && path.extname(file).toLowerCase() === '.npy' && path.extname(out).toLowerCase() === '.npy';
    if (npyIo && (chunkRows !== null || size > STREAM_ABOVE_BYTES)) {
      const rows = await applyStreaming(model, args, file, kind, chunkRows ?? 65536, progress);
      progress.done();
      say(rows, model.numClasses, true, undefined);
      return 0;
    }
    const input = loadInput(args, NAME, { labels: 'none', shared: (threadsFlag ?? 1) > 1 });
    const calInput: CalibrationInput = calibrationInput(input);
    const tFile = getValue(args, 'temperatures');
    // the thread pool is loaded only when asked for (it pulls in worker_threads)
    const threads = input.views === undefined ? threadsFlag ?? 1 : 1;
    let temps: Float64Array | null;
    let probs: Matrix<Float64Array>;
    try {
      temps = tFile !== undefined ? temperaturesOf(model, calInput) : null;
      probs = threads > 1 ? await (await import('../../node-parallel/apply.js')).predictParallel(model, calInput, threads) : model.predictProba(calInput);
    } catch (e) {
      // a shape or views mismatch is about the input file: name it
      throw e instanceof CalibraError ? e.withSource(file) : e;
    }
    progress.update(1);
    saveMatrix(out, probs, { force });
    if (tFile !== undefined && temps !== null) writeVector(tFile, temps, force);
    progress.done();
    say(probs.rows, probs.cols, false, tFile);
    return 0;
  },
};
