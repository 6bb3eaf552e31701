/** What a CLI command is: a name, its usage text, and a function of argv and io (its summary is in registry.ts). */
import type { CliIo } from './io.js';

export interface Command {
  readonly name: string;
  /** Full help text, printed by `calibra <name> --help`. */
  readonly usage: string;
  /** Runs the command; returns the exit code (0 ok, 1 failure of the job, 2 bad input or usage). */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
