/**
 * Atomic file output (issue 8, "no partial writes"). Node only.
 *
 * Every output is written to a temporary file in the target folder (`.NAME.calibra-tmp-PID-HOSTRANDOM`) and
 * renamed over the target, so a reader sees the old file or the complete new one, never a part. An existing
 * output is replaced only with `force` (else E_EXISTS), keeping its permission bits; a folder, FIFO or
 * device is never replaced (E_IO). A thrown error, SIGINT or SIGTERM removes the
 * temporary file; the signal is then re-raised so the exit status is the usual one (a signal that arrives
 * during a synchronous write takes effect right after it: the complete file is in place). The handlers are
 * installed by the first atomic write of a process: before it (the long computations of every command),
 * Ctrl-C and SIGTERM keep their default action and stop the process at once. Commands that write several
 * files, or stream one in chunks, `await checkpoint()` between them so a signal takes effect there, and
 * after the last file the event loop is kept alive until it has polled for a pending signal. A SIGKILL cannot be
 * caught: it leaves the old output intact and a stale temporary file, which the next atomic write into
 * the same folder removes once its process is gone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { hostname } from 'node:os';
import { CalibraError } from '../errors.js';
import { checkOutputTarget } from './outputs.js';

/** Options for atomic writes. */
export interface WriteOptions {
  /** Replace an existing file (CLI `--force`). Default false: E_EXISTS. */
  readonly force?: boolean;
}

/** A file being written: `write` chunks, then `commit` (rename into place) or `abort` (remove). */
export interface AtomicWriter {
  /** The final path. */
  readonly path: string;
  /** The temporary file, in the same folder. */
  readonly tempPath: string;
  write(chunk: Uint8Array | string): void;
  commit(): void;
  abort(): void;
}

const live = new Set<string>();
let cachedHostTag: string | undefined;
/**
 * Four hex digits naming this machine, so a folder shared between machines is cleaned only of its own temps:
 * FNV-1a of the host name folded to 16 bits. Computed on first use (no `node:crypto` at start-up, issue 11 item 1).
 */
function hostTag(): string {
  if (cachedHostTag === undefined) {
    let h = 0x811c9dc5;
    const name = hostname();
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    cachedHostTag = (((h >>> 16) ^ h) & 0xffff).toString(16).padStart(4, '0');
  }
  return cachedHostTag;
}

let tempCounter = 0;
/**
 * Eight hex digits that make a temporary name unique within this process and unlikely to collide across
 * processes; a collision cannot clobber anything because the temp file is opened with O_EXCL ('wx').
 */
function tempSuffix(): string {
  tempCounter = (tempCounter + 1) >>> 0;
  const r = (Math.floor(Math.random() * 0x100000000) ^ Math.imul(tempCounter, 0x9e3779b1)) >>> 0;
  return r.toString(16).padStart(8, '0');
}
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let handlersInstalled = false;

function removeLiveTemps(): void {
  for (const p of live) {
    try { fs.unlinkSync(p); } catch { /* already gone */ }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLiveTemps();
  uninstallHandlers();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onExit(): void {
  removeLiveTemps();
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on('exit', onExit);
}

let keepAliveScheduled = false;

/**
 * Once no temporary file is live, keeps the event loop alive until it has polled for signals: a signal
 * that arrived during a synchronous write is then dispatched to the handler (which re-raises it) instead
 * of being dropped when the loop runs out of work (the signal watcher does not keep the loop alive).
 * The handlers themselves stay installed: removing them can drop a signal that arrives just before.
 */
function keepAliveForSignals(): void {
  if (keepAliveScheduled || !handlersInstalled) return;
  keepAliveScheduled = true;
  afterPendingSignals(() => { keepAliveScheduled = false; });
}

/**
 * Yields to the event loop so that a pending SIGINT/SIGTERM takes effect (temporary files removed,
 * the signal re-raised). Call it between the files of a multi-file output and between the chunks of a
 * streamed one. Cost: two event-loop turns.
 */
export function checkpoint(): Promise<void> {
  return new Promise((resolve) => { afterPendingSignals(resolve); });
}

/**
 * Runs `fn` once the event loop has polled for signals: two immediates, because the first turn after
 * synchronous work may run its immediates before the poll that reads a pending signal (measured on
 * Node 20: with one immediate, a SIGTERM received during the work is never dispatched).
 */
function afterPendingSignals(fn: () => void): void {
  setImmediate(() => { setImmediate(fn); });
}

function uninstallHandlers(): void {
  if (!handlersInstalled) return;
  handlersInstalled = false;
  for (const s of SIGNALS) process.removeListener(s, onSignal);
  process.removeListener('exit', onExit);
}

function ioError(e: unknown, file: string, doing: string): CalibraError {
  const code = (e as { code?: string }).code ?? 'unknown';
  const fix = code === 'ENOENT' ? 'create the output folder first' : code === 'EACCES' || code === 'EPERM' ? 'choose a folder you can write to' : code === 'ENOSPC' ? 'free disk space' : 'check the path and permissions';
  return new CalibraError('E_IO', `cannot ${doing} (${code})`, { source: file, fix });
}

function existsError(file: string): CalibraError {
  return new CalibraError('E_EXISTS', 'the output file already exists', { source: file, fix: 'pass --force to replace it, or choose another output path' });
}

/**
 * Removes temporary files left in `dir` by atomic writes of processes of this machine that no longer run
 * (SIGKILL). Temps of other machines (a shared folder) are left alone. Cost: one directory listing.
 */
export function removeStaleTemps(dir: string): void {
  let names: string[];
  try { names = fs.readdirSync(dir); } catch { return; }
  for (const n of names) {
    const m = /^\..+\.calibra-tmp-(\d+)-([0-9a-f]{4})[0-9a-f]{8}$/.exec(n);
    if (m === null || m[2] !== hostTag()) continue;
    const pid = Number(m[1]);
    if (pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as { code?: string }).code === 'ESRCH') {
        try { fs.unlinkSync(path.join(dir, n)); } catch { /* raced */ }
      }
    }
  }
}

/**
 * Opens an atomic writer: chunks go to a temporary file next to `file`; `commit` renames it into place.
 * Without `force`, an existing `file` is never replaced (checked before writing and again at commit,
 * atomically with a hard link where the file system supports it). Cost: one temp file, O(1) memory.
 */
export function createAtomicWriter(file: string, opts: WriteOptions = {}): AtomicWriter {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  // a folder, FIFO or device is never replaced (--force or not); an existing file only with force
  checkOutputTarget(file, undefined, opts.force === true);
  removeStaleTemps(dir);
  const tempPath = path.join(dir, `.${path.basename(target)}.calibra-tmp-${process.pid}-${hostTag()}${tempSuffix()}`);
  let fd: number;
  // The handlers go in before the temporary file exists: a signal that arrives between its creation and
  // the handlers would otherwise take the default action and leave the file behind.
  installHandlers();
  live.add(tempPath);
  try {
    fd = fs.openSync(tempPath, 'wx', 0o644);
  } catch (e) {
    live.delete(tempPath);
    throw ioError(e, file, 'create a temporary file in the output folder');
  }
  let open = true;
  // The handlers stay installed after the write: a signal that arrived during a synchronous write is
  // still pending and is dispatched only on a later turn of the event loop; removing the handlers would
  // drop it (the process would carry on). onSignal re-raises it with the default action.
  const finish = (): void => {
    live.delete(tempPath);
    if (live.size === 0) keepAliveForSignals();
  };
  const abort = (): void => {
    if (open) { try { fs.closeSync(fd); } catch { /* closed */ } open = false; }
    try { fs.unlinkSync(tempPath); } catch { /* gone */ }
    finish();
  };
  return {
    path: file,
    tempPath,
    write(chunk) {
      if (!open) throw new CalibraError('E_IO', 'write after commit or abort', { source: file });
      try {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        let off = 0;
        while (off < bytes.length) off += fs.writeSync(fd, bytes, off, bytes.length - off);
      } catch (e) {
        abort();
        throw ioError(e, file, 'write the output');
      }
    },
    commit() {
      if (!open) throw new CalibraError('E_IO', 'commit after commit or abort', { source: file });
      try {
        if (opts.force) {
          // the replaced file keeps its permissions (a mode-600 file stays 600)
          let old: fs.Stats | null = null;
          try { old = fs.statSync(target); } catch { /* no file to replace */ }
          if (old !== null && !old.isFile()) throw new CalibraError('E_IO', 'the output became a non-regular file while calibra was writing', { source: file, fix: 'give the path of a regular file' });
          if (old !== null) fs.fchmodSync(fd, old.mode & 0o7777);
        }
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        open = false;
        if (opts.force) {
          fs.renameSync(tempPath, target);
        } else {
          try {
            fs.linkSync(tempPath, target);
            fs.unlinkSync(tempPath);
          } catch (e) {
            const code = (e as { code?: string }).code;
            if (code === 'EEXIST') throw existsError(file);
            if (fs.existsSync(target)) throw existsError(file);
            fs.renameSync(tempPath, target);
          }
        }
      } catch (e) {
        abort();
        throw e instanceof CalibraError ? e : ioError(e, file, 'move the finished output into place');
      }
      finish();
    },
    abort,
  };
}

/**
 * Writes `data` to `file` atomically (temp file in the same folder, then rename). Existing files are
 * replaced only with `force` (E_EXISTS otherwise); on any error the temp file is removed.
 * Cost: O(bytes) I/O.
 * @example
 * import { mkdtempSync, readFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * const file = `${mkdtempSync(`${tmpdir()}/calibra-`)}/out.json`;
 * writeFileAtomic(file, '{}\n', { force: true });
 * readFileSync(file, 'utf8') // => '{}\n'
 * writeFileAtomic(file, '[]\n') // throws E_EXISTS
 */
export function writeFileAtomic(file: string, data: Uint8Array | string, opts: WriteOptions = {}): void {
  const w = createAtomicWriter(file, opts);
  w.write(data);
  w.commit();
}
