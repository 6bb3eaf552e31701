/**
 * Tests that need something outside npm (Chromium, a Debian data set, Python with numpy) ask here instead
 * of skipping on their own. Outside CI a missing dependency skips the tests with a printed note; in CI
 * (`CI=true`, as .ci/run sets it) it fails the run, so CI cannot go green without the check (issue 13).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** True when running in CI: `CI` set to anything but '', '0' or 'false' (GitHub, GitLab and .ci/run set CI=true). */
export function inCi(): boolean {
  const v = process.env['CI'];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/**
 * Whether `what` is available (`ok`). When it is not: in CI this throws (the test file fails, naming the
 * Debian package to install); elsewhere it prints a note on stderr and returns false (the caller skips).
 */
export function requires(what: string, ok: boolean, debianPackage: string): boolean {
  if (ok) return true;
  const message = `${what} is missing (install the Debian package ${debianPackage}: apt-get install ${debianPackage})`;
  if (inCi()) throw new Error(`CI=true: ${message}; tests that need it do not skip in CI`);
  process.stderr.write(`note: skipping tests: ${message}\n`);
  return false;
}

/** A file that must exist. */
export function requiresFile(file: string, what: string, debianPackage: string): boolean {
  return requires(`${what} (${file})`, existsSync(file), debianPackage);
}

/**
 * The Python interpreter of the reference stack: $CALIBRA_PYTHON, else Debian's /usr/bin/python3 (a python3 earlier on
 * PATH, such as a pyenv shim, lacks Debian's numpy/scipy/sklearn), else python3 on PATH.
 */
export function pythonBin(): string {
  const env = process.env['CALIBRA_PYTHON'];
  if (env !== undefined && env !== '') return env;
  return existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
}

/** python3 with the given modules importable. */
export function requiresPython(modules: readonly string[], debianPackages: string): boolean {
  const ok = spawnSync(pythonBin(), ['-c', `import ${modules.join(', ')}`], { encoding: 'utf8' }).status === 0;
  return requires(`python3 with ${modules.join(', ')}`, ok, debianPackages);
}
