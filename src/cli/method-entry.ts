/**
 * The one syntax for a method with options on the command line, used by `fit --method`, `compare --methods`
 * and `report --methods`: `ID` or `ID:k=v;k=v` (e.g. `histogram:bins=15;scheme=equal-mass`). Values parse as
 * numbers and booleans where they read as such. `--option k=v` (fit) and `--option METHOD.k=v` (report) add to it.
 */
import { CalibraError } from '../errors.js';
import { getCalibrator } from '../calibrators/core/registry.js';
import type { CalibratorSpec, RawOptions } from '../calibrators/core/types.js';

/** A method with its options. */
export interface MethodEntry {
  /** The entry as typed (the row label of compare and report). */
  readonly label: string;
  readonly spec: CalibratorSpec;
  readonly options: RawOptions;
}

/** A typed option value: `true`/`false` → boolean, numeric text → number, else the text. */
export function optionValue(v: string): string | number | boolean {
  return v === 'true' ? true : v === 'false' ? false : v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

/**
 * Parses `ID` or `ID:k=v;k=v`. Throws E_OPTION for an unknown id (with "did you mean"), E_USAGE for a bad pair.
 * @example parseEntry('histogram:bins=15').options // => { bins: 15 }
 */
export function parseEntry(text: string, where = 'calibra --methods'): MethodEntry {
  const colon = text.indexOf(':');
  const id = colon < 0 ? text : text.slice(0, colon);
  const spec = getCalibrator(id);
  const options: Record<string, string | number | boolean> = {};
  if (colon >= 0) {
    for (const pair of text.slice(colon + 1).split(';').filter((p) => p.length > 0)) {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new CalibraError('E_USAGE', `method entry ${JSON.stringify(text)}: ${JSON.stringify(pair)} is not k=v`, { where, fix: 'write ID:k=v;k=v, e.g. histogram:bins=15;scheme=equal-mass' });
      options[pair.slice(0, eq)] = optionValue(pair.slice(eq + 1));
    }
  }
  return { label: text, spec, options };
}
