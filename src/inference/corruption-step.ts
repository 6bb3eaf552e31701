/**
 * `--corruption NAME:SEVERITY` -> a CorruptionStep for the views pipeline, using the corruptions of
 * src/views/corruptions (CIFAR-10-C / ImageNet-C, Hendrycks & Dietterich 2019; MNIST-C levels for grey
 * images, Mu & Gilmer 2019). The step name ('gaussian_noise:3') is also the per-image Rng stream name.
 */
import { applyCorruption, corruptionIds, parseCorruptionId } from '../views/corruptions/index.js';
import type { CorruptionStep } from './views-pipeline.js';

/**
 * The step for 'gaussian_noise:3' (severity 1..5, default 3). Throws E_OPTION naming the valid names.
 * @example parseCorruptionArg('contrast:2').name // => 'contrast:2'
 */
export function parseCorruptionArg(text: string): CorruptionStep {
  const { name, severity } = parseCorruptionId(text);
  return { name: `${name}:${severity}`, apply: (image, rng) => applyCorruption(name, severity, image, rng).image };
}

/** Every known corruption name, in CIFAR-10-C order. */
export function defaultCorruptionNames(): string[] {
  return [...corruptionIds];
}

/** One step per (name, severity), names outer. O(#names × #severities). */
export function corruptionSteps(names: readonly string[], severities: readonly number[]): CorruptionStep[] {
  return names.flatMap((n) => severities.map((s) => parseCorruptionArg(`${n}:${s}`)));
}
