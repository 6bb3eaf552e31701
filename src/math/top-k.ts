/**
 * The one top-k of a matrix row (PTS features, CA features): the k largest entries of row r, descending,
 * ties kept in index order (lower index first), by insertion into a sorted buffer.
 */

/**
 * Writes the k largest entries of row r of a row-major matrix with `cols` columns into `vals` (descending) and,
 * when `idx` is given, their column indices. Cost: O(cols·k), no allocation.
 * @example
 * const idx = new Int32Array(4), vals = new Float64Array(4);
 * topKRow(Float64Array.from([0.5, 3, -1, 3, 2, 0.5]), 6, 0, 4, idx, vals);
 * [vals, idx] // => [[3, 3, 2, 0.5], [1, 3, 4, 0]]
 */
export function topKRow(data: ArrayLike<number>, cols: number, r: number, k: number, idx: Int32Array | null, vals: Float64Array): void {
  const base = r * cols;
  let filled = 0;
  for (let j = 0; j < cols; j++) {
    const v = data[base + j] as number;
    if (filled === k && v <= (vals[k - 1] as number)) continue;
    let pos = filled < k ? filled : k - 1;
    while (pos > 0 && v > (vals[pos - 1] as number)) {
      vals[pos] = vals[pos - 1] as number;
      if (idx !== null) idx[pos] = idx[pos - 1] as number;
      pos--;
    }
    vals[pos] = v;
    if (idx !== null) idx[pos] = j;
    if (filled < k) filled++;
  }
}
