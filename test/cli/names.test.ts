import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { getCalibrator, METHOD_ALIASES, calibratorSpecs } from '../../src/calibrators/core/registry.js';
import { METRIC_ALIASES, METRICS, parseMetricId, presetMetricIds } from '../../src/metrics/ids.js';
import { parseMetricIds } from '../../src/metrics/evaluate.js';
import { didYouMean, editDistance, nearestNames } from '../../src/suggest.js';
import { formatError, type CalibraError } from '../../src/errors.js';

// independent values: hand-counted edit distances (Levenshtein with adjacent swaps)
describe('edit distance and suggestions', () => {
  it('counts insertions, deletions, substitutions and adjacent swaps as 1', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('tempreature', 'temperature')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('ca', 'abc')).toBe(3);
    expect(editDistance('evalute', 'evaluate')).toBe(1);
    expect(editDistance('same', 'same')).toBe(0);
  });
  it('suggests the nearest names and nothing for far-off input', () => {
    expect(nearestNames('evalute', ['evaluate', 'views', 'fit'])).toEqual(['evaluate']);
    expect(nearestNames('ECE_EM', ['ece_em', 'ece', 'mce'])).toEqual(['ece_em']);
    expect(nearestNames('xyzzy', ['evaluate', 'views'])).toEqual([]);
    expect(nearestNames('iso', ['isotonic', 'irm'])).toContain('isotonic');
    expect(didYouMean('val-logit', ['val-logits', 'val-labels'], (s) => `--${s}`)).toBe('did you mean --val-logits? ');
  });
});

describe('method and metric aliases', () => {
  it('resolves the spellings people type, in any case', () => {
    for (const [alias, id] of [['temperature', 'ts'], ['Temperature-Scaling', 'ts'], ['vector', 'vs'], ['matrix', 'ms'], ['isotonic-regression', 'isotonic'], ['histogram_binning', 'histogram'], ['TS', 'ts'], ['Dirichlet-ODIR', 'dirichlet-odir'], ['platt-scaling', 'platt']] as const) {
      expect([alias, getCalibrator(alias).id]).toEqual([alias, id]);
    }
    for (const target of Object.values(METHOD_ALIASES)) expect(calibratorSpecs.some((s) => s.id === target)).toBe(true);
    for (const target of Object.values(METRIC_ALIASES)) expect(METRICS.some((m) => m.base === target)).toBe(true);
    expect(parseMetricId('ECE@25').id).toBe('ece@25');
    expect(parseMetricId('log-loss').id).toBe('nll');
    expect(parseMetricId('ECE_EM').id).toBe('ece_em');
    expect(parseMetricId('ece@15').id).toBe('ece@15');
    expect(parseMetricIds(['ece', 'ECE', 'nll', 'log-loss']).map((s) => s.id)).toEqual(['ece', 'nll']);
    expect(presetMetricIds('CA-Paper')).toEqual(presetMetricIds('ca-paper'));
  });
  it('says "did you mean" for unknown methods, metrics and presets', () => {
    const fixOf = (f: () => unknown): string => { try { f(); } catch (e) { return formatError(e as CalibraError); } return ''; };
    expect(fixOf(() => getCalibrator('tempreature'))).toMatch(/E_OPTION: unknown calibration method 'tempreature' \(fix: did you mean 'ts \(temperature\)'\?/);
    expect(fixOf(() => getCalibrator('isotonik'))).toMatch(/did you mean 'isotonic'/);
    expect(fixOf(() => parseMetricId('eec'))).toMatch(/did you mean 'ece'/);
    expect(fixOf(() => presetMetricIds('defualt'))).toMatch(/did you mean 'default'/);
  });
});

describe('the CLI', () => {
  const fx = 'test/fixtures/overconfident';
  it('suggests commands and options, takes help CMD, -V and case-insensitive names', async () => {
    const bad = memoryIo();
    expect(await runCli(['evalute'], bad)).toBe(2);
    expect(bad.err()).toMatch(/unknown command "evalute" \(fix: did you mean 'evaluate'\?/);
    const help = memoryIo();
    expect(await runCli(['help', 'compare'], help)).toBe(0);
    expect(help.out()).toMatch(/^usage: calibra compare/);
    const v = memoryIo();
    expect(await runCli(['-V'], v)).toBe(0);
    expect(v.out()).toMatch(/^\d+\.\d+\.\d+\n$/);
    const opt = memoryIo();
    expect(await runCli(['compare', '--val-logit', 'x'], opt)).toBe(2);
    expect(opt.err()).toMatch(/unknown option --val-logit \(fix: did you mean --val-logits\?/);
    const io = memoryIo();
    const code = await runCli(['compare', '--val-logits', `${fx}/val-logits.npy`, '--val-labels', `${fx}/val-labels.npy`, '--test-logits', `${fx}/test-logits.npy`, '--test-labels', `${fx}/test-labels.npy`,
      '--methods', 'none,Temperature,isotonic-regression', '--metrics', 'ECE,log-loss', '--primary', 'ECE', '--bootstrap', '200', '--format', 'json', '--quiet'], io);
    expect(io.err()).toBe('');
    expect(code).toBe(0);
    const out = JSON.parse(io.out()) as { metrics: string[]; recommendation: { metric: string; method: string }; methods: { method: string; methodId: string; metrics: Record<string, number> }[] };
    expect(out.metrics).toEqual(['ece', 'nll']);
    expect(out.recommendation.metric).toBe('ece');
    expect(out.methods.map((m) => m.methodId)).toEqual(['none', 'ts', 'isotonic']);
    expect(Object.keys(out.methods[1]?.metrics ?? {})).toEqual(expect.arrayContaining(['ece', 'nll']));
  });
});
