/**
 * Writes a rendered report to disk: the HTML file, and optionally every chart as PNG in a folder. Files are
 * written atomically and never replace an existing file without `force` (E_EXISTS).
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { CalibraError } from '../../errors.js';
import { checkpoint, writeFileAtomic } from '../../data/files.js';
import { checkOutputFolder, checkOutputTarget } from '../../data/outputs.js';
import type { RenderedReport } from '../html.js';
import { svgToPng } from './png.js';

/** Options of `writeReportFiles`. */
export interface WriteReportOptions {
  readonly force?: boolean;
  /** Folder for `<chart name>.png` files (created when missing). */
  readonly pngDir?: string;
  /** PNG scale factor (default 2). */
  readonly pngScale?: number;
}

/**
 * Writes, with `pngDir`, one PNG per chart, then `report.html`; a signal takes effect between files (each
 * file is complete or absent). Returns the paths written.
 * Cost: O(HTML size) plus rendering each PNG.
 */
export async function writeReportFiles(report: Pick<RenderedReport, 'html' | 'charts'>, htmlFile: string, opts: WriteReportOptions = {}): Promise<{ html: string; pngs: string[] }> {
  const force = opts.force === true;
  const pngDir = opts.pngDir;
  // every target is checked before the first is written: no half-written set of files
  if (pngDir !== undefined) checkPngTargets(pngDir, report.charts.map((c) => c.name), htmlFile, force);
  checkOutputTarget(htmlFile, undefined, force);
  const pngs: string[] = [];
  if (pngDir !== undefined) {
    try {
      mkdirSync(pngDir, { recursive: true });
    } catch (e) {
      throw new CalibraError('E_IO', `cannot create the PNG folder: ${(e as Error).message}`, { source: pngDir, fix: 'give a folder you can write to' });
    }
    for (const chart of report.charts) {
      const file = path.join(pngDir, `${chart.name}.png`);
      writeFileAtomic(file, svgToPng(chart.svg, { scale: opts.pngScale ?? 2 }), { force });
      pngs.push(file);
      await checkpoint(); // Ctrl-C / SIGTERM stop here: the PNGs written so far are complete, no temporary file
    }
  }
  writeFileAtomic(htmlFile, report.html, { force });
  return { html: htmlFile, pngs };
}

/**
 * Refuses (before any work or write) PNG names that collide (two charts, one file: `a b` and `a?b` both
 * give `a_b`; names are compared case-insensitively, as macOS and Windows folders do), a PNG that would
 * replace the HTML file, a PNG folder that is not a folder, and existing PNGs without `force`.
 * Cost: O(number of charts) stats.
 */
export function checkPngTargets(pngDir: string, names: readonly string[], htmlFile: string, force: boolean): void {
  checkOutputFolder(pngDir, '--png-dir');
  const seen = new Map<string, string>();
  for (const n of names) {
    const key = n.toLowerCase();
    const prev = seen.get(key);
    if (prev !== undefined) {
      throw new CalibraError('E_USAGE', `two charts would be written to one file, ${JSON.stringify(`${n}.png`)}${prev !== n ? ` and ${JSON.stringify(`${prev}.png`)}` : ''}: test-set or method names that differ only in characters a file name cannot hold (or in case), or a method listed twice`, { source: pngDir, fix: 'give test sets and methods names that differ in letters or digits, and list each method once' });
    }
    seen.set(key, n);
  }
  const exists = existsSync(pngDir); // a missing folder is created, with nothing in it to replace
  for (const n of names) {
    const file = path.join(pngDir, `${n}.png`);
    if (path.resolve(file) === path.resolve(htmlFile)) throw new CalibraError('E_USAGE', `the chart ${JSON.stringify(n)} would replace the report itself`, { source: file, fix: 'give --out and --png-dir different places' });
    if (exists) checkOutputTarget(file, undefined, force, '--png-dir');
  }
}
