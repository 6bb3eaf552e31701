/**
 * Per-image random streams: one Rng per (global seed, transform name, image index), so results do not
 * depend on batch order or parallelism (views-and-corruptions spec §2.5). The hash is FNV-1a over the
 * name folded with the seed and index through the splitmix32 finaliser.
 */
import { Rng } from '../math/rng.js';

function mix32(z: number): number {
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The 32-bit seed of the stream for one image. Deterministic across platforms. O(|name|).
 * @example imageSeed(0, 'rotation', 0) === imageSeed(0, 'rotation', 0) // => true
 */
export function imageSeed(seed: number, name: string, index: number): number {
  return indexSeed(streamSeed(seed, name), index);
}

/** The part of imageSeed that depends on (seed, name) only. O(|name|). */
function streamSeed(seed: number, name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return mix32((h ^ mix32((seed >>> 0) + 0x9e3779b9)) >>> 0);
}

function indexSeed(z: number, index: number): number {
  return mix32((z + Math.imul((index >>> 0) ^ Math.floor(index / 4294967296), 0x9e3779b1)) >>> 0);
}

/**
 * The Rng for image `index` under transform `name` (e.g. 'rotation' or 'gaussian_noise:3') and global `seed`.
 * @example imageRng(7, 'greyscale', 12).random() // => imageRng(7, 'greyscale', 12).random()
 */
export function imageRng(seed: number, name: string, index: number): Rng {
  return new Rng(imageSeed(seed, name, index));
}

/**
 * `imageRng(seed, name, ·)` with the name hashed once: returns index → the same Rng as
 * `imageRng(seed, name, index)`. For loops over many images. O(|name|) once, then O(1) per image.
 * @example imageRngStream(7, 'rotation')(3).random() === imageRng(7, 'rotation', 3).random() // => true
 */
export function imageRngStream(seed: number, name: string): (index: number) => Rng {
  const z = streamSeed(seed, name);
  return (index) => new Rng(indexSeed(z, index));
}

