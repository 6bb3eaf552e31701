/**
 * Doctests: every `@example` of a TSDoc comment in src/ runs, and what it states about its results is checked
 * (issue 14 item 4; the convention is in CONTRIBUTING.md "Examples are tests").
 *
 * - A line `EXPR // => VALUE` claims that EXPR equals VALUE exactly: numbers by `===` (NaN equals NaN), strings
 *   and booleans by `===`, arrays and typed arrays element by element (a typed-array VALUE also fixes the
 *   constructor), objects on the keys VALUE names (other keys of the result are not compared).
 * - `EXPR // ~> VALUE` is the same, except that every number in VALUE written with a fraction or an exponent
 *   (`0.2805`, `1.5e-3`) is a rounded value: the result must round to it at the digits written
 *   (|actual − value| ≤ ½ unit of its last digit).
 * - `EXPR // throws E_CODE` claims that EXPR throws a CalibraError with that code.
 * - `// doctest: skip — reason` as the first line of an example skips it; the reason must be given.
 *
 * An example sees the exports of its own file and of the package's main entry (`calibra`, src/index.ts);
 * anything else it imports, with `import { ... } from 'calibra/...'` or a path relative to its file. The code
 * is TypeScript; types are stripped (esbuild), not checked. Top-level `await` works.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { transform } from 'esbuild';

/** One `@example` block. */
export interface Example {
  /** Path relative to the repository root, with `/`. */
  readonly file: string;
  /** 1-based line of the `@example` tag. */
  readonly line: number;
  /** The example's text, comment prefixes and code fences removed. */
  readonly code: string;
  /** The reason given by a `// doctest: skip — reason` first line, else null. */
  readonly skip: string | null;
}

/** The `.ts` files under `dir`, sorted. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out.sort();
}

const SKIP = /^\/\/\s*doctest:\s*skip\b\s*[—–:-]?\s*(.*)$/;

/** The examples of one file's source text (`file` is only recorded). */
export function extractExamples(file: string, text: string): Example[] {
  const out: Example[] = [];
  const block = /\/\*\*([\s\S]*?)\*\//g;
  for (let m = block.exec(text); m !== null; m = block.exec(text)) {
    const startLine = text.slice(0, m.index).split('\n').length;
    const lines = (m[1] as string).split('\n').map((l, i) => (i === 0 ? l : l.replace(/^\s*\* ?/, '')));
    for (let i = 0; i < lines.length; i++) {
      const tag = /(?<![`\w])@example\b ?(.*)$/.exec(lines[i] as string);
      if (tag === null) continue;
      const body: string[] = [];
      const first = (tag[1] as string).replace(/\s*\*?\s*$/, '');
      if (first.trim() !== '') body.push(first);
      let j = i + 1;
      for (; j < lines.length && !/^\s*@\w/.test(lines[j] as string); j++) body.push((lines[j] as string).replace(/\s+$/, ''));
      const code = body.filter((l) => !/^\s*```/.test(l)).join('\n').replace(/^\n+|\n+$/g, '');
      const skipLine = SKIP.exec(code.split('\n')[0]?.trim() ?? '');
      out.push({ file, line: startLine + i, code, skip: skipLine === null ? null : (skipLine[1] as string).trim() });
      i = j - 1;
    }
  }
  return out;
}

/** A rounded number of a `~>` claim. */
export class Rounded {
  constructor(readonly value: number, readonly digits: number) {}
  /** Whether `x` rounds to this value at its digits. */
  accepts(x: number): boolean {
    return Math.abs(x - this.value) <= 0.5 * 10 ** -this.digits * (1 + 1e-9) + Number.EPSILON * Math.abs(this.value);
  }
  toString(): string {
    return `${this.value.toFixed(Math.min(this.digits, 100))}(rounded)`;
  }
}

/** Digits after the point that a number literal states: `0.2805` → 4, `1.5e-3` → 4, `2e-12` → 12. */
function statedDigits(literal: string): number {
  const [mant, exp] = literal.toLowerCase().replace(/^-/, '').split('e');
  const frac = (mant as string).includes('.') ? (mant as string).split('.')[1]!.length : 0;
  return frac - Number(exp ?? '0');
}

/** VALUE of a `~>` claim with its fractional literals wrapped in `__rounded(value, digits)`. */
function roundedValueSource(value: string): string {
  return value.replace(/(?<![\w$.'")\]])(-?\d+\.\d+(?:e[+-]?\d+)?|-?\.\d+(?:e[+-]?\d+)?|-?\d+e[+-]?\d+)(?![\w.])/gi,
    (lit) => `__rounded(${lit}, ${statedDigits(lit)})`);
}

/** Why `actual` does not match `expected`, or null when it does. */
export function mismatch(actual: unknown, expected: unknown, at = 'value'): string | null {
  if (expected instanceof Rounded) {
    return typeof actual === 'number' && expected.accepts(actual) ? null : `${at}: ${show(actual)} does not round to ${expected.value} (±${0.5 * 10 ** -expected.digits})`;
  }
  if (typeof expected === 'number') {
    return typeof actual === 'number' && (actual === expected || (Number.isNaN(actual) && Number.isNaN(expected))) ? null : `${at}: ${show(actual)} !== ${show(expected)}`;
  }
  if (expected === null || typeof expected !== 'object') return Object.is(actual, expected) ? null : `${at}: ${show(actual)} !== ${show(expected)}`;
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const exp = expected as ArrayLike<unknown>;
    if (ArrayBuffer.isView(expected) && (actual === null || typeof actual !== 'object' || actual.constructor !== expected.constructor)) {
      return `${at}: ${show(actual)} is not a ${expected.constructor.name}`;
    }
    if (!Array.isArray(actual) && !ArrayBuffer.isView(actual)) return `${at}: ${show(actual)} is not an array`;
    const act = actual as unknown as ArrayLike<unknown>;
    if (act.length !== exp.length) return `${at}: length ${act.length}, expected ${exp.length} (${show(actual)})`;
    for (let i = 0; i < exp.length; i++) {
      const r = mismatch(act[i], exp[i], `${at}[${i}]`);
      if (r !== null) return r;
    }
    return null;
  }
  if (actual === null || typeof actual !== 'object') return `${at}: ${show(actual)} is not an object`;
  for (const [k, v] of Object.entries(expected)) {
    const r = mismatch((actual as Record<string, unknown>)[k], v, `${at}.${k}`);
    if (r !== null) return r;
  }
  return null;
}

/** A short printout of a value for failure messages. */
export function show(x: unknown): string {
  if (typeof x === 'number') return Object.is(x, -0) ? '-0' : String(x);
  if (typeof x === 'string') return JSON.stringify(x);
  if (ArrayBuffer.isView(x)) return `${x.constructor.name} [${Array.from(x as unknown as ArrayLike<number>).slice(0, 20).join(', ')}${(x as unknown as ArrayLike<number>).length > 20 ? ', …' : ''}]`;
  if (Array.isArray(x)) return `[${x.slice(0, 20).map(show).join(', ')}${x.length > 20 ? ', …' : ''}]`;
  if (x instanceof Rounded) return x.toString();
  if (x !== null && typeof x === 'object') {
    return `{ ${Object.entries(x).slice(0, 12).map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null && !ArrayBuffer.isView(v) ? '…' : show(v)}`).join(', ')} }`;
  }
  return String(x);
}

const CLAIM = /^(.*?);?\s*\/\/\s*(=>|~>|throws)\s+(.+?)\s*$/;

/** The example as the body of an async function of (__scope, __check, __import, __rounded); and its claim count. */
export function exampleBody(code: string): { body: string; claims: number } {
  let claims = 0;
  const imported = code.replace(/^[ \t]*import\s+(type\s+)?(\{[^}]*\}|\*\s+as\s+[\w$]+)\s+from\s+(['"][^'"]+['"]);?/gm, (_m, typeOnly: string | undefined, what: string, spec: string) => {
    if (typeOnly !== undefined) return '';
    if (what.startsWith('*')) return `const ${what.replace(/^\*\s+as\s+/, '')} = await __import(${spec});`;
    const names = what.slice(1, -1).split(',').map((s) => s.trim()).filter((s) => s !== '' && !s.startsWith('type '))
      .map((s) => s.replace(/\s+as\s+/, ': '));
    return `const { ${names.join(', ')} } = await __import(${spec});`;
  });
  const lines = imported.replace(/(?<![\w$.])import\(/g, '__import(').split('\n').map((line, i) => {
    const m = CLAIM.exec(line);
    if (m === null || (m[1] as string).trim() === '' || (m[1] as string).trim().startsWith('//')) return line;
    claims++;
    const [, expr, kind, value] = m as unknown as [string, string, string, string];
    const expected = kind === 'throws' ? JSON.stringify(value) : `() => (${kind === '~>' ? roundedValueSource(value) : value})`;
    return `await __check(async () => (${expr.trim()}), ${JSON.stringify(kind)}, ${expected}, ${JSON.stringify(value)}, ${i + 1});`;
  });
  return { body: lines.join('\n'), claims };
}

/** The example compiled to JavaScript: an async function body taking the scope names as parameters. */
export async function compileExample(code: string, scopeNames: readonly string[]): Promise<{ js: string; claims: number }> {
  const { body, claims } = exampleBody(code);
  const src = `async function __doctest(__scope, __check, __import, __rounded) {\nconst { ${scopeNames.join(', ')} } = __scope;\n{\n${body}\n}\n}`;
  const out = await transform(src, { loader: 'ts', target: 'es2022', format: 'esm' });
  return { js: out.code, claims };
}

/** A failed claim. */
export class ClaimError extends Error {}

/** Runs `js` (from compileExample) with the scope and import resolver; throws ClaimError on a failed claim. */
export async function runCompiled(js: string, scope: Record<string, unknown>, importer: (spec: string) => Promise<unknown>): Promise<number> {
  let checked = 0;
  const check = async (fn: () => Promise<unknown>, kind: string, expected: (() => unknown) | string, text: string, line: number): Promise<void> => {
    if (kind === 'throws') {
      let code: unknown = '(nothing thrown)';
      try { await fn(); } catch (e) { code = (e as { code?: unknown }).code ?? `${String(e)} (no code)`; }
      if (code !== expected) throw new ClaimError(`example line ${line}: expected to throw ${String(expected)}, got ${String(code)}`);
    } else {
      const actual = await fn();
      const want = (expected as () => unknown)();
      if (want === undefined && text !== 'undefined') throw new ClaimError(`example line ${line}: the stated value \`${text}\` evaluates to undefined`);
      const r = mismatch(actual, want);
      if (r !== null) throw new ClaimError(`example line ${line}: claim \`${kind} ${text}\` fails: ${r}`);
    }
    checked++;
  };
  const factory = new Function(`${js}\nreturn __doctest;`) as () => (...a: unknown[]) => Promise<void>;
  await factory()(scope, check, importer, (v: number, d: number) => new Rounded(v, d));
  return checked;
}
