import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runBitexactCases } from './views-bitexact-cases.js';

// Oracle: test/fixtures/views/bitexact.json, written by scripts/fixtures/views-bitexact.ts from the views
// pipeline before the W6 speed-ups (right-angle fast paths, in-place jitter, pooled buffers). Exact equality.
const fixture = JSON.parse(readFileSync(new URL('../fixtures/views/bitexact.json', import.meta.url), 'utf8')) as { cases: Record<string, number[]> };

describe('computeViewsLogits outputs are bit-identical to the pinned runs', () => {
  it('every logit and draw of every view, grey/RGB, square/non-square, all preprocessing paths, with a corruption', async () => {
    const got = await runBitexactCases();
    expect(Object.keys(got).sort()).toEqual(Object.keys(fixture.cases).sort());
    for (const [k, want] of Object.entries(fixture.cases)) {
      const g = got[k] ?? [];
      expect(g.length, k).toBe(want.length);
      for (let i = 0; i < want.length; i++) if (!Object.is(g[i], want[i])) expect(`${k}[${i}] = ${g[i]}`).toBe(`${k}[${i}] = ${want[i]}`);
    }
  });
});
