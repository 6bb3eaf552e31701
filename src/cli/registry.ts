/**
 * Every CLI command, in the order `calibra --help` lists them: its name, its one-line summary, and how to load
 * it. A command's module (and whatever it imports: native addons, DuckDB, Arrow) is imported only when that
 * command runs, so `calibra --help` and every command pay only for what they use. Add one entry per command.
 */
import type { Command } from './command.js';

export interface CommandEntry {
  readonly name: string;
  /** One line, printed by `calibra --help`. */
  readonly summary: string;
  /** Imports the command's module. */
  load(): Promise<Command>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'evaluate', summary: 'calibration metrics (ECE, MCE, class-wise, KS, NLL, Brier, AUROC...) with bootstrap intervals', load: async () => (await import('./commands/evaluate.js')).evaluateCommand },
  { name: 'views', summary: 'run an ONNX model over a dataset and its transformed views; write the views .npz for CA', load: async () => (await import('./commands/views.js')).viewsCommand },
  { name: 'demo', summary: 'the CA paper experiment end to end on committed data and zoo models; prints the tables', load: async () => (await import('./commands/demo.js')).demoCommand },
  { name: 'report', summary: 'fit methods, evaluate them, and write one self-contained HTML report', load: async () => (await import('./commands/report.js')).reportCommand },
  { name: 'fit', summary: 'fit a calibration method on validation logits and labels; write the model (JSON)', load: async () => (await import('./commands/fit.js')).fitCommand },
  { name: 'apply', summary: 'apply a fitted model: write calibrated probabilities (streams large .npy files)', load: async () => (await import('./commands/apply.js')).applyCommand },
  { name: 'compare', summary: 'fit every calibration method on validation data; test metrics per method and a verdict', load: async () => (await import('./commands/compare.js')).compareCommand },
  { name: 'sql', summary: 'print the SQL (DuckDB, Spark, BigQuery) that computes the metrics per slice where the data lives', load: async () => (await import('./commands/sql.js')).sqlCommand },
];
