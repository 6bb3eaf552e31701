/**
 * Typed errors for calibra. Every error carries a stable `code`, and where it is about an input, the
 * file (`source`), the position (`where`, e.g. "row 17, column 3" or "field 'state.weights'") and the fix.
 * The CLI maps every CalibraError to exit code 2 and prints `formatError(err)` as one line.
 */
export type CalibraErrorCode =
  | 'E_SHAPE'
  | 'E_LABEL_RANGE'
  | 'E_LABEL_TYPE'
  | 'E_NON_FINITE'
  | 'E_PROBS'
  | 'E_FORMAT'
  | 'E_DTYPE'
  | 'E_TRUNCATED'
  | 'E_TOO_LARGE'
  | 'E_PICKLE'
  | 'E_OPTION'
  | 'E_USAGE'
  | 'E_MODEL_VERSION'
  | 'E_MODEL_INVALID'
  | 'E_VIEWS_MISMATCH'
  | 'E_IO'
  | 'E_EXISTS'
  | 'E_EMPTY'
  | 'E_NUMERIC'
  | 'E_UNSUPPORTED';

export interface CalibraErrorDetails {
  /** The file the problem is in, when there is one. */
  readonly source?: string;
  /** Where in the input: "row 3", "byte 128", "field 'method'". */
  readonly where?: string;
  /** What the user should do about it. */
  readonly fix?: string;
}

export class CalibraError extends Error {
  readonly code: CalibraErrorCode;
  readonly source: string | undefined;
  readonly where: string | undefined;
  readonly fix: string | undefined;

  constructor(code: CalibraErrorCode, message: string, details: CalibraErrorDetails = {}) {
    super(message);
    this.name = 'CalibraError';
    this.code = code;
    this.source = details.source;
    this.where = details.where;
    this.fix = details.fix;
  }

  /** A copy of this error with the source file filled in (when it was not known where it was raised). */
  withSource(source: string): CalibraError {
    if (this.source !== undefined) return this;
    return new CalibraError(this.code, this.message, { source, ...(this.where !== undefined ? { where: this.where } : {}), ...(this.fix !== undefined ? { fix: this.fix } : {}) });
  }
}

/** True when `e` is a CalibraError (optionally of one code). */
export function isCalibraError(e: unknown, code?: CalibraErrorCode): e is CalibraError {
  return e instanceof CalibraError && (code === undefined || e.code === code);
}

// C0 and C1 control characters, DEL, line/paragraph separators and bidirectional overrides: what a
// hostile name could use to move the cursor, retitle or clear a terminal, or hide text.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Makes a string safe to print on a terminal: every control character becomes a visible escape
 * (`\x1b`, `\r`, `\u202e`), so text taken from an input file (member names, JSON keys, view names, file
 * names) cannot retitle, clear or overwrite the terminal. Cost: O(length).
 * @example termSafe('a\x1b]0;pwned\x07b') // => 'a\\x1b]0;pwned\\x07b'
 */
export function termSafe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const n = c.charCodeAt(0);
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A bounded list for a message: at most `max` items, each cut to 64 characters and quoted, then how many
 * were left out, so an archive of 200 000 members gives a short line. Cost: O(max).
 * @example listForMessage(['a', 'b', 'c'], 2) // => '"a", "b" and 1 more'
 */
export function listForMessage(items: readonly string[], max = 10): string {
  if (items.length === 0) return 'none';
  const shown = items.slice(0, max).map((s) => JSON.stringify(s.length > 64 ? `${s.slice(0, 64)}...` : s));
  return items.length > max ? `${shown.join(', ')} and ${items.length - max} more` : shown.join(', ');
}

/** The longest error line printed; longer messages are cut (their text came from an input). */
export const MAX_ERROR_LINE = 4000;

/**
 * One line: `calibra: E_SHAPE: logits.npy: row 3: expected 10 columns, got 9 (fix: ...)`. Control
 * characters from inputs are escaped ({@link termSafe}); the file, place and message parts are each cut
 * to a bounded length, the fix never.
 */
export function formatError(e: CalibraError): string {
  const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n)}... (${s.length - n} more characters)` : s);
  const one = (s: string): string => termSafe(s.replace(/\s*\n\s*/g, ' '));
  const parts = [`calibra: ${e.code}`];
  if (e.source !== undefined) parts.push(clip(termSafe(e.source), 1000));
  if (e.where !== undefined) parts.push(clip(one(e.where), 500));
  parts.push(clip(one(e.message), MAX_ERROR_LINE - 1500) + (e.fix !== undefined ? ` (fix: ${one(e.fix)})` : ''));
  return parts.join(': ');
}
