/**
 * Views and corruptions of images (browser-safe). See docs/views-and-datasets.md.
 */
export * from './image.js';
export { imageSeed, imageRng } from './seed.js';
export { NumpyRandom, poisson, logGamma, type RandomSource } from './random.js';
export { viewIds, viewSpecs, parseViewId, applyView, type ViewId, type ViewParams, type ViewResult, type ViewSpec } from './registry.js';
export { rotateRightAngle, rotateBilinear, horizontalFlip, ROTATION_ANGLES } from './geometric.js';
export { greyscale, adjustBrightness, adjustContrast, adjustSaturation, adjustHue, colourJitter, hsvToRgb, LUMA_WEIGHTS, type JitterParams } from './colour.js';
export { gaussianBlur, gaussianKernel1d, separableFilter, borderIndex, bilinear, type Border } from './filter.js';
export { erase, sampleEraseParams, type EraseParams } from './erasing.js';
export {
  corruptionIds, parseCorruptionId, applyCorruption,
  type CorruptionId, type CorruptionOptions, type CorruptionResult, type CorruptionSpec, type SeverityTable,
} from './corruptions/index.js';
