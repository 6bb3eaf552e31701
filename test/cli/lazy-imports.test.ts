/**
 * Start-up: every command loads only what it uses. The CLI runs from the sources in a child process that
 * records each module it loads (sources and packages); the native addons and big packages (onnxruntime-node, sharp, resvg, DuckDB,
 * Arrow) and the thread pool must appear only in the commands and options that use them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/registry.js';
import { encodeNpy } from '../../src/data/npy.js';

const ROOT = path.join(__dirname, '..', '..');
const RUNNER = path.join(ROOT, 'test', 'robustness', 'cli-runner.ts');
const TRACE = path.join(__dirname, 'load-trace.mjs');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-lazy-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEAVY = ['onnxruntime-node', 'sharp', '@resvg/resvg-js', '@duckdb/node-api', 'apache-arrow'] as const;

/** Runs `calibra ...argv`; returns the exit code and the loaded packages, source files and built-ins. */
function trace(argv: string[]): { status: number | null; packages: Set<string>; sources: string[]; stderr: string } {
  const file = path.join(dir, `trace-${Math.random().toString(36).slice(2)}.txt`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', TRACE, RUNNER, ...argv], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CALIBRA_LOAD_TRACE: file } });
  const urls = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((u) => u !== '') : [];
  const packages = new Set<string>();
  for (const u of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    if (m !== null) packages.add(m[1] as string);
  }
  const sources = urls.filter((u) => u.includes('/src/')).map((u) => u.slice(u.indexOf('/src/') + 1));
  return { status: r.status, packages, sources, stderr: r.stderr };
}

const heavyIn = (p: Set<string>): string[] => HEAVY.filter((h) => p.has(h));

describe('lazy imports per command', () => {
  const logits = path.join(dir, 'logits.npy');
  const labels = path.join(dir, 'labels.npy');
  fs.writeFileSync(logits, encodeNpy({ shape: [6, 3], data: new Float64Array([2, 0, 0, 0, 1, 0, 0, 0, 3, 1, 2, 0, 0, 0, 1, 3, 1, 0]) }));
  fs.writeFileSync(labels, encodeNpy({ shape: [6], data: new Int32Array([0, 1, 2, 1, 2, 0]) }));

  it('the registry names every command as its module does', async () => {
    for (const entry of commands) expect((await entry.load()).name).toBe(entry.name);
  });

  it('calibra --help loads no command module and no package', () => {
    const t = trace(['--help']);
    expect(t.status).toBe(0);
    expect([...t.packages].filter((p) => p !== 'tsx' && p !== 'get-tsconfig' && p !== 'esbuild' && p !== 'resolve-pkg-maps')).toEqual([]);
    expect(t.sources.filter((s) => s.startsWith('src/cli/commands/'))).toEqual([]);
  });

  it('evaluate on a small in-memory file loads no native addon and no thread pool', () => {
    const t = trace(['evaluate', '--logits', logits, '--labels', labels, '--metrics', 'ece,nll', '--quiet']);
    expect(t.status, t.stderr).toBe(0);
    expect(heavyIn(t.packages)).toEqual([]);
    expect(t.sources.filter((s) => s.startsWith('src/node-parallel/') && s !== 'src/node-parallel/threads.ts')).toEqual([]);
    expect(t.sources.some((s) => s.startsWith('src/cli/commands/evaluate'))).toBe(true);
    expect(t.sources.filter((s) => s.startsWith('src/cli/commands/') && !s.startsWith('src/cli/commands/evaluate'))).toEqual([]);
  });

  it('evaluate --threads 2 loads the thread pool', () => {
    const t = trace(['evaluate', '--logits', logits, '--labels', labels, '--metrics', 'ece', '--threads', '2', '--quiet']);
    expect(t.status, t.stderr).toBe(0);
    expect(t.sources).toContain('src/node-parallel/shared.ts'); // the module that imports node:worker_threads
  });

  it('fit and apply load no native addon', () => {
    const model = path.join(dir, 'ts.json');
    const f = trace(['fit', '--method', 'ts', '--logits', logits, '--labels', labels, '--out', model, '--quiet']);
    expect(f.status, f.stderr).toBe(0);
    expect(heavyIn(f.packages)).toEqual([]);
    const a = trace(['apply', '--model', model, '--logits', logits, '--out', path.join(dir, 'p.npy'), '--quiet']);
    expect(a.status, a.stderr).toBe(0);
    expect(heavyIn(a.packages)).toEqual([]);
  });

  it('views and demo load onnxruntime-node only when a model is loaded and sharp only when an image file is decoded; report loads resvg only for PNGs', () => {
    for (const c of ['views', 'demo']) {
      const t = trace([c, '--help']);
      expect(t.status).toBe(0);
      expect(heavyIn(t.packages)).toEqual([]);
    }
    for (const c of ['report', 'sql', 'compare']) expect(heavyIn(trace([c, '--help']).packages)).toEqual([]);
  });
});
