/**
 * Runs the calibra CLI from the sources (like bin/calibra.js does from dist/), for tests that need a real
 * process: `node --import tsx test/robustness/cli-runner.ts apply ...`.
 */
import { runCli } from '../../src/cli/main.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: false,
});
process.exitCode = code;
