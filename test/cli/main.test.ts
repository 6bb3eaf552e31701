import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli, mainHelp } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { VERSION } from '../../src/version.js';

describe('calibra CLI entry', () => {
  it('prints the command list for --help and exits 0', async () => {
    const io = memoryIo();
    expect(await runCli(['--help'], io)).toBe(0);
    expect(io.out()).toBe(mainHelp());
    expect(io.out()).toContain('usage: calibra <command>');
  });

  it('rejects an unknown command with exit code 2 and one line naming the fix', async () => {
    const io = memoryIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(io.err()).toMatch(/^calibra: E_USAGE: unknown command "frobnicate" \(fix: .*\)\n$/);
  });

  it('keeps VERSION in step with package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
