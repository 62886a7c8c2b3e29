import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The worker's bundle beside the service's own (dist/main.js -> dist/extraction-worker.js). */
export const WORKER_BUNDLE = 'extraction-worker.js';

/**
 * Where the worker's module is and how to load it. Built (`pnpm build`), the service runs
 * dist/main.js and the worker is the bundle beside it; the entry script is the reliable clue,
 * since the build rewrites import.meta.url to the source file's. From source (tsx in
 * development, vitest in tests) the worker is the .ts file, and a worker thread does not inherit
 * the parent's loader, so it is given tsx's.
 */
export function workerEntry(entryScript = process.argv[1] ?? ''): { filename: string; execArgv: string[] } {
  const bundled = join(dirname(entryScript), WORKER_BUNDLE);
  if (entryScript.endsWith('.js') && existsSync(bundled))
    return { filename: pathToFileURL(bundled).href, execArgv: [] };
  const filename = new URL('./extraction-worker.ts', import.meta.url).href;
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename, execArgv: ['--import', tsx] };
}
