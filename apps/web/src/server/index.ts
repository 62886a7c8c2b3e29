import { loadEnv, type Env } from '../env';
import { startWebServerWith, type RunningWebServer } from './http/web-server';

export type { RunningWebServer };

export type StartWebServerOptions = Partial<Env> & { port?: number; host?: string; next?: Env['WEB_NEXT_MODE'] };

/**
 * Starts the web server in this process (for tests and the launcher): the environment's
 * configuration, overridden by `options`. Port 0 picks a free port; `url` says which.
 */
export function startWebServer(options: StartWebServerOptions = {}): Promise<RunningWebServer> {
  const { port, host, next, ...overrides } = options;
  const config: Env = { ...loadEnv(), ...overrides };
  if (port !== undefined) config.PORT = port;
  if (host !== undefined) config.HOST = host;
  if (next !== undefined) config.WEB_NEXT_MODE = next;
  return startWebServerWith(config);
}
