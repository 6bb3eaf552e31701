/**
 * `.npz` archives (numpy `savez` / `savez_compressed`): a ZIP of `.npy` members. Browser-safe.
 * The sum of the declared uncompressed sizes of the members to decode is checked against the limit
 * before anything is inflated (zip bombs), and every member is parsed with the same strict `.npy` reader.
 */
import { CalibraError } from '../errors.js';
import { checkSize, resolveMaxBytes, type ReadLimits } from './limits.js';
import { encodeNpy, parseNpy, type NpyArray, type NpyInput } from './npy.js';
import { readZipEntries, readZipEntry, writeZip } from './zip.js';

/** Options for {@link parseNpz}. */
export interface NpzReadOptions extends ReadLimits {
  /** Decode only these arrays (names without `.npy`); others are listed but not inflated. */
  readonly only?: readonly string[];
  /**
   * Let stored (uncompressed) members' arrays view `bytes` in place instead of copying them; only for
   * callers that own `bytes`. Deflated members are always decoded into a fresh buffer that the array then
   * views, so a member costs its decoded size once, not twice. Default false.
   */
  readonly share?: boolean;
}

/** A parsed archive: array names in archive order, and the decoded arrays. */
export interface NpzArchive {
  /** Every array name in the order the members appear in the archive. */
  readonly names: readonly string[];
  /** The decoded arrays (all of them, or those asked for with `only`). */
  readonly arrays: ReadonlyMap<string, NpyArray>;
}

/**
 * Parses an `.npz` archive. Member names lose their `.npy` suffix, as in numpy. Non-`.npy` members,
 * duplicate names and directories are refused. Cost: O(archive size + decoded size), O(n log n) in the
 * number of members.
 * @example parseNpz(encodeNpz([['x', {shape: [1], data: new Float64Array([3])}]])).names // => ['x']
 */
export function parseNpz(bytes: Uint8Array, opts: NpzReadOptions = {}): NpzArchive {
  const source = opts.source;
  const where = source === undefined ? {} : { source };
  const limit = resolveMaxBytes(opts.maxBytes);
  const entries = readZipEntries(bytes, source);
  const names: string[] = [];
  const seen = new Set<string>();
  const wanted = opts.only === undefined ? undefined : new Set(opts.only);
  let declared = 0;
  for (const e of entries) {
    if (!e.name.endsWith('.npy') || e.name.includes('/') || e.name.includes('\\')) {
      throw new CalibraError('E_FORMAT', `archive member ${JSON.stringify(e.name)} is not a top-level .npy array`, { ...where, where: `member ${JSON.stringify(e.name)}`, fix: 'an .npz holds only arrays; write it with np.savez(f, name=array, ...)' });
    }
    const name = e.name.slice(0, -4);
    if (seen.has(name)) throw new CalibraError('E_FORMAT', `array ${JSON.stringify(name)} appears twice in the archive`, { ...where, where: `member ${JSON.stringify(e.name)}`, fix: 'write the archive again with np.savez' });
    names.push(name);
    seen.add(name);
    if (wanted === undefined || wanted.has(name)) declared += e.uncompressedSize;
  }
  checkSize(declared, limit, 'the declared uncompressed size of the archive members', source);
  const arrays = new Map<string, NpyArray>();
  entries.forEach((e, i) => {
    const name = names[i] as string;
    if (wanted !== undefined && !wanted.has(name)) return;
    const member = readZipEntry(bytes, e, source);
    try {
      arrays.set(name, parseNpy(member, { maxBytes: limit, share: e.method !== 0 || opts.share === true }));
    } catch (err) {
      if (!(err instanceof CalibraError)) throw err;
      throw new CalibraError(err.code, err.message, { ...where, where: `array ${JSON.stringify(name)}${err.where !== undefined ? `, ${err.where}` : ''}`, ...(err.fix !== undefined ? { fix: err.fix } : {}) });
    }
  });
  return { names, arrays };
}

/**
 * Encodes named arrays as an `.npz` archive, in the given order (member `name.npy` per array), stored
 * (like `np.savez`) or deflated (like `np.savez_compressed`). Cost: O(total bytes) plus deflate time.
 */
export function encodeNpz(arrays: readonly (readonly [string, NpyInput])[], opts: { readonly compress?: boolean } = {}): Uint8Array {
  const seen = new Set<string>();
  for (const [name] of arrays) {
    if (name === '' || name.includes('/') || seen.has(name)) throw new CalibraError('E_OPTION', `encodeNpz: bad or repeated array name ${JSON.stringify(name)}`, { fix: 'use distinct names without slashes' });
    seen.add(name);
  }
  return writeZip(arrays.map(([name, a]) => ({ name: `${name}.npy`, bytes: encodeNpy(a) })), opts.compress ?? false);
}
