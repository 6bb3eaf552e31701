#!/usr/bin/env node
// calibra command-line entry: delegates to the bundled CLI (dist/cli, built by `npm run build`, run on `npm ci` via prepare).
import { runCli } from '../dist/cli/main.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
