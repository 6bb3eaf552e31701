import { describe, expect, it } from 'vitest';
import { formatDemoMarkdown, formatDemoText, summaryColumns } from '../../src/inference/demo-tables.js';
import type { DemoCell, DemoModelResult } from '../../src/inference/demo.js';

const cell = (ece: number, auroc: number): DemoCell => ({
  paper: { ece, brier: 0.1, ks: 0.05, auroc, nll: 0.5 },
  default: { ece: ece / 2, brier: 0.2, ks: 0.04, auroc, nll: 0.5 },
  accuracy: 0.9,
});
const result: DemoModelResult = {
  model: 'toy', description: 'toy model',
  calibration: { n: 10, accuracy: 0.9, note: 'cal' },
  testSets: [
    { id: 'test', kind: 'id', n: 5, accuracy: 0.9, note: '' },
    { id: 'noise:3', kind: 'corruption', n: 5, accuracy: 0.8, note: '' },
    { id: 'blur:3', kind: 'corruption', n: 5, accuracy: 0.7, note: '' },
  ],
  methods: [
    { label: 'uncalibrated', id: 'none', options: {}, status: 'ok' },
    { label: 'TS', id: 'ts', options: {}, status: 'ok' },
    { label: 'IRM', id: 'irm', options: {}, status: 'missing', message: "no calibrator 'irm' is registered" },
  ],
  results: {
    uncalibrated: { 'test': cell(0.1, 0.8), 'noise:3': cell(0.2, 0.7), 'blur:3': cell(0.4, 0.6) },
    TS: { 'test': cell(0.02, 0.81), 'noise:3': cell(0.1, 0.7), 'blur:3': cell(0.2, 0.5) },
  },
};

describe('demo tables', () => {
  it('summarises corruptions by their mean: uncalibrated ECE (0.2 + 0.4)/2 × 100 = 30.00', () => {
    expect(summaryColumns(result).map((c) => c.title)).toEqual(['test', 'corrupted (mean of 2)']);
    const text = formatDemoText(result);
    const line = text.split('\n').find((l) => l.startsWith('uncalibrated')) ?? '';
    expect(line).toMatch(/10\.00\s.*30\.00/);
    // TS has the lower ECE on both columns (marked *); uncalibrated the higher corrupted AUROC (65.00 vs 60.00)
    expect(text).toMatch(/TS\s+2\.00\*/);
    expect(line).toContain('65.00*');
    expect(text).toContain("missing: IRM (irm): no calibrator 'irm' is registered");
  });
  it('writes Markdown with summary tables for both presets and per-test-set tables', () => {
    const md = formatDemoMarkdown(result);
    expect(md).toContain('## toy');
    expect(md).toContain('### Summary, ca-paper preset');
    expect(md).toContain('### Summary, default preset');
    expect(md).toContain('| method | test | noise:3 | blur:3 |');
    expect(md).toContain('| TS | **2.00** | **10.00** | **20.00** |');
  });
});
