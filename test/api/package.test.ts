/**
 * The package as a user gets it: `npm pack` ships the built entries and nothing of the sources, tests or
 * scripts; every subpath of package.json "exports" resolves from the built package (dist/, run after
 * `npm run build`, as `npm test` does) in a fresh process; `calibra`, `calibra/metrics`,
 * `calibra/calibrators` and `calibra/browser` load no native package, `calibra/node` loads them only on use;
 * internals stay private (a deep import is refused, internal helpers are not exported).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');
const TRACE = path.join(ROOT, 'test', 'cli', 'load-trace.mjs');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }> };
const NATIVE = ['onnxruntime-node', 'sharp', '@resvg/resvg-js', '@duckdb/node-api'];
const SUBPATHS = ['calibra', 'calibra/metrics', 'calibra/calibrators', 'calibra/browser', 'calibra/node'];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calibra-pkg-'));
fs.mkdirSync(path.join(dir, 'node_modules'));
fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'calibra'), 'dir');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Imports `spec` in a fresh Node process outside the repo; returns its export names and the packages it loaded. */
function importFresh(spec: string, extra = ''): { status: number | null; names: string[]; packages: string[]; stderr: string; stdout: string } {
  const trace = path.join(dir, `trace-${spec.replace(/\W/g, '_')}.txt`);
  const code = `const m = await import(${JSON.stringify(spec)}); console.log(JSON.stringify(Object.keys(m))); ${extra}`;
  const r = spawnSync(process.execPath, ['--import', TRACE, '--input-type=module', '-e', code], { cwd: dir, encoding: 'utf8', env: { ...process.env, CALIBRA_LOAD_TRACE: trace } });
  const urls = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8').split('\n') : [];
  const packages = new Set<string>();
  for (const u of urls) {
    const m = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u);
    if (m !== null) packages.add(m[1] as string);
  }
  const first = r.stdout.split('\n')[0] ?? '[]';
  return { status: r.status, names: r.status === 0 ? (JSON.parse(first) as string[]) : [], packages: [...packages], stderr: r.stderr, stdout: r.stdout };
}

describe('npm pack', () => {
  it('ships bin, the built entries, data and models, and no sources, tests or scripts', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
    for (const want of ['package.json', 'README.md', 'bin/calibra.js', 'dist/cli/main.js']) expect(files).toContain(want);
    for (const target of Object.values(pkg.exports)) {
      const t = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const f of t) expect(files, f).toContain(f.replace(/^\.\//, ''));
    }
    const stray = files.filter((f) => /^(src|test|scripts|bench|web|examples|docs)\//.test(f) || /__pycache__|\.pyc$/.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')));
    expect(stray).toEqual([]);
  });
});

describe('subpath exports, from the built package in a fresh process', () => {
  it.each(SUBPATHS)('%s resolves and exports names', (spec) => {
    const r = importFresh(spec);
    expect(r.status, r.stderr).toBe(0);
    expect(r.names.length).toBeGreaterThan(5);
  });

  it.each(SUBPATHS)('%s loads no native package at import', (spec) => {
    const r = importFresh(spec);
    expect(r.status, r.stderr).toBe(0);
    expect(r.packages.filter((p) => NATIVE.includes(p))).toEqual([]);
  });

  it('calibra/metrics and calibra/calibrators load no package at all; calibra/browser is calibra', () => {
    for (const spec of ['calibra/metrics', 'calibra/calibrators']) expect(importFresh(spec).packages).toEqual([]);
    expect(importFresh('calibra/browser').names).toEqual(importFresh('calibra').names);
  });

  it('calibra is calibra/calibrators plus calibra/metrics plus the rest, and keeps internals private', () => {
    const all = new Set(importFresh('calibra').names);
    for (const n of [...importFresh('calibra/calibrators').names, ...importFresh('calibra/metrics').names]) expect(all.has(n), n).toBe(true);
    for (const internal of ['Adam', 'Rng', 'poisson', 'addToBins', 'minimizeLbfgs', 'OptionReader', 'fitReduction', 'checkEnvelope', 'topKRow', 'pavInPlace']) {
      expect(all.has(internal), internal).toBe(false);
    }
    expect(all.has('getCalibrator') && all.has('evaluateMetrics') && all.has('loadModelJson')).toBe(true);
  });

  it('a deep import of an internal file is refused (ERR_PACKAGE_PATH_NOT_EXPORTED)', () => {
    const r = importFresh('calibra/dist/src/math/adam.js');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  });

  it('calibra/node loads onnxruntime-node only when a model is loaded', () => {
    const model = path.join(ROOT, 'models', 'digits-mlp.onnx');
    const r = importFresh('calibra/node', `const pre = JSON.parse((await import('node:fs')).readFileSync(${JSON.stringify(path.join(ROOT, 'models', 'digits-mlp.json'))}, 'utf8')).preprocess; const c = await m.OnnxClassifier.load(${JSON.stringify(model)}, pre); console.log(c.inputName);`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.packages).toContain('onnxruntime-node');
  });
});
