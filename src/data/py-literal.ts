/**
 * A strict parser for the small subset of Python literal syntax that `.npy` headers use:
 * dicts, tuples, lists, strings, integers, True/False/None. The header is parsed as data and never
 * evaluated (issue 8: "never executes input"). Nesting depth and length are bounded.
 */
import { CalibraError } from '../errors.js';

/** A parsed Python literal. Tuples and lists keep their kind; dict keys are strings. */
export type PyValue =
  | string
  | number
  | boolean
  | null
  | { readonly kind: 'tuple' | 'list'; readonly items: readonly PyValue[] }
  | { readonly kind: 'dict'; readonly entries: ReadonlyMap<string, PyValue> };

/** Deepest nesting accepted (structured dtypes nest a few levels; anything deeper is refused). */
export const MAX_LITERAL_DEPTH = 32;

const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', "'": "'", '"': '"', n: '\n', t: '\t', r: '\r', '0': '\0' };

class LiteralParser {
  private pos = 0;
  constructor(private readonly text: string, private readonly source: string | undefined) {}

  fail(message: string): never {
    throw new CalibraError('E_FORMAT', `.npy header is not a valid Python literal: ${message}`, {
      ...(this.source !== undefined ? { source: this.source } : {}),
      where: `header character ${this.pos}`,
      fix: 're-save the array with numpy: np.save(f, np.asarray(a), allow_pickle=False)',
    });
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /[ \t\r\n]/.test(this.text[this.pos] as string)) this.pos++;
  }

  parseTop(): PyValue {
    this.skipSpace();
    const v = this.value(0);
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail(`unexpected ${JSON.stringify(this.text.slice(this.pos, this.pos + 10))} after the literal`);
    return v;
  }

  value(depth: number): PyValue {
    if (depth > MAX_LITERAL_DEPTH) this.fail(`nesting deeper than ${MAX_LITERAL_DEPTH}`);
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === undefined) this.fail('unexpected end of header');
    if (c === '{') return this.dict(depth);
    if (c === '(') return { kind: 'tuple', items: this.sequence(')', depth) };
    if (c === '[') return { kind: 'list', items: this.sequence(']', depth) };
    if (c === "'" || c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.integer();
    for (const [word, v] of [['True', true], ['False', false], ['None', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return v;
      }
    }
    return this.fail(`unexpected ${JSON.stringify(c)}`);
  }

  dict(depth: number): PyValue {
    this.pos++;
    const entries = new Map<string, PyValue>();
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') { this.pos++; return { kind: 'dict', entries }; }
      const key = this.value(depth + 1);
      if (typeof key !== 'string') this.fail('dict keys must be strings');
      if (entries.has(key)) this.fail(`duplicate key ${JSON.stringify(key)}`);
      this.skipSpace();
      if (this.text[this.pos] !== ':') this.fail("expected ':'");
      this.pos++;
      entries.set(key, this.value(depth + 1));
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== '}') this.fail("expected ',' or '}'");
    }
  }

  sequence(close: string, depth: number): PyValue[] {
    this.pos++;
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === close) { this.pos++; return items; }
      items.push(this.value(depth + 1));
      this.skipSpace();
      const sep = this.text[this.pos];
      if (sep === ',') this.pos++;
      else if (sep !== close) this.fail(`expected ',' or '${close}'`);
    }
  }

  string(): string {
    const quote = this.text[this.pos] as string;
    this.pos++;
    let out = '';
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === '\n') this.fail('unterminated string');
      this.pos++;
      if (c === quote) return out;
      if (c === '\\') {
        const e = ESCAPES[this.text[this.pos] ?? ''];
        if (e === undefined) this.fail('unsupported escape in string');
        out += e;
        this.pos++;
      } else {
        out += c;
      }
    }
  }

  integer(): number {
    const m = /^-?\d+L?/.exec(this.text.slice(this.pos, this.pos + 40));
    if (m === null) this.fail('expected an integer');
    const digits = m[0].replace('L', '');
    const n = Number(digits);
    if (!Number.isSafeInteger(n)) {
      throw new CalibraError('E_TOO_LARGE', `.npy header integer ${digits} is too large`, {
        ...(this.source !== undefined ? { source: this.source } : {}),
        where: `header character ${this.pos}`,
        fix: 'the header is corrupt or the array is absurdly large; re-save it with numpy',
      });
    }
    this.pos += m[0].length;
    return n;
  }
}

/**
 * Parses a Python literal (the `.npy` header dict) as data. Never evaluates anything.
 * Cost: O(length of text); recursion depth at most {@link MAX_LITERAL_DEPTH}.
 * @example
 * const dict = parsePyLiteral("{'shape': (3,), }");
 * dict.kind // => 'dict'
 * dict.kind === 'dict' && dict.entries.get('shape') // => { kind: 'tuple', items: [3] }
 */
export function parsePyLiteral(text: string, source?: string): PyValue {
  return new LiteralParser(text, source).parseTop();
}
