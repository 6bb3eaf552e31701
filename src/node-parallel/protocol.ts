/**
 * Messages between {@link evaluateParallel} and its worker threads (plain, structured-cloneable data).
 */
import type { CalibraErrorCode } from '../errors.js';
import type { AccumulatorSnapshot, EvaluateOptions } from '../metrics/evaluate.js';

/** One worker's job: the blocks it evaluates of a matrix that lives in a SharedArrayBuffer. */
export interface WorkerTask {
  readonly kind: 'logits' | 'probs';
  readonly type: 'f4' | 'f8';
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly rows: number;
  readonly cols: number;
  readonly labels: Int32Array;
  readonly ids: readonly string[];
  readonly options: EvaluateOptions;
  /** Block indices (block j holds rows j·BLOCK_ROWS ..), ascending. */
  readonly blocks: readonly number[];
}

/** An error raised in a worker, rebuilt as a CalibraError on the main thread when `code` is set. */
export interface WorkerError {
  readonly code: CalibraErrorCode | null;
  readonly message: string;
  readonly source?: string;
  readonly where?: string;
  readonly fix?: string;
}

/** What a worker posts: one message per block, then `done` (or one `error`, after which it stops). */
export type WorkerReply =
  | { readonly kind: 'block'; readonly block: number; readonly snapshot: AccumulatorSnapshot }
  | { readonly kind: 'error'; readonly block: number; readonly error: WorkerError }
  | { readonly kind: 'done' };

/** One apply worker's job: rows start..end of the shared logits (or probabilities), written into the shared output. */
export interface ApplyTask {
  /** The fitted model's JSON text (as `calibra fit` writes it). */
  readonly model: string;
  /** The shared matrix holds the user's probabilities, not logits. */
  readonly probs: boolean;
  readonly type: 'f4' | 'f8';
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly rows: number;
  readonly cols: number;
  readonly start: number;
  readonly end: number;
  /** N×K float64 output. */
  readonly out: SharedArrayBuffer;
}

/** What an apply worker posts once. */
export type ApplyReply = { readonly kind: 'done' } | { readonly kind: 'error'; readonly error: WorkerError };
