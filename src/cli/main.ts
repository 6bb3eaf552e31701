/**
 * argv -> command -> exit code. The only place that maps errors to exit codes:
 * a CalibraError prints one line and exits 2; anything else prints its stack and exits 1.
 * Imports nothing heavy: each command's module is loaded only when it runs (registry.ts).
 */
import { CalibraError, formatError, termSafe } from '../errors.js';
import type { CliIo } from './io.js';
import { commands } from './registry.js';
import { VERSION } from '../version.js';
import { didYouMean } from '../suggest.js';
import { registerNativeKernels } from '../math/native-kernels.js';

// the CLI runs in Node: dense fits use onnxruntime's GEMM (loaded on first use)
registerNativeKernels();

export function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    `calibra ${VERSION}: make a classifier's confidence mean what it says`,
    '',
    'usage: calibra <command> [options]    (calibra help <command> or calibra <command> --help for its options;',
    '                                       calibra --version, -V)',
    '',
    'commands:',
    ...lines,
    '',
    'Exit codes: 0 ok, 1 the job failed, 2 bad input or usage (one line naming the file, the place and the fix).',
    '',
  ].join('\n');
}

/** Other names of commands (`calibra eval` = `calibra evaluate`). */
const COMMAND_ALIASES: Readonly<Record<string, string>> = { eval: 'evaluate', calibrate: 'fit', predict: 'apply', benchmark: 'compare' };

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...after] = argv;
  // `calibra help CMD` is `calibra CMD --help`
  const helpFor = first === 'help' && after[0] !== undefined ? after[0] : undefined;
  const name = helpFor ?? first;
  const rest = helpFor !== undefined ? ['--help'] : after;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp());
    return 0;
  }
  if (name === '--version' || name === '-v' || name === '-V' || name === 'version') {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  const wanted = name.toLowerCase();
  const entry = commands.find((c) => c.name === wanted || c.name === COMMAND_ALIASES[wanted]);
  if (entry === undefined) {
    const hint = didYouMean(name, commands.map((c) => c.name));
    io.stderr(`calibra: E_USAGE: unknown command ${termSafe(JSON.stringify(name.slice(0, 200)))} (fix: ${hint}one of ${commands.map((c) => c.name).join(', ')}; see calibra --help)\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof CalibraError) {
      io.stderr(`${formatError(e)}\n`);
      return 2;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    io.stderr(`calibra: internal error in ${name}: ${(err.stack ?? err.message).split('\n').map(termSafe).join('\n')}\n`);
    return 1;
  }
}
