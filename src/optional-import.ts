/**
 * The one way calibra loads an optional native package (onnxruntime-node, sharp, DuckDB): on first use, by a
 * dynamic import, so `import 'calibra'` or `'calibra/metrics'` never loads an addon; when the package is not
 * installed the caller gets CalibraError E_UNSUPPORTED naming it and the install command.
 */
import { CalibraError } from './errors.js';

/**
 * Runs `load` (a dynamic `import()` of `name`) and maps "module not found" to E_UNSUPPORTED. `purpose` says
 * what needs the package ("running ONNX models").
 * @example
 * const zip = await importOptional('fflate', 'reading .npz files', () => import('fflate'));
 * typeof zip.unzipSync // => 'function'
 * await importOptional('no-such-package', 'running ONNX models', () => import('no-such-package' as string)) // throws E_UNSUPPORTED
 */
export async function importOptional<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new CalibraError('E_UNSUPPORTED', `${purpose} needs the optional package ${name}, which is not installed`, { fix: `npm install ${name}` });
    }
    throw e;
  }
}
