/**
 * Every CLI command, in the order `calibra --help` lists them. Add one line per command.
 */
import type { Command } from './command.js';
import { evaluateCommand } from './commands/evaluate.js';
import { viewsCommand } from './commands/views.js';
import { reportCommand } from './commands/report.js';

export const commands: readonly Command[] = [
  evaluateCommand,
  viewsCommand,
  reportCommand,
];
