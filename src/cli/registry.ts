/**
 * Every CLI command, in the order `calibra --help` lists them. Add one line per command.
 */
import type { Command } from './command.js';

export const commands: readonly Command[] = [
];
