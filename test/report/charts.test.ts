import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { reliabilityBins } from '../../src/metrics/binning.js';
import { reliabilityDiagramSvg } from '../../src/report/charts/reliability.js';
import { smoothReliabilitySvg } from '../../src/report/charts/smooth.js';
import { confidenceHistogramSvg, pairedHistogram, temperatureHistogramSvg } from '../../src/report/charts/histograms.js';
import { classReliabilityGridSvg } from '../../src/report/charts/class-grid.js';
import { metricVsBinsSvg } from '../../src/report/charts/metric-bins.js';
import { smoothReliabilityCurve } from '../../src/report/smooth-curve.js';
import { D1_CONF, D1_CORRECT, D1_LABELS, D1_PROBS } from './d1.js';

const GOLDEN = new URL('../golden/svg/', import.meta.url);
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

/** Compares `svg` with test/golden/svg/<name>.svg byte for byte; UPDATE_GOLDEN=1 rewrites the file. */
function golden(name: string, svg: string): void {
  const file = new URL(`${name}.svg`, GOLDEN);
  if (UPDATE || !existsSync(file)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(file, svg);
    if (!UPDATE) throw new Error(`golden ${name}.svg was missing and has been written; check it and rerun`);
  }
  expect(svg).toBe(readFileSync(file, 'utf8'));
}

/** Structural checks every chart must pass: one svg root, title and desc first, no NaN, balanced tags. */
function wellFormed(svg: string): void {
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).toMatch(/^<svg[^>]*role="img"[^>]*><title>[^<]+<\/title><desc>[^<]+<\/desc>/);
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  const open = (svg.match(/<(g|svg|text|title|desc)\b(?:[^>]*[^/])?>/g) ?? []).length;
  const close = (svg.match(/<\/(g|svg|text|title|desc)>/g) ?? []).length;
  expect(open).toBe(close);
}

const d1Bins10 = reliabilityBins(D1_CONF, D1_CORRECT, { bins: 10, scheme: 'equal-width' });

describe('reliabilityDiagramSvg', () => {
  it('draws one accuracy bar, one gap bar and one share bar per non-empty bin of fixture D1 (golden)', () => {
    const svg = reliabilityDiagramSvg(d1Bins10, { title: 'D1, 10 bins', annotation: 'ECE 0.2700' });
    wellFormed(svg);
    // D1 with 10 equal-width bins has 6 non-empty bins (metrics.md oracle 1): 6 bars + 6 gaps + 6 share bars.
    const rects = svg.match(/<rect x="[^"]+" y="[^"]+" width="[^"]+" height="[^"]+"\/>/g) ?? [];
    expect(rects.length).toBe(18);
    expect(svg).toContain('[0.400, 0.500]: n=2, confidence 0.450, accuracy 0.000');
    golden('reliability-d1', svg);
  });

  it('places the bar of bin (0.9, 1] (accuracy 1) at the full plot height', () => {
    const svg = reliabilityDiagramSvg([{ lo: 0.9, hi: 1, count: 1, meanConfidence: 0.93, accuracy: 1 }], { width: 380, height: 440 });
    // plot: top 48 (title and legend rows above it), x from 58 to 366; bin (0.9, 1] spans 335.2..366; the bar starts at y = 48.
    expect(svg).toContain('<rect x="335.70" y="48.00" width="29.80"');
  });

  it('draws equal-mass bins of fixture D1 at their confidence ranges (golden)', () => {
    const bins = reliabilityBins(D1_CONF, D1_CORRECT, { bins: 4, scheme: 'equal-mass' });
    const svg = reliabilityDiagramSvg(bins, { title: 'D1, 4 equal-mass bins' });
    wellFormed(svg);
    golden('reliability-d1-equal-mass', svg);
  });

  it('draws no bars for an empty input and still renders axes', () => {
    const svg = reliabilityDiagramSvg([{ lo: 0, hi: 1, count: 0, meanConfidence: Number.NaN, accuracy: Number.NaN }]);
    wellFormed(svg);
    expect(svg).toContain('0 non-empty, 0 samples');
  });
});

describe('smoothReliabilitySvg', () => {
  it('draws the curve, the band and the density of fixture D1 (golden)', () => {
    const svg = smoothReliabilitySvg(smoothReliabilityCurve(D1_CONF, D1_CORRECT, { bootstrap: 20, seed: 1 }), { title: 'D1 smooth' });
    wellFormed(svg);
    expect(svg).toContain('smECE 0.1285');
    expect(svg).toMatch(/<polygon data-role="data" points="[^"]+"/);
    golden('smooth-d1', svg);
  });
});

describe('confidence and temperature histograms', () => {
  it('pairedHistogram counts correct and wrong samples per bin, the last bin closed', () => {
    const h = pairedHistogram(new Float64Array([0, 0.5, 0.49, 1, 1]), new Uint8Array([1, 0, 1, 1, 0]), new Float64Array([0, 0.5, 1]));
    expect(Array.from(h.correct)).toEqual([2, 1]);
    expect(Array.from(h.wrong)).toEqual([0, 2]);
  });

  it('confidenceHistogramSvg on fixture D1 lists 5 correct and 3 wrong (golden)', () => {
    const svg = confidenceHistogramSvg(D1_CONF, D1_CORRECT, { bins: 10, title: 'D1 confidence' });
    wellFormed(svg);
    expect(svg).toContain('correct (5)');
    expect(svg).toContain('wrong (3)');
    golden('confidence-histogram-d1', svg);
  });

  it('temperatureHistogramSvg spans 0.1..10 on a log axis (golden)', () => {
    const temps = new Float64Array([0.5, 0.8, 1.1, 1.3, 2.4, 3.9, 6.5, 9.5]);
    const svg = temperatureHistogramSvg(temps, D1_CORRECT, { bins: 8, title: 'D1 temperatures' });
    wellFormed(svg);
    expect(svg).toContain('>0.1</text>');
    expect(svg).toContain('>10</text>');
    golden('temperature-histogram', svg);
  });
});

describe('classReliabilityGridSvg', () => {
  it('draws one cell per class of fixture D1 with its positives and binned ECE (golden)', () => {
    const cells = [0, 1, 2, 3].map((k) => {
      const scores = new Float64Array(8);
      const targets = new Uint8Array(8);
      for (let i = 0; i < 8; i++) { scores[i] = D1_PROBS.data[i * 4 + k] as number; targets[i] = D1_LABELS[i] === k ? 1 : 0; }
      return { name: `class ${k}`, bins: reliabilityBins(scores, targets, { bins: 10, scheme: 'equal-width' }), positives: targets.reduce((s, v) => s + v, 0) };
    });
    const svg = classReliabilityGridSvg(cells, { columns: 2 });
    wellFormed(svg);
    expect(svg).toContain('n+ = 4'); // class 1 is the label of samples 2, 3, 6 and 7
    expect(cells.map((c) => c.positives)).toEqual([2, 4, 2, 0]);
    // Class 3 never occurs: every p_i3 is a gap to frequency 0; its ECE is the mean of p_i3 = 0.05.
    expect(svg).toContain('class 3: 0 positives, binned ECE 0.050');
    golden('class-grid-d1', svg);
  });
});

describe('metricVsBinsSvg', () => {
  it('draws one line and one dot per point of each series (golden)', () => {
    const svg = metricVsBinsSvg([
      { name: 'uncalibrated', bins: [5, 10, 15, 25], values: [0.09, 0.27, 0.3525, 0.3525] },
      { name: 'ts', bins: [5, 10, 15, 25], values: [0.05, 0.1, 0.12, 0.15], dashed: true },
    ], { title: 'D1 ECE vs bins' });
    wellFormed(svg);
    expect((svg.match(/<circle /g) ?? []).length).toBe(8);
    expect(svg).toContain('uncalibrated: 5 bins 0.0900, 10 bins 0.2700, 15 bins 0.3525, 25 bins 0.3525');
    golden('metric-vs-bins', svg);
  });
});
