/**
 * sharp (libvips image decoding), imported on first use: a command that reads no image file (Fashion-MNIST
 * idx, .npz views, logits) never loads the native addon. Node only.
 */
import type sharpModule from 'sharp';
import { importOptional } from '../optional-import.js';

let loaded: Promise<typeof sharpModule> | null = null;

/** The sharp function, imported once. Cost: about 20-40 ms the first time (the addon and libvips), then O(1). */
export function loadSharp(): Promise<typeof sharpModule> {
  loaded ??= importOptional('sharp', 'reading image files', () => import('sharp')).then((m) => m.default);
  return loaded;
}
