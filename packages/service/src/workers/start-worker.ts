import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { workerEntry, type WorkerModule } from './worker-entry';

/**
 * A worker thread on `module` (see `workerEntry`): the built bundle as it is; the TypeScript
 * source through require-source.mjs, since tsx's ESM hooks do not reach a worker's own modules
 * on Node 20 while its require hook does.
 */
export function startWorker(module: WorkerModule, options: WorkerOptions = {}): Worker {
  const { filename, execArgv } = workerEntry(module);
  if (execArgv.length === 0) return new Worker(new URL(filename), options);
  return new Worker(new URL('./require-source.mjs', import.meta.url), {
    ...options,
    execArgv: [...execArgv, ...(options.execArgv ?? [])],
    argv: [fileURLToPath(filename), ...(options.argv ?? [])],
  });
}
