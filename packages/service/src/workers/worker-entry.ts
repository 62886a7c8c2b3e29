import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type WorkerModule = {
  /** The worker's bundle beside the service's own (dist/main.js -> dist/<bundle>): a build target entry. */
  bundle: string;
  /** The worker's source, for runs from source: `new URL('./x-worker.ts', import.meta.url)`. */
  source: URL;
  /** `import.meta.filename` of the module that starts the worker. */
  caller: string;
};

/**
 * Where a worker thread's module is and how to load it. Built (`pnpm build`), the caller is
 * inlined in a bundle in dist/ and the worker is the bundle beside it; the caller's
 * import.meta.filename is the reliable clue, since the build rewrites import.meta.url to the
 * source file's (and the entry script may be a launcher such as bin/*.mjs). From source (tsx in
 * development, vitest in tests) the worker is the .ts file, and a worker thread does not inherit
 * the parent's loader, so it is given tsx's.
 */
export function workerEntry({ bundle, source, caller }: WorkerModule): { filename: string; execArgv: string[] } {
  const bundled = join(dirname(caller), bundle);
  if (caller.endsWith('.js') && existsSync(bundled)) return { filename: pathToFileURL(bundled).href, execArgv: [] };
  const tsx = pathToFileURL(createRequire(source).resolve('tsx')).href;
  return { filename: source.href, execArgv: ['--import', tsx] };
}
