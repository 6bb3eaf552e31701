/**
 * The size limit every reader checks BEFORE it allocates: declared array sizes, declared uncompressed
 * sizes inside `.npz` archives and text file sizes. Browser-safe: the environment variable is read
 * through `globalThis.process` only when it exists.
 */
import { CalibraError } from '../errors.js';

/** Default limit on decoded data: 2 GiB. */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3;

/** Options shared by every reader. */
export interface ReadLimits {
  /** Largest decoded size in bytes (default `CALIBRA_MAX_BYTES` or {@link DEFAULT_MAX_BYTES}). */
  readonly maxBytes?: number;
  /** The file name used in error messages. */
  readonly source?: string;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/**
 * Parses a byte count such as `1048576`, `512M`, `2GiB` or `1.5g` (binary units).
 * Cost: O(length of text).
 * @example parseByteSize('512M') // => 536870912
 */
export function parseByteSize(text: string, what = 'CALIBRA_MAX_BYTES'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  const unit = m === null ? undefined : UNITS[(m[2] ?? '').toLowerCase()];
  const value = m === null || unit === undefined ? NaN : Number(m[1]) * unit;
  if (!Number.isFinite(value) || value <= 0) {
    throw new CalibraError('E_OPTION', `${what}=${JSON.stringify(text)} is not a byte size`, { fix: 'give a positive number of bytes, optionally with a K, M, G or T suffix (binary units), e.g. 4G' });
  }
  return Math.floor(value);
}

/**
 * The limit in force: the option when given, else the `CALIBRA_MAX_BYTES` environment variable, else 2 GiB.
 * Cost: O(1).
 */
export function resolveMaxBytes(maxBytes?: number): number {
  if (maxBytes !== undefined) {
    if (!(maxBytes > 0)) throw new CalibraError('E_OPTION', `maxBytes must be positive, got ${maxBytes}`, { fix: 'pass a positive byte count' });
    return maxBytes;
  }
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.['CALIBRA_MAX_BYTES'];
  return env === undefined || env === '' ? DEFAULT_MAX_BYTES : parseByteSize(env);
}

/** Throws E_TOO_LARGE when `bytes` exceeds `limit`; `what` says what was measured. */
export function checkSize(bytes: number, limit: number, what: string, source: string | undefined): void {
  if (bytes <= limit) return;
  throw new CalibraError('E_TOO_LARGE', `${what} is ${bytes} bytes, over the limit of ${limit} bytes`, {
    ...(source !== undefined ? { source } : {}),
    fix: 'if the file is genuine, raise the limit with CALIBRA_MAX_BYTES=8G (or the maxBytes option), or stream it in chunks',
  });
}
