import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

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
    subscriptions: new Gauge({
      name: 'web_status_subscriptions',
      help: 'Active ingest.onStatus subscriptions',
      registers: [registry],
    }),
    messagesSent: new Counter({
      name: 'web_status_messages_sent_total',
      help: 'Status updates yielded to subscribers',
      registers: [registry],
    }),
    natsStatusReceived: new Counter({
      name: 'web_nats_status_received_total',
      help: 'Messages received on the status.> subscription',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    procedureSeconds: new Histogram({
      name: 'web_trpc_procedure_duration_seconds',
      help: 'tRPC procedure latency (subscriptions: time to set up)',
      labelNames: ['path', 'type', 'ok'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
