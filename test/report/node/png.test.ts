import { describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { svgToPng } from '../../../src/report/node/png.js';
import { reliabilityDiagramSvg } from '../../../src/report/charts/reliability.js';

describe('svgToPng', () => {
  it('renders a chart at twice its SVG size with the bar colour where the bar is', () => {
    // One full-height bar over (0.9, 1]: plot x 58..366, y 30..(30 + main height); the bar is Okabe-Ito blue
    // #0072B2 at opacity 0.85 over white → about (38, 135, 190).
    const svg = reliabilityDiagramSvg([{ lo: 0.9, hi: 1, count: 4, meanConfidence: 1, accuracy: 1 }], { width: 380, height: 440 });
    const png = PNG.sync.read(Buffer.from(svgToPng(svg)));
    expect(png.width).toBe(760);
    expect(png.height).toBe(880);
    const at = (x: number, y: number): [number, number, number] => { const i = (png.width * y + x) * 4; return [png.data[i] as number, png.data[i + 1] as number, png.data[i + 2] as number]; };
    const [r, g, b] = at(2 * 350, 2 * 200);
    expect(Math.abs(r - 38)).toBeLessThan(6);
    expect(Math.abs(g - 135)).toBeLessThan(6);
    expect(Math.abs(b - 190)).toBeLessThan(6);
    expect(at(2 * 150, 2 * 200)).toEqual([255, 255, 255]);
  });

  it('honours the scale option', () => {
    const png = PNG.sync.read(Buffer.from(svgToPng(reliabilityDiagramSvg([], { width: 200, height: 240 }), { scale: 1 })));
    expect([png.width, png.height]).toEqual([200, 240]);
  });
});
