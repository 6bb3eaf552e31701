/** Public re-exports of the calibrator core: the registry, model files and their envelope, the shared types. */
export { calibratorSpecs, getCalibrator } from './registry.js';
export { loadModelJson, loadModelObject, serializeModel } from './model-file.js';
export { checkEnvelope, MODEL_FORMAT, MODEL_VERSION } from './envelope.js';
export type * from './types.js';
