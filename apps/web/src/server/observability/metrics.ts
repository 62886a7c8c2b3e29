import { createApiMetrics } from '@symbology/api';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

export type WebMetrics = ReturnType<typeof createMetrics>;

/**
 * One registry per server rather than prom-client's global one, so that tests and the benchmark
 * can run several servers in one process without metric name clashes.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    wsConnections: new Gauge({ name: 'web_ws_connections', help: 'Open WebSocket connections', registers: [registry] }),
    wsRejected: new Counter({
      name: 'web_ws_rejected_total',
      help: 'WebSocket upgrades refused',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    // What the procedures and the status fan-out record: defined by the api, on this registry.
    ...createApiMetrics(registry),
  };
}
