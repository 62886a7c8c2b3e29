import type { PublicConfig } from '../env';
import type { Services } from './services';

/**
 * How the custom server hands its live services to the code Next.js bundles (route handlers,
 * layouts). Next compiles its own copies of our modules, so module-level singletons are not
 * shared with the server; a global keyed by a registered symbol is.
 */
export type WebRuntime = { services: Services; publicConfig: PublicConfig };

const KEY = Symbol.for('symbology.web.runtime');
type Holder = { [KEY]?: WebRuntime };

export function setRuntime(runtime: WebRuntime | undefined): void {
  (globalThis as Holder)[KEY] = runtime;
}

export function getRuntime(): WebRuntime {
  const runtime = (globalThis as Holder)[KEY];
  if (!runtime) {
    throw new Error('apps/web must be started through its server (pnpm dev / pnpm start), not `next dev` alone');
  }
  return runtime;
}
