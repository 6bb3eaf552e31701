/**
 * Output checks done BEFORE a command's work (issue 13): an output that is one of the inputs (same path, or
 * the same file through a link), two outputs naming one file, an output that is a folder, FIFO or device,
 * a missing output folder, and an existing output without `--force` are all refused up front, so a long
 * job never ends in an error, and no input is ever replaced by an output. Node only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CalibraError } from '../errors.js';

/** A path given on the command line, with the flag that gave it (for messages). */
export interface PathArg {
  /** The flag, e.g. `--out` or `--temperatures`. */
  readonly flag: string;
  readonly file: string;
}

/** What a stat says a path is, in words ('file' for a regular file). */
export function kindOf(st: fs.Stats): 'file' | 'folder' | 'FIFO' | 'socket' | 'character device' | 'block device' | 'special file' {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'folder';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  if (st.isCharacterDevice()) return 'character device';
  if (st.isBlockDevice()) return 'block device';
  return 'special file';
}

function statOrNull(file: string): fs.Stats | null {
  try { return fs.statSync(file); } catch { return null; }
}

function sameFile(a: string, b: string, sa: fs.Stats | null, sb: fs.Stats | null): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  return sa !== null && sb !== null && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Refuses, before any work: an output that is also an input (E_USAGE), two outputs naming one file
 * (E_USAGE), an output that exists and is not a regular file (E_IO: a folder, FIFO or device is never
 * replaced, `--force` or not), an output whose folder is missing (E_IO), and an existing output without
 * `force` (E_EXISTS). Cost: one stat per path.
 * @example checkOutputs([{flag: '--out', file: 'l.npy'}], [{flag: '--logits', file: 'l.npy'}], {force: true}) // throws E_USAGE
 */
export function checkOutputs(outputs: readonly PathArg[], inputs: readonly PathArg[], opts: { readonly force: boolean }): void {
  const outStats = outputs.map((o) => statOrNull(o.file));
  const inStats = inputs.map((i) => statOrNull(i.file));
  outputs.forEach((o, k) => {
    const st = outStats[k] ?? null;
    inputs.forEach((i, j) => {
      if (sameFile(o.file, i.file, st, inStats[j] ?? null)) {
        throw new CalibraError('E_USAGE', `${o.flag} names the same file as the input ${i.flag}; writing it would destroy the input`, { source: o.file, fix: `choose another ${o.flag} path (calibra never writes over its inputs)` });
      }
    });
    for (let m = 0; m < k; m++) {
      const other = outputs[m] as PathArg;
      if (sameFile(o.file, other.file, st, outStats[m] ?? null)) {
        throw new CalibraError('E_USAGE', `${o.flag} and ${other.flag} name the same file; one output would replace the other`, { source: o.file, fix: `give ${o.flag} and ${other.flag} different paths` });
      }
    }
    checkOutputTarget(o.file, st, opts.force, o.flag);
  });
}

/** Checks one output path (its kind, its folder, whether it exists). Throws E_IO / E_EXISTS. */
export function checkOutputTarget(file: string, st: fs.Stats | null = statOrNull(file), force = false, flag = '--out'): void {
  if (st !== null) {
    const kind = kindOf(st);
    if (kind !== 'file') throw new CalibraError('E_IO', `the output is a ${kind}, not a regular file`, { source: file, fix: `give ${flag} the path of a file (calibra writes a new file and renames it into place; it never writes into a ${kind})` });
    if (!force) throw new CalibraError('E_EXISTS', 'the output file already exists', { source: file, fix: 'pass --force to replace it, or choose another output path' });
    return;
  }
  const dir = path.dirname(path.resolve(file));
  const dst = statOrNull(dir);
  if (dst === null) throw new CalibraError('E_IO', 'the folder of the output file does not exist', { source: file, fix: 'create the folder first, or choose another output path' });
  if (!dst.isDirectory()) throw new CalibraError('E_IO', `the folder of the output file is a ${kindOf(dst)}`, { source: file, fix: 'choose an output path inside a folder' });
}

/**
 * Checks an output folder (`--png-dir`, `demo --out`): missing (it will be created, if its parent exists)
 * or a folder; a file, FIFO or device there is refused (E_IO). Cost: one or two stats.
 */
export function checkOutputFolder(dir: string, flag: string): void {
  const st = statOrNull(dir);
  if (st === null) {
    const parent = statOrNull(path.dirname(path.resolve(dir)));
    if (parent === null || !parent.isDirectory()) throw new CalibraError('E_IO', 'neither the output folder nor its parent folder exists', { source: dir, fix: `create the parent folder first, or give ${flag} another path` });
    return;
  }
  if (!st.isDirectory()) throw new CalibraError('E_IO', `${flag} is a ${kindOf(st)}, not a folder`, { source: dir, fix: `give ${flag} the path of a folder` });
}

/** The input paths among parsed arguments: every value of `flags` that was given. */
export function givenPaths(values: ReadonlyMap<string, readonly string[]>, flags: readonly string[]): PathArg[] {
  const out: PathArg[] = [];
  for (const f of flags) for (const v of values.get(f) ?? []) out.push({ flag: `--${f}`, file: v });
  return out;
}
