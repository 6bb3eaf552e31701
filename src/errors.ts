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

/** One line: `calibra: E_SHAPE: logits.npy: row 3: expected 10 columns, got 9 (fix: ...)`. */
export function formatError(e: CalibraError): string {
  const parts = [`calibra: ${e.code}`];
  if (e.source !== undefined) parts.push(e.source);
  if (e.where !== undefined) parts.push(e.where);
  parts.push(e.message + (e.fix !== undefined ? ` (fix: ${e.fix})` : ''));
  return parts.join(': ').replace(/\s*\n\s*/g, ' ');
}
