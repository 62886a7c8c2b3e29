import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export type ProjectorMetrics = ReturnType<typeof createMetrics>;

/** A registry per projector, so that two projectors in one process (tests) do not collide. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'projector_' });
  const registers = [registry];
  return {
    registry,
    /** Events folded into the tables; `rate()` of it is the projector's events/s. */
    eventsProjected: new Counter({
      name: 'projector_events_projected_total',
      help: 'Events folded into the task status tables',
      registers,
    }),
    batchSize: new Histogram({
      name: 'projector_batch_size',
      help: 'Stream messages per committed batch',
      buckets: [1, 10, 50, 100, 250, 500, 1_000, 2_000, 5_000, 10_000],
      registers,
    }),
    batchSeconds: new Histogram({
      name: 'projector_batch_duration_seconds',
      help: 'Time to fold and commit one batch',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    lag: new Gauge({ name: 'projector_lag_events', help: 'Stream head minus the committed checkpoint', registers }),
    checkpoint: new Gauge({ name: 'projector_checkpoint_seq', help: 'Last stream sequence committed', registers }),
    deadLetters: new Counter({
      name: 'projector_dead_letters_total',
      help: 'Messages recorded as dead letters by this process',
      registers,
    }),
    transientErrors: new Counter({
      name: 'projector_transient_errors_total',
      help: 'Batches nak-ed after a database error',
      registers,
    }),
  };
}
