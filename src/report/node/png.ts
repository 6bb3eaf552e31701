/**
 * PNG export of the report's SVG charts with resvg (Rust SVG renderer, @resvg/resvg-js). Node only: the
 * browser build does not include this file. Text is drawn with the system's DejaVu Sans.
 */
import { createRequire } from 'node:module';
import type * as ResvgModule from '@resvg/resvg-js';

// loaded on the first PNG (synchronously: svgToPng is sync), so a report without --png never loads the addon
let resvg: typeof ResvgModule | null = null;

/** Options of `svgToPng`. */
export interface PngOptions {
  /** Scale factor over the SVG's own size (default 2, for sharp slides and papers). */
  readonly scale?: number;
}

/**
 * Renders an SVG string to PNG bytes. Cost: proportional to the output pixels (about 10 ms for a
 * 760 × 880 image).
 *
 * @example
 * import { reliabilityDiagramSvg } from '../charts/reliability.js';
 * const bins = [{ lo: 0, hi: 0.5, count: 2, meanConfidence: 0.45, accuracy: 0 }, { lo: 0.5, hi: 1, count: 2, meanConfidence: 0.8, accuracy: 1 }];
 * const png = svgToPng(reliabilityDiagramSvg(bins)); // writeFileSync('ece.png', png) saves it
 * Array.from(png.subarray(0, 4)) // => [137, 80, 78, 71]
 */
export function svgToPng(svg: string, opts: PngOptions = {}): Uint8Array {
  const scale = opts.scale ?? 2;
  resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as typeof ResvgModule;
  const r = new resvg.Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return new Uint8Array(r.render().asPng());
}
