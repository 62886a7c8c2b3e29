import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import next from 'next';
import { disableNextTelemetry } from '../../env';

export const WEB_APP_DIR = fileURLToPath(new URL('../../../', import.meta.url));

export type NextApp = {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void>;
  close(): Promise<void>;
};

/** Next.js inside our node http server: dev compiles on demand, prod serves `next build` output. */
export async function startNextApp(mode: 'dev' | 'prod', hostname: string, port: number): Promise<NextApp> {
  disableNextTelemetry();
  const app = next({ dev: mode === 'dev', dir: WEB_APP_DIR, hostname, port, customServer: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  const upgrade = app.getUpgradeHandler();
  return {
    handle: (req, res) => handle(req, res),
    upgrade: (req, socket, head) => upgrade(req, socket, head),
    close: () => app.close(),
  };
}
