/**
 * The browser-safe part of src/data/: byte-level `.npy`/`.npz`/CSV/JSON parsers and encoders, and the
 * input checks. No Node built-ins. The Node file layer (load/save files, atomic writes, streaming, views
 * files) is exported from src/node.ts.
 */
export { DEFAULT_MAX_BYTES, parseByteSize, resolveMaxBytes, type ReadLimits } from './limits.js';
export { halfToFloat, type NpyNumericData, type NpyNumericType } from './dtype.js';
export { encodeNpy, parseNpy, parseNpyHeader, toFloat64Array, type NpyArray, type NpyHeader, type NpyInput, type NpyNumericArray, type NpyStringArray } from './npy.js';
export { encodeNpz, parseNpz, type NpzArchive, type NpzReadOptions } from './npz.js';
export { formatCsvMatrix, parseCsvMatrix, type CsvMatrix } from './csv.js';
export { formatJsonMatrix, parseJsonArray, type JsonArray, type JsonArrayKey } from './json.js';
export { arrayToLabels, arrayToLogits, arrayToProbs, checkFinite, checkSameRows, DEFAULT_PROBS_TOLERANCE, type FloatStorage, type NumericArray } from './validate.js';
