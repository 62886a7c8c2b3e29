import type { ServerResponse } from 'node:http';
import { createOpsHandler, natsCheck, postgresCheck, type OpsHandler } from '@symbology/service';
import type { Services } from '../services';

const handlers = new WeakMap<Services, OpsHandler>();

/**
 * Serves /healthz, /readyz and /metrics with the kit's handler (the same endpoints as the
 * ingestor's and the projector's); returns false for any other path. Ready means able to serve a
 * request end to end: NATS answers and Postgres answers.
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
  return handle(path, res);
}
