/**
 * Writes the bundled sample of the browser example page (web/example/sample/): a temperature-scaling model
 * fitted on examples/report/val_*.npy, and the first 200 test rows as logits.csv / labels.csv.
 * Run: npx tsx scripts/web/make-sample.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getCalibrator } from '../../src/calibrators/core/registry.js';
import { serializeModel } from '../../src/calibrators/core/model-file.js';
import { loadLabels, loadLogits } from '../../src/data/files.js';
import { formatCsvMatrix } from '../../src/data/csv.js';
import { sliceRows } from '../../src/math/matrix.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const ex = `${root}examples/report/`;
const out = `${root}web/example/sample/`;
const val = { logits: loadLogits(`${ex}val_logits.npy`), labels: loadLabels(`${ex}val_labels.npy`) };
const fit = getCalibrator('ts').fit(val, {}, { seed: 0 });
mkdirSync(out, { recursive: true });
writeFileSync(`${out}model.json`, serializeModel(fit.model));
const rows = 200;
const test = sliceRows(loadLogits(`${ex}test_logits.npy`), 0, rows);
writeFileSync(`${out}logits.csv`, formatCsvMatrix(test));
writeFileSync(`${out}labels.csv`, `${Array.from(loadLabels(`${ex}test_labels.npy`).subarray(0, rows)).join('\n')}\n`);
console.log(`wrote ${out}model.json (${fit.model.method}, converged ${String(fit.converged)}), logits.csv and labels.csv (${rows} rows)`);
