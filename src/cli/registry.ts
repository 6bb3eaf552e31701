/**
 * Every CLI command, in the order `calibra --help` lists them. Add one line per command.
 */
import type { Command } from './command.js';
import { evaluateCommand } from './commands/evaluate.js';
import { viewsCommand } from './commands/views.js';
import { demoCommand } from './commands/demo.js';
import { reportCommand } from './commands/report.js';
import { fitCommand } from './commands/fit.js';
import { applyCommand } from './commands/apply.js';
import { compareCommand } from './commands/compare.js';
import { sqlCommand } from './commands/sql.js';

export const commands: readonly Command[] = [
  evaluateCommand,
  viewsCommand,
  demoCommand,
  reportCommand,
  fitCommand,
  applyCommand,
  compareCommand,
  sqlCommand,
];
