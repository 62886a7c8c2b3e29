import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export type Readiness = () => Promise<Record<string, boolean>>;

export type OpsServer = { port: number; close(): Promise<void> };

/**
 * /healthz: the process answers. /readyz: every check passes (NATS connected, database
 * reachable, consumer running), 503 with the failing ones otherwise. /metrics: Prometheus text.
 */
export async function startOpsServer(port: number, registry: Registry, readiness: Readiness): Promise<OpsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const respond = async () => {
      if (path === '/healthz') return send(200, 'text/plain', 'ok\n');
      if (path === '/readyz') {
        const checks = await readiness();
        const ready = Object.values(checks).every(Boolean);
        return send(ready ? 200 : 503, 'application/json', `${JSON.stringify({ ready, checks })}\n`);
      }
      if (path === '/metrics') return send(200, registry.contentType, await registry.metrics());
      return send(404, 'text/plain', 'not found\n');
    };
    respond().catch((error: unknown) => send(500, 'text/plain', `${String(error)}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
