/**
 * Small seeded prediction tables for the table tests: probabilities with values exactly on bin edges
 * (b/15, b/10, 0.5, 1), ties, float32-rounded rows, and a slice column; written as JSONL (numbers in
 * shortest round-trip form, so DuckDB parses exactly the doubles the in-memory path sees).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Matrix } from '../../src/math/matrix.js';

/** xorshift-style seeded generator in [0, 1) (test data only). */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
}

export interface Fixture {
  readonly probs: Matrix<Float64Array>;
  readonly logits: Matrix<Float64Array>;
  readonly labels: Int32Array;
  readonly region: string[];
  readonly day: number[];
}

/** N rows, K classes; confidences on edges and tied in about a third of the rows. */
export function makeFixture(n: number, k: number, seed: number): Fixture {
  const r = rng(seed);
  const probs = new Float64Array(n * k);
  const logits = new Float64Array(n * k);
  const labels = new Int32Array(n);
  const region: string[] = [];
  const day: number[] = [];
  const edges = [1 / 15, 2 / 15, 7 / 15, 0.5, 0.7, 0.2, 0.3, 1, 0.6, 14 / 15, 0.9];
  for (let i = 0; i < n; i++) {
    const kind = r();
    const top = Math.floor(r() * k);
    if (kind < 0.35) {
      // an exact edge value as the top probability (rest spread so the row sums to 1 within 1e-12)
      let c = edges[Math.floor(r() * edges.length)] as number;
      if (c < 1 / k) c = 1;
      const rest = (1 - c) / (k - 1);
      for (let j = 0; j < k; j++) probs[i * k + j] = j === top ? c : rest;
    } else {
      let s = 0;
      for (let j = 0; j < k; j++) { const z = (r() - 0.5) * 4 + (j === top ? 2 : 0); logits[i * k + j] = z; s += Math.exp(z); }
      for (let j = 0; j < k; j++) probs[i * k + j] = Math.fround(Math.exp(logits[i * k + j] as number) / s);
    }
    if (kind >= 0.35) {
      // keep logits for the logits test; rows of the first kind get logits ln p (finite, p > 0)
    } else for (let j = 0; j < k; j++) logits[i * k + j] = Math.log(Math.max(probs[i * k + j] as number, 1e-30));
    labels[i] = r() < 0.65 ? top : Math.floor(r() * k);
    region.push(['eu', 'us', 'ap'][Math.floor(r() * 3)] as string);
    day.push(1 + Math.floor(r() * 4));
  }
  return { probs: { data: probs, rows: n, cols: k }, logits: { data: logits, rows: n, cols: k }, labels, region, day };
}

/** Writes the fixture as JSONL with columns label, probs, logits, conf, pred, region, day. */
export function writeJsonl(f: Fixture, file: string): void {
  const k = f.probs.cols;
  const lines: string[] = [];
  for (let i = 0; i < f.probs.rows; i++) {
    const p = Array.from(f.probs.data.subarray(i * k, (i + 1) * k));
    const z = Array.from(f.logits.data.subarray(i * k, (i + 1) * k));
    let best = 0;
    for (let j = 1; j < k; j++) if ((p[j] as number) > (p[best] as number)) best = j;
    lines.push(JSON.stringify({ label: f.labels[i], probs: p, logits: z, conf: p[best], pred: best, region: f.region[i], day: f.day[i] }));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}
