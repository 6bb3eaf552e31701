/**
 * Issue 13, npm noise: every npm command in the project (and so every `npx calibra`) ran with
 * `npm warn Unknown project config "onnxruntime-node-install"` from .npmrc. onnxruntime-node's install
 * script is now denied through package.json's `allowScripts` (npm 11's supported mechanism), and .npmrc
 * holds only keys npm knows. Case NPM1 of docs/robustness.md.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const ROOT = path.join(__dirname, '..', '..');

describe('npm configuration', () => {
  it('NPM1: npm in the project prints no warning, and onnxruntime-node\'s network install step is denied', () => {
    const r = spawnSync('npm', ['pkg', 'get', 'name'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_config_loglevel: 'warn' } });
    expect(r.status).toBe(0);
    expect(r.stderr).not.toMatch(/npm warn/i);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { allowScripts?: Record<string, boolean> };
    expect(pkg.allowScripts?.['onnxruntime-node']).toBe(false);
    // every install script in the lock file is covered by the policy (no "not yet covered" warning at npm ci)
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages).filter(([, v]) => v.hasInstallScript === true).map(([k]) => k.replace(/^.*node_modules\//, ''));
    for (const name of withScripts) expect(pkg.allowScripts, name).toHaveProperty([name]);
  });
});
