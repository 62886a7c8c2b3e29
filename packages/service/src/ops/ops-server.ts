import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpsHandler, type OpsOptions } from './ops-handler';

export type OpsServerOptions = OpsOptions & {
  /** 0 picks a free port (tests). */
  port: number;
  /** Loopback unless told otherwise: exposing the probes is the operator's decision, not a default. */
  host?: string;
};

export type OpsServer = {
  /** Where to reach it from this machine, e.g. http://127.0.0.1:9101. */
  url: string;
  port: number;
  close(): Promise<void>;
};

export const DEFAULT_OPS_HOST = '127.0.0.1';

/** The ops endpoints (`/healthz`, `/readyz`, `/metrics`) on a port of their own; 404 for anything else. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const host = options.host ?? DEFAULT_OPS_HOST;
  const handle = createOpsHandler(options);
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    handle(path, res)
      .then((handled) => {
        if (!handled) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      })
      .catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`${String(error)}\n`);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${reachableHost(host)}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A wildcard address is not one a client can dial: use loopback; bracket an IPv6 literal. */
export function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
