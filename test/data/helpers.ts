import { expect } from 'vitest';
import { isCalibraError, type CalibraError, type CalibraErrorCode } from '../../src/errors.js';

/** Runs `fn`, expects a CalibraError with `code`, and returns it for further checks. */
export function expectCode(fn: () => unknown, code: CalibraErrorCode): CalibraError {
  try {
    fn();
  } catch (e) {
    expect(isCalibraError(e) ? e.code : e).toBe(code);
    return e as CalibraError;
  }
  throw new Error(`expected ${code}, nothing was thrown`);
}
