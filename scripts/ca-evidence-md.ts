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
  writeFileSync(jsonPath, `${JSON.stringify(doc)}\n`);
}

interface Ms { mean: number; sd: number }
interface SetEntry { ece: Ms; auroc: Ms; accuracySeeds?: number[]; diffToTs?: { ece: Ms; auroc: Ms; ci95?: { ece: [number, number]; auroc: [number, number] } } }
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

/**
 * Issue 15's acceptance checks for the default CA on one run (mean over seeds; "shifted" = every test set but
 * `test`): predictions kept, shifted ECE below uncalibrated, ID ECE at most TS + 0.005, AUROC above TS on at
 * least 2 of the sets, and at n = 500 the mean ECE over the sets at most TS's + 0.005.
 */
function acceptance(model: string, run: Run, colour: boolean): string {
  const big = run.bySize[String(Math.max(...run.sizes))] as Record<string, MethodEntry>;
  const ca = big['ca'] as MethodEntry, ts = big['ts'] as MethodEntry, un = big['uncal'] as MethodEntry;
  const sets = run.testSets.map((t) => t.id);
  const shifted = sets.filter((s) => s !== 'test');
  const rows: [string, boolean | null, string][] = [];
  const accs = sets.map((s) => [ca.sets[s]?.accuracySeeds, un.sets[s]?.accuracySeeds?.[0]] as const);
  const measured = accs.every(([a, u]) => a !== undefined && u !== undefined);
  rows.push(['keeps every prediction (accuracy of every seed = uncalibrated, every set)', measured ? accs.every(([a, u]) => (a as number[]).every((v) => v === u)) : null, measured ? '' : 'not recorded by this run (the property tests check it)']);
  const eceBelow = shifted.map((s) => [s, (ca.sets[s] as SetEntry).ece.mean, (un.sets[s] as SetEntry).ece.mean] as const);
  rows.push(['ECE below uncalibrated on every shifted set', eceBelow.every(([, a, b]) => a < b), eceBelow.map(([s, a, b]) => `${s} ${x100(a)} vs ${x100(b)}`).join('; ')]);
  const idD = (ca.sets['test'] as SetEntry).ece.mean - (ts.sets['test'] as SetEntry).ece.mean;
  rows.push(['ID ECE at most TS + 0.005', idD <= 0.005, `${x100((ca.sets['test'] as SetEntry).ece.mean)} vs TS ${x100((ts.sets['test'] as SetEntry).ece.mean)} (Δ ${x100(idD)})`]);
  const aur = sets.map((s) => [s, (ca.sets[s] as SetEntry).auroc.mean, (ts.sets[s] as SetEntry).auroc.mean] as const);
  const wins = aur.filter(([, a, b]) => a > b).length;
  rows.push([`AUROC above TS on at least 2 of ${sets.length} sets`, wins >= 2, `${wins} of ${sets.length}: ${aur.map(([s, a, b]) => `${s} ${x100(a)} vs ${x100(b)}`).join('; ')}`]);
  const small = run.bySize['500'];
  if (small !== undefined) {
    const a = ((small['ca'] as MethodEntry).sets['test'] as SetEntry).ece.mean, b = ((small['ts'] as MethodEntry).sets['test'] as SetEntry).ece.mean;
    rows.push(['n = 500: ID ECE (mean over seeds/subsamples) at most TS + 0.005', a - b <= 0.005, `${x100(a)} vs TS ${x100(b)} (Δ ${x100(a - b)})`]);
  }
  if (colour) {
    const beats = shifted.map((s) => {
      const e = (ca.sets[s] as SetEntry), t = (ts.sets[s] as SetEntry);
      const dE = t.ece.mean - e.ece.mean, dA = e.auroc.mean - t.auroc.mean;
      return [s, dE > e.ece.sd && dA > e.auroc.sd, `${s}: ΔECE ${x100(-dE)} (sd ${x100(e.ece.sd)}), ΔAUROC ${x100(dA)} (sd ${x100(e.auroc.sd)})`] as const;
    });
    rows.push(['coloured: beats TS on shifted ECE and AUROC by more than the seed sd (every shifted set)', beats.every((b) => b[1]), beats.map((b) => `${b[2]}${b[1] ? '' : ' ✗'}`).join('; ')]);
  }
  let out = `#### Acceptance (issue 15 item 5): ${model}, default CA, n = ${Math.max(...run.sizes)} unless stated

| check | met | numbers (×100, mean over ${run.seeds} seeds) |
|---|---|---|
`;
  for (const [c, ok, num] of rows) out += `| ${c} | ${ok === null ? 'not measured' : ok ? 'yes' : '**no**'} | ${num} |
`;
  return `${out}
`;
}

let md = '';
const models = (doc['models'] as Record<string, Json> | undefined) ?? {};
for (const [model, runs] of Object.entries(models)) if (runs['main'] !== undefined) md += acceptance(model, runs['main'] as unknown as Run, model.startsWith('cfmnist'));
for (const [model, runs] of Object.entries(models)) if (runs['main'] !== undefined) md += mainTables(model, runs['main'] as unknown as Run, ['uncal', 'ts', 'ca', 'ca:ce', 'ca:mse']);
for (const [model, runs] of Object.entries(models)) for (const [k, r] of Object.entries(runs)) if (k.startsWith('design')) md += designTable(`${model} (${k})`, r as unknown as Run);
const speed = doc['speed'] as { n: number; classes: number; medianFaithful: number; medianRobust: number; ratio: number; repeats: number; faithfulSeconds: number[]; robustSeconds: number[]; note?: string } | undefined;
if (speed !== undefined) {
  const pairs = speed.robustSeconds.map((r, i) => (r / (speed.faithfulSeconds[i] as number)).toFixed(2)).join(', ');
  md += `#### Speed\n\n${speed.n} × ${speed.classes} classes, 3 views (scripts/ca-speed.ts, median of ${speed.repeats} alternating runs): faithful ${speed.medianFaithful.toFixed(1)} s, robust ${speed.medianRobust.toFixed(1)} s; robust / faithful per run ${pairs} (goal: ≤ 2).${speed.note !== undefined ? ` ${speed.note}.` : ''}\n\n`;
}

const text = readFileSync(docPath, 'utf8');
const start = '<!-- ca-evidence:start -->', end = '<!-- ca-evidence:end -->';
const a = text.indexOf(start), b = text.indexOf(end);
if (a < 0 || b < a) throw new Error(`${docPath} has no ${start} … ${end} markers`);
writeFileSync(docPath, `${text.slice(0, a + start.length)}\n\n${md}${text.slice(b)}`);
process.stderr.write(`wrote ${docPath} tables from ${jsonPath}\n`);
