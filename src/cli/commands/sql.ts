/**
 * `calibra sql`: prints the SQL that computes calibration metrics per slice where the data lives (DuckDB,
 * Spark SQL or BigQuery), the same query `calibra evaluate --table` runs in the embedded DuckDB.
 */
import { CalibraError } from '../../errors.js';
import { getValue, parseArgs } from '../args.js';
import type { Command } from '../command.js';

const NAME = 'sql';

const USAGE = `usage: calibra sql --dialect duckdb|spark|bigquery --table T --label-col NAME
           (--confidence-col NAME --pred-col NAME | --probs-col NAME | --logits-col NAME)
           [--by COL[,COL]] [--where SQL] [--metrics IDS] [--edges RULE] [--order-col COL] [--binary]

Prints one SQL statement that computes calibra's metrics for the whole table and for every slice, in long
format (level, <by columns>, metric, value; level 0 = whole table, 1 = slice; metric 'n' = rows). Binned
metrics are GROUP BY sums per bin finished with calibra's formulas; rank metrics are window sums over tie
blocks of confidence; equal-mass ids are a ROW_NUMBER window. See docs/tables.md.

  --dialect D        duckdb (runs on the files: --table FILE_OR_GLOB of .parquet/.csv/.jsonl),
                     spark (--table db.table, or a .parquet/.json/.csv path read as parquet.\`path\`),
                     bigquery (--table project.dataset.table)
  --order-col COL    row order used to break ties of the equal-mass ids (ece_em, mce_em, dece) on Spark and
                     BigQuery, which have no file row order (DuckDB uses the order of rows in the files)
  --binary           the --probs-col / --logits-col column is one number per row: P(y = 1) / the logit of
                     class 1 (for DuckDB on a file this is detected; pass it for Spark and BigQuery)
  --metrics, --edges as for calibra evaluate (default: the default preset without smece, mmce, kde_ece,
                     which calibra computes in memory)

The Spark and BigQuery spellings follow those engines' documented functions but are not executed in
calibra's tests (only the DuckDB one is).

example:
  calibra sql --dialect spark --table logs.predictions --label-col label --confidence-col confidence \\
    --pred-col pred --by model_version --metrics ece,mce,auroc,accuracy
`;

/** The `sql` command. */
export const sqlCommand: Command = {
  name: NAME,
  usage: USAGE,
  async run(argv, io) {
    const args = parseArgs(argv, { flags: ['binary', 'quiet'], values: ['dialect', 'table', 'db-table', 'label-col', 'confidence-col', 'pred-col', 'probs-col', 'logits-col', 'where', 'preset', 'edges', 'order-col'], repeatable: ['metrics', 'by'] }, NAME);
    if (args.positionals.length > 0) throw new CalibraError('E_USAGE', `unexpected argument ${JSON.stringify(args.positionals[0])}`, { where: `calibra ${NAME}`, fix: 'see calibra sql --help' });
    if (getValue(args, 'dialect') === undefined) throw new CalibraError('E_USAGE', 'missing --dialect', { where: `calibra ${NAME}`, fix: 'add --dialect duckdb, spark or bigquery' });
    const { printSql } = await import('../../tables/cli-sql.js');
    io.stdout(await printSql(args));
    return 0;
  },
};
