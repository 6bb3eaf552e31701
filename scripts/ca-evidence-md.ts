/**
 * Renders docs/ca-evidence.json (the collected outputs of scripts/ca-evidence.ts and scripts/ca-speed.ts) as
 * the Markdown tables of docs/ca.md, between the markers `<!-- ca-evidence:start -->` and `<!-- ca-evidence:end -->`,
 * so no number in the docs is copied by hand.
 *
 *   npx tsx scripts/ca-evidence-md.ts [--json docs/ca-evidence.json] [--doc docs/ca.md]
 *   npx tsx scripts/ca-evidence-md.ts --collect KEY=FILE ...   # put run outputs into the JSON first (e.g. fmnist-mlp.main=main-mlp.json)
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const argv = process.argv.slice(2);
const arg = (name: string, dflt: string): string => { const i = argv.indexOf(name); return i >= 0 ? (argv[i + 1] ?? dflt) : dflt; };
const jsonPath = arg('--json', 'docs/ca-evidence.json');
const docPath = arg('--doc', 'docs/ca.md');

type Json = Record<string, unknown>;
const doc: Json = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Json) : {};
const collectAt = argv.indexOf('--collect');
if (collectAt >= 0) {
  for (const kv of argv.slice(collectAt + 1)) {
    const eq = kv.indexOf('=');
    if (eq < 0) break;
    const path = kv.slice(0, eq).split('.');
    const value = JSON.parse(readFileSync(kv.slice(eq + 1), 'utf8')) as Json;
    let at: Json = doc;
    for (const p of path.slice(0, -1)) { at[p] = (at[p] as Json | undefined) ?? {}; at = at[p] as Json; }
    at[path[path.length - 1] as string] = value;
  }
  writeFileSync(jsonPath, `${JSON.stringify(doc, null, 1)}\n`);
}

interface Ms { mean: number; sd: number }
interface SetEntry { ece: Ms; auroc: Ms; diffToTs?: { ece: Ms; auroc: Ms; ci95?: { ece: [number, number]; auroc: [number, number] } } }
interface MethodEntry { label: string; sets: Record<string, SetEntry>; fits?: Record<string, unknown>[] }
interface Run { testSets: { id: string; n: number }[]; sizes: number[]; seeds: number; replicates: number; bySize: Record<string, Record<string, MethodEntry>> }

const x100 = (v: number, d = 2): string => (100 * v).toFixed(d);
const ms = (m: Ms): string => `${x100(m.mean)} ± ${x100(m.sd)}`;
const delta = (e: SetEntry | undefined, k: 'ece' | 'auroc'): string => {
  const d = e?.diffToTs;
  if (d === undefined) return '';
  const sign = d[k].mean >= 0 ? '+' : '';
  if (d.ci95 === undefined) return `${sign}${x100(d[k].mean)} ± ${x100(d[k].sd)}`;
  const [lo, hi] = d.ci95[k];
  const sig = lo > 0 || hi < 0 ? '**' : '';
  return `${sig}${sign}${x100(d[k].mean)}${sig} [${x100(lo)}, ${x100(hi)}]`;
};

function mainTables(model: string, run: Run, headline: string[]): string {
  let md = '';
  const sets = run.testSets.map((t) => t.id);
  const big = String(Math.max(...run.sizes));
  const by = run.bySize[big] as Record<string, MethodEntry>;
  md += `#### ${model}: calibration set ${big}, ${run.seeds} seeds\n\nECE (15 bins) ×100 and AUROC of confidence for correct-vs-wrong ×100, mean ± sd over seeds. Test sets: ${run.testSets.map((t) => `${t.id} (${t.n})`).join(', ')}.\n\n`;
  md += `| method | ${sets.map((s) => `ECE ${s}`).join(' | ')} | ${sets.map((s) => `AUROC ${s}`).join(' | ')} |\n|---|${sets.map(() => '---').join('|')}|${sets.map(() => '---').join('|')}|\n`;
  for (const id of Object.keys(by)) {
    const m = by[id] as MethodEntry;
    md += `| ${m.label} | ${sets.map((s) => ms((m.sets[s] as SetEntry).ece)).join(' | ')} | ${sets.map((s) => ms((m.sets[s] as SetEntry).auroc)).join(' | ')} |\n`;
  }
  md += `\nDifference to TS on the same test rows (method − TS, ×100; mean over seeds, [95 % paired bootstrap CI over test rows, ${run.replicates} replicates]; **bold** = CI excludes 0; rows without a CI give mean ± sd of the per-seed differences; negative ECE and positive AUROC are better):\n\n`;
  md += `| method | ${sets.map((s) => `ΔECE ${s}`).join(' | ')} | ${sets.map((s) => `ΔAUROC ${s}`).join(' | ')} |\n|---|${sets.map(() => '---').join('|')}|${sets.map(() => '---').join('|')}|\n`;
  for (const id of Object.keys(by)) {
    if (id === 'ts' || id === 'uncal') continue;
    const m = by[id] as MethodEntry;
    md += `| ${m.label} | ${sets.map((s) => delta(m.sets[s], 'ece')).join(' | ')} | ${sets.map((s) => delta(m.sets[s], 'auroc')).join(' | ')} |\n`;
  }
  md += `\nCalibration-set size (seeded subsamples of the 10 000 calibration rows; the same subsample for every method of a seed):\n\n`;
  md += `| n | method | ${sets.map((s) => `ECE ${s}`).join(' | ')} | ${sets.map((s) => `AUROC ${s}`).join(' | ')} |\n|---|---|${sets.map(() => '---').join('|')}|${sets.map(() => '---').join('|')}|\n`;
  for (const n of run.sizes) {
    const b = run.bySize[String(n)] as Record<string, MethodEntry>;
    for (const id of headline) {
      const m = b[id];
      if (m === undefined) continue;
      md += `| ${n} | ${m.label} | ${sets.map((s) => ms((m.sets[s] as SetEntry).ece)).join(' | ')} | ${sets.map((s) => ms((m.sets[s] as SetEntry).auroc)).join(' | ')} |\n`;
    }
  }
  const fits = (by['ca'] as MethodEntry | undefined)?.fits;
  if (fits !== undefined) {
    md += `\nDefault CA diagnostics at n = ${big} (per seed: selected step, T p5–p95 on the held-out split, AUROC of T for wrong-vs-right): ${fits.map((f) => `${String(f['selectedStep'])}, ${Number(f['tP5']).toFixed(2)}–${Number(f['tP95']).toFixed(2)}, ${f['tAurocWrong'] === null ? 'n/a' : Number(f['tAurocWrong']).toFixed(2)}`).join('; ')}.\n`;
  }
  return `${md}\n`;
}

function designTable(model: string, run: Run): string {
  const sets = run.testSets.map((t) => t.id);
  let md = `#### ${model}: design runs on calibration data (${run.seeds} seeds)\n\n| n | setting | ${sets.map((s) => `ECE ${s}`).join(' | ')} | ${sets.map((s) => `AUROC ${s}`).join(' | ')} |\n|---|---|${sets.map(() => '---').join('|')}|${sets.map(() => '---').join('|')}|\n`;
  for (const n of run.sizes) {
    const b = run.bySize[String(n)] as Record<string, MethodEntry>;
    for (const id of Object.keys(b)) {
      const m = b[id] as MethodEntry;
      md += `| ${n} | ${m.label} | ${sets.map((s) => ms((m.sets[s] as SetEntry).ece)).join(' | ')} | ${sets.map((s) => ms((m.sets[s] as SetEntry).auroc)).join(' | ')} |\n`;
    }
  }
  return `${md}\n`;
}

let md = '';
const models = (doc['models'] as Record<string, Json> | undefined) ?? {};
for (const [model, runs] of Object.entries(models)) if (runs['main'] !== undefined) md += mainTables(model, runs['main'] as unknown as Run, ['uncal', 'ts', 'ca', 'ca:ce', 'ca:mse']);
for (const [model, runs] of Object.entries(models)) for (const [k, r] of Object.entries(runs)) if (k.startsWith('design')) md += designTable(`${model} (${k})`, r as unknown as Run);
const speed = doc['speed'] as { n: number; classes: number; medianFaithful: number; medianRobust: number; ratio: number; repeats: number } | undefined;
if (speed !== undefined) md += `#### Speed\n\n${speed.n} × ${speed.classes} classes, 3 views (scripts/ca-speed.ts, median of ${speed.repeats}): faithful ${speed.medianFaithful.toFixed(2)} s, robust ${speed.medianRobust.toFixed(2)} s, ratio ${speed.ratio.toFixed(2)}.\n\n`;

const text = readFileSync(docPath, 'utf8');
const start = '<!-- ca-evidence:start -->', end = '<!-- ca-evidence:end -->';
const a = text.indexOf(start), b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`${docPath} has no ${start} … ${end} markers`);
writeFileSync(docPath, `${text.slice(0, a + start.length)}\n\n${md}${text.slice(b)}`);
process.stderr.write(`wrote ${docPath} tables from ${jsonPath}\n`);
