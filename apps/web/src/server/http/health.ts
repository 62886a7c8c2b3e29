import type { ServerResponse } from 'node:http';
import { sql } from 'drizzle-orm';
import type { Services } from '../services';

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

/** Serves /healthz, /readyz and /metrics; returns false for any other path. */
export async function handleOps(path: string, res: ServerResponse, services: Services): Promise<boolean> {
  if (path === '/healthz') {
    send(res, 200, '{"status":"ok"}');
    return true;
  }
  if (path === '/readyz') {
    const checks = await readiness(services);
    send(res, checks.nats && checks.postgres ? 200 : 503, JSON.stringify(checks));
    return true;
  }
  if (path === '/metrics') {
    const { registry } = services.metrics;
    send(res, 200, await registry.metrics(), registry.contentType);
    return true;
  }
  return false;
}

/** Ready means able to serve a request end to end: NATS connected and Postgres answering. */
async function readiness(services: Services): Promise<{ nats: boolean; postgres: boolean }> {
  const nats = !services.nats.nc.isClosed() && !services.nats.nc.isDraining();
  const postgres = await Promise.race([
    services.db.execute(sql`select 1`).then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((r) => setTimeout(() => r(false), 2_000).unref()),
  ]);
  return { nats, postgres };
}
