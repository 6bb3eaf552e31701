/**
 * Runs the calibra CLI from source without a build (for scripts and timing runs):
 *   npx tsx scripts/run-cli.ts compare --val-logits ... --format json
 */
import { runCli } from '../src/cli/main.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
