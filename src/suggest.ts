/**
 * "Did you mean" for every list of choices the CLI and the library check (commands, options, method ids,
 * metric ids, presets, formats): the known names nearest to what was typed, by optimal-string-alignment edit
 * distance (Levenshtein plus adjacent transpositions, each edit costing 1), compared case-insensitively with
 * `_` and `-` treated alike. Pure, no imports.
 */

/** Case-folded, `_` → `-`, so `ECE_EM`, `ece-em` and `ece_em` compare equal. */
export function foldName(s: string): string {
  return s.toLowerCase().replace(/_/g, '-');
}

/**
 * Optimal-string-alignment distance between a and b (insertions, deletions, substitutions and swaps of two
 * adjacent characters, each 1). Cost O(|a|·|b|) time, three rows of O(|b|) memory.
 * @example editDistance('tempreature', 'temperature') // => 1
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] as number;
}

/**
 * The candidates nearest to `input`: those within max(1, ⌊len/3⌋) edits of it (at most 3), closest first, then
 * any candidate that starts with what was typed (3 characters or more). At most `limit` names.
 * @example nearestNames('evalute', ['evaluate', 'views', 'fit']) // => ['evaluate']
 */
export function nearestNames(input: string, candidates: readonly string[], limit = 3): string[] {
  const x = foldName(input);
  const budget = Math.min(3, Math.max(1, Math.floor(x.length / 3)));
  const scored = candidates.map((c) => ({ c, d: editDistance(x, foldName(c)) })).filter((s) => s.d <= budget);
  scored.sort((p, q) => p.d - q.d);
  const out = scored.map((s) => s.c);
  if (x.length >= 3) for (const c of candidates) if (foldName(c).startsWith(x) && !out.includes(c)) out.push(c);
  return [...new Set(out)].slice(0, limit);
}

/**
 * `"did you mean 'evaluate'? "` (with a trailing space), or '' when nothing is near; `quote` wraps each name
 * (e.g. `(s) => '--' + s` for options).
 * @example didYouMean('--val-logit', ['val-logits'], (s) => `--${s}`) // => "did you mean --val-logits? "
 */
export function didYouMean(input: string, candidates: readonly string[], quote: (s: string) => string = (s) => `'${s}'`): string {
  const near = nearestNames(input, candidates);
  if (near.length === 0) return '';
  return `did you mean ${near.map(quote).join(' or ')}? `;
}
