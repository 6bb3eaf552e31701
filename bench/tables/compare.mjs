// Largest relative difference between calibra's and the reference's JSON (same ids, same slices).
import * as fs from 'node:fs';
const [a, b] = process.argv.slice(2).map((f) => JSON.parse(fs.readFileSync(f, 'utf8')));
let worst = 0; let at = '';
const cmp = (x, y, where) => { for (const [id, v] of Object.entries(y)) { if (v === null) continue; const r = Math.abs(x[id] - v) / Math.max(Math.abs(v), 1e-300); if (r > worst) { worst = r; at = `${where} ${id}`; } } };
cmp(a.metrics, b.metrics, 'all');
for (const s of b.slices) { const t = a.slices.find((z) => z.key.model_version === s.key.model_version && z.key.region === s.key.region); cmp(t.metrics, s.metrics, JSON.stringify(s.key)); }
console.log(`results agree: max rel. diff ${worst.toExponential(2)} (${at}), ${b.slices.length} slices`);
