/**
 * Writes a rendered report to disk: the HTML file, and optionally every chart as PNG in a folder. Files are
 * written atomically and never replace an existing file without `force` (E_EXISTS).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CalibraError } from '../../errors.js';
import { writeFileAtomic } from '../../data/files.js';
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
 * Writes `report.html` and, with `pngDir`, one PNG per chart. Returns the paths written.
 * Cost: O(HTML size) plus rendering each PNG.
 */
export function writeReportFiles(report: Pick<RenderedReport, 'html' | 'charts'>, htmlFile: string, opts: WriteReportOptions = {}): { html: string; pngs: string[] } {
  const force = opts.force === true;
  writeFileAtomic(htmlFile, report.html, { force });
  const pngs: string[] = [];
  if (opts.pngDir !== undefined) {
    try {
      mkdirSync(opts.pngDir, { recursive: true });
    } catch (e) {
      throw new CalibraError('E_IO', `cannot create the PNG folder: ${(e as Error).message}`, { source: opts.pngDir, fix: 'give a folder you can write to' });
    }
    for (const chart of report.charts) {
      const file = path.join(opts.pngDir, `${chart.name}.png`);
      writeFileAtomic(file, svgToPng(chart.svg, { scale: opts.pngScale ?? 2 }), { force });
      pngs.push(file);
    }
  }
  return { html: htmlFile, pngs };
}
