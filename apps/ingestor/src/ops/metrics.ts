import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestObservation } from '../edgar/http-get';

export type IngestorMetrics = ReturnType<typeof createMetrics>;

/**
 * The ingestor's Prometheus metrics, on a registry of its own (not prom-client's global one) so
 * several ingestors in one test process do not collide.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const tasksInFlight = new Gauge({
    name: 'ingestor_tasks_in_flight',
    help: 'Ingestion tasks being worked on now',
    registers: [registry],
  });
  const tasks = new Counter({
    name: 'ingestor_tasks_total',
    help: 'Deliveries of ingestion requests settled, by outcome',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const tasksHeld = new Gauge({
    name: 'ingestor_tasks_held_for_database',
    help: 'Deliveries held now, heartbeated and not run, until Postgres answers again (INGEST_OUTAGE_HOLD_MS)',
    registers: [registry],
  });
  const outageHolds = new Counter({
    name: 'ingestor_outage_holds_total',
    help: 'Holds of a delivery through a Postgres outage, by how they ended: answered (the task resumed), expired, handed_back',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const edgarRequests = new Counter({
    name: 'ingestor_edgar_requests_total',
    help: 'HTTP requests made to EDGAR, by status ("error" when no response came)',
    labelNames: ['status'],
    registers: [registry],
  });
  const edgarLatency = new Histogram({
    name: 'ingestor_edgar_request_duration_seconds',
    help: 'Time for one EDGAR request, body included',
    labelNames: ['status'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const limiterWait = new Histogram({
    name: 'ingestor_edgar_limiter_wait_seconds',
    help: 'Time a request waited for a slot in the shared EDGAR rate limit',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  const eventsPublished = new Counter({
    name: 'ingestor_events_published_total',
    help: 'Events published to the INGEST stream, by type and whether the stream dropped them as duplicates',
    labelNames: ['type', 'duplicate'],
    registers: [registry],
  });
  const deadLetters = new Counter({
    name: 'ingestor_dead_letters_total',
    help: 'Poison messages dead-lettered',
    registers: [registry],
  });

  return {
    registry,
    tasksInFlight,
    tasks,
    tasksHeld,
    outageHolds,
    eventsPublished,
    deadLetters,
    observeRequest(o: RequestObservation) {
      const status = o.status === null ? 'error' : String(o.status);
      edgarRequests.inc({ status });
      edgarLatency.observe({ status }, o.ms / 1000);
    },
    observeLimiterWait(ms: number) {
      limiterWait.observe(ms / 1000);
    },
  };
}
