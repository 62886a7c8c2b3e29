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
    setAside: new Counter({
      name: 'projector_events_set_aside_total',
      help: 'Valid events the database refused (or the fold threw on) after retries, recorded as dead letters',
      registers,
    }),
    checkpointConflicts: new Counter({
      name: 'projector_checkpoint_conflicts_total',
      help: 'Batches refused because the checkpoint had moved (another writer committed first)',
      registers,
    }),
    lockLost: new Counter({
      name: 'projector_writer_lock_lost_total',
      help: 'Times this instance found its writer lock gone (its Postgres session ended) and stopped writing',
      registers,
    }),
    reorderBuffer: new Gauge({
      name: 'projector_reorder_buffer_size',
      help: 'Sequences delivered ahead of the checkpoint and held until the ones before them arrive',
      registers,
    }),
    reorderRefused: new Counter({
      name: 'projector_reorder_buffer_refused_total',
      help: 'Deliveries nak-ed because the reorder buffer was full (they come back later)',
      registers,
    }),
    gapSkipped: new Counter({
      name: 'projector_gap_sequences_skipped_total',
      help: 'Sequences the stream no longer holds (below first_seq or deleted), stepped over',
      registers,
    }),
    transientErrors: new Counter({
      name: 'projector_transient_errors_total',
      help: 'Batches nak-ed after a database error',
      registers,
    }),
  };
}
