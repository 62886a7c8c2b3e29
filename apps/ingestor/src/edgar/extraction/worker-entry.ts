import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Where the worker's module is and how to load it. Built, this file sits beside
 * extraction-worker.js; from source (tsx in development, vitest in tests) the worker is the .ts
 * file, and a worker thread does not inherit the parent's loader, so it gets tsx's own.
 */
export function workerEntry(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  const filename = new URL(`./extraction-worker.${fromSource ? 'ts' : 'js'}`, import.meta.url).href;
  if (!fromSource) return { filename, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { filename, execArgv: ['--import', tsx] };
}
