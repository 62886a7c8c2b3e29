import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type ApiMetrics = ReturnType<typeof createApiMetrics>;

/** Why a request or call was refused by a limit or guard: the `reason` label of `web_requests_refused_total`. */
export type RefusalReason =
  | 'body_too_large'
  | 'batch_too_large'
  | 'host_not_allowed'
  | 'subscriptions_per_socket'
  | 'subscriptions_per_peer'
  | 'ws_send_buffer_full'
  | 'http_send_buffer_full'
  | 'http_send_stalled'
  | 'call_rate_limited'
  | 'ingest_rate_limited'
  | 'ingest_queue_full'
  | 'ingest_peer_busy';

/**
 * The metrics the procedures and the status fan-out record, defined once here and registered on
 * the host's registry (apps/web adds its WebSocket metrics beside them and serves /metrics).
 * Names keep the `web_` prefix: the API is served by the web process and dashboards know them.
 */
export function createApiMetrics(registry: Registry) {
  return {
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
      help: 'Messages received on the status.> subscription (held: the edge fold already had that version)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    edgeStatuses: new Counter({
      name: 'web_edge_statuses_total',
      help: 'Statuses folded by this process from the INGEST stream (delivered: some subscriber watches the task)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    edgeGaps: new Counter({
      name: 'web_edge_gaps_total',
      help: 'Times the edge fold saw a sequence gap and made every subscriber re-read',
      registers: [registry],
    }),
    statusReadRetries: new Counter({
      name: 'web_status_read_retries_total',
      help: 'Reads of a task status that failed inside a live subscription and were retried',
      registers: [registry],
    }),
    refused: new Counter({
      name: 'web_requests_refused_total',
      help: 'Requests and calls refused by a limit or guard, by reason',
      labelNames: ['reason'] as const,
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
