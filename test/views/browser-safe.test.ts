import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../src/views', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/views is browser-safe', () => {
  it('imports no Node built-ins, sharp or other native modules', () => {
    const list = files(root);
    expect(list.length).toBeGreaterThan(10);
    for (const f of list) {
      const imports = [...readFileSync(f, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1] as string);
      const bad = imports.filter((m) => !m.startsWith('.') && m !== 'fflate');
      expect(bad, f).toEqual([]);
    }
  });
});
