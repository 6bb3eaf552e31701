/**
 * Every `@example` in src/**\/*.ts runs and its stated results are checked (issue 14 item 4). The convention
 * (`// => exact`, `// ~> rounded`, `// throws E_CODE`, `// doctest: skip — reason`) is documented in
 * test/support/doctest.ts and CONTRIBUTING.md. Examples run in this process, through vitest's transform of
 * the sources they import.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClaimError, compileExample, extractExamples, runCompiled, sourceFiles, type Example } from '../support/doctest.js';

const ROOT = path.join(__dirname, '..', '..');
const ENTRIES: Record<string, string> = {
  calibra: 'src/index.ts',
  'calibra/metrics': 'src/metrics/index.ts',
  'calibra/calibrators': 'src/calibrators/index.ts',
  'calibra/browser': 'src/browser.ts',
  'calibra/node': 'src/node.ts',
};

const examples: Example[] = sourceFiles(path.join(ROOT, 'src')).flatMap((f) =>
  extractExamples(path.relative(ROOT, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8')));

async function load(abs: string): Promise<Record<string, unknown>> {
  return await import(/* @vite-ignore */ abs) as Record<string, unknown>;
}

/** Resolves an example's import specifier: a package entry, a Node built-in, or a path relative to `file`. */
function importerFor(file: string): (spec: string) => Promise<unknown> {
  return async (spec) => {
    const entry = ENTRIES[spec];
    if (entry !== undefined) return load(path.join(ROOT, entry));
    if (spec.startsWith('.')) return load(path.resolve(ROOT, path.dirname(file), spec.replace(/\.js$/, '.ts')));
    return import(/* @vite-ignore */ spec);
  };
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** The names an example of `file` sees: its own file's exports over the main entry's. */
async function scopeFor(file: string): Promise<Record<string, unknown>> {
  const scope = { ...(await load(path.join(ROOT, 'src/index.ts'))), ...(await load(path.join(ROOT, file))) };
  return Object.fromEntries(Object.entries(scope).filter(([k]) => IDENT.test(k) && k !== 'default'));
}

async function runExample(ex: Example): Promise<number> {
  const scope = await scopeFor(ex.file);
  let compiled: { js: string; claims: number };
  try {
    compiled = await compileExample(ex.code, Object.keys(scope));
  } catch (e) {
    throw new Error(`${ex.file}:${ex.line}: the example does not compile: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const { js, claims } = compiled;
  if (claims === 0) throw new Error(`${ex.file}:${ex.line}: the example states no result (add \`// => value\`, \`// ~> value\` or \`// throws E_CODE\`, or \`// doctest: skip — reason\`)`);
  try {
    return await runCompiled(js, scope, importerFor(ex.file));
  } catch (e) {
    if (e instanceof ClaimError) throw new Error(`${ex.file}:${ex.line}: ${e.message}`, { cause: e });
    throw new Error(`${ex.file}:${ex.line}: the example throws: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

describe('@example doctests', () => {
  it('finds the examples of src/ (the extractor sees every @example tag)', () => {
    let tags = 0;
    for (const f of sourceFiles(path.join(ROOT, 'src'))) tags += (fs.readFileSync(f, 'utf8').match(/@example\b/g) ?? []).length;
    expect(examples.length).toBe(tags);
    expect(examples.length).toBeGreaterThan(100);
  });

  it('a skipped example gives its reason', () => {
    for (const ex of examples) if (ex.skip !== null) expect(ex.skip, `${ex.file}:${ex.line}`).toMatch(/\w{3,}.*\w{3,}/);
  });

  for (const ex of examples) {
    it.skipIf(ex.skip !== null)(`${ex.file}:${ex.line} runs and its stated results hold`, async () => {
      expect(await runExample(ex)).toBeGreaterThan(0);
    });
  }
});

describe('the doctest checker fails on wrong claims', () => {
  const SCOPE = { x: 3, fail: (): never => { throw Object.assign(new Error('bad'), { code: 'E_SHAPE' }); } };
  const run = async (code: string): Promise<number> => runCompiled((await compileExample(code, ['x', 'fail'])).js, SCOPE, async () => ({}));
  it('exact, rounded and throws claims that hold pass', async () => {
    expect(await run('x + 1 // => 4\n[x, 0.1 + 0.2] // ~> [3, 0.3000]\n({ a: x, b: 2 }) // => { a: 3 }\nfail() // throws E_SHAPE')).toBe(4);
  });
  it('a wrong exact value fails', async () => {
    await expect(run('x + 1 // => 5')).rejects.toThrow(/4 !== 5/);
  });
  it('a rounded value off by more than half a unit of its last digit fails', async () => {
    await expect(run('x / 7 // ~> 0.4286')).resolves.toBe(1);
    await expect(run('x / 7 // ~> 0.4285')).rejects.toThrow(/does not round/);
  });
  it('a typed array, a missing key, a wrong length and a missing throw fail', async () => {
    await expect(run('[1, 2] // => Float64Array.of(1, 2)')).rejects.toThrow(/not a Float64Array/);
    await expect(run('({ a: 1 }) // => { b: 1 }')).rejects.toThrow(/value\.b/);
    await expect(run('[1, 2] // => [1, 2, 3]')).rejects.toThrow(/length 2/);
    await expect(run('x // throws E_SHAPE')).rejects.toThrow(/nothing thrown/);
    await expect(run('fail() // throws E_OPTION')).rejects.toThrow(/got E_SHAPE/);
  });
});
