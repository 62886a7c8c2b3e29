import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlockList } from 'node:net';
import { createOpsHandler, natsCheck, postgresCheck, type OpsHandler } from '@symbology/service';
import type { Services } from '../services';
import { normalize } from './client-address';

const handlers = new WeakMap<Services, OpsHandler>();

/**
 * Serves /healthz, /readyz and /metrics with the kit's handler (the same endpoints as the
 * ingestor's and the projector's); returns false for any other path. Ready means able to serve a
 * request end to end: NATS answers and Postgres answers. This is the public port: /readyz says why
 * a check failed (the NATS server's address, the Postgres driver's message) only to a caller on
 * this machine; anyone else is told each check's name and whether it passes.
 */
export function handleOps(path: string, res: ServerResponse, services: Services): Promise<boolean> {
  let handle = handlers.get(services);
  if (!handle) {
    handle = createOpsHandler({
      instanceId: services.config.SYMBOLOGY_INSTANCE_ID,
      metrics: services.metrics.registry,
      checks: [natsCheck(services.nats.nc), postgresCheck(services.db.$client, { timeoutMs: 2_000 })],
    });
    handlers.set(services, handle);
  }
  return handle(path, res, { details: isLocalCaller(res.req) });
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/**
 * The peer is this machine and no proxy relayed the request: a reverse proxy on the same host is
 * a loopback peer too, but it says whom it relays (TRUSTED_PROXIES or not, the caller is remote).
 */
export function isLocalCaller(req: IncomingMessage): boolean {
  const { headers } = req;
  if (headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-real-ip'] !== undefined)
    return false;
  if (req.socket.remoteAddress === undefined) return false;
  const address = normalize(req.socket.remoteAddress);
  return loopback.check(address, address.includes(':') ? 'ipv6' : 'ipv4');
}
