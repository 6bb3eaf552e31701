/**
 * Starting worker threads and placing matrices in shared memory, for the Node-only parallel paths.
 */
import { Worker } from 'node:worker_threads';
import { CalibraError } from '../errors.js';
import type { Matrix } from '../math/matrix.js';
import type { WorkerError } from './protocol.js';

/** A matrix's data as a SharedArrayBuffer region (float32 or float64 items). */
export interface SharedMatrixData {
  readonly buffer: SharedArrayBuffer;
  readonly byteOffset: number;
  readonly type: 'f4' | 'f8';
}

/** The matrix's data in shared memory: its own buffer when already shared, else a copy. Cost O(N·K) when copying. */
export function sharedData(m: Matrix): SharedMatrixData {
  const type = m.data instanceof Float32Array ? 'f4' : 'f8';
  if (m.data.buffer instanceof SharedArrayBuffer) return { buffer: m.data.buffer, byteOffset: m.data.byteOffset, type };
  const buffer = new SharedArrayBuffer(m.data.byteLength);
  (type === 'f4' ? new Float32Array(buffer) : new Float64Array(buffer)).set(m.data);
  return { buffer, byteOffset: 0, type };
}

/** A typed-array view of shared matrix data. Cost O(1). */
export function viewShared(d: SharedMatrixData, count: number): Float32Array | Float64Array {
  return d.type === 'f4' ? new Float32Array(d.buffer, d.byteOffset, count) : new Float64Array(d.buffer, d.byteOffset, count);
}

/**
 * Starts `name` (a sibling module of this file) as a worker: the compiled `.js`, or, when calibra runs from
 * TypeScript sources (tsx, vitest), the `.ts` file through tsx's loader. Cost: one thread start (0.1–0.2 s
 * compiled on a loaded machine; about a second from sources).
 */
export function startWorker(name: string, workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, import.meta.url), { workerData });
  const entry = JSON.stringify(new URL(`./${name}.ts`, import.meta.url).href);
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${entry}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/** A worker's error as it can be posted (CalibraError fields kept). */
export function serializeError(e: unknown): WorkerError {
  return e instanceof CalibraError
    ? { code: e.code, message: e.message, ...(e.source !== undefined ? { source: e.source } : {}), ...(e.where !== undefined ? { where: e.where } : {}), ...(e.fix !== undefined ? { fix: e.fix } : {}) }
    : { code: null, message: e instanceof Error ? e.message : String(e) };
}

/** The error a worker posted, rebuilt (a CalibraError when it was one). */
export function rebuildError(e: WorkerError): Error {
  if (e.code === null) return new Error(e.message);
  return new CalibraError(e.code, e.message, { ...(e.source !== undefined ? { source: e.source } : {}), ...(e.where !== undefined ? { where: e.where } : {}), ...(e.fix !== undefined ? { fix: e.fix } : {}) });
}
