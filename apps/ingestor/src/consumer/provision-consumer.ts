import { AckPolicy, DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { INGEST_STREAM, INGESTOR_CONSUMER, subjects } from '@symbology/contracts';
import { ensureDurable, type DurableConfig } from '@symbology/service';

export type ConsumerSettings = {
  /** How long a delivery may go unacknowledged; the handler heartbeats with working() well within it. */
  ackWaitMs: number;
  /** Requests handed out and not yet acked, across every replica. */
  maxAckPending: number;
};

export function ingestorConsumerConfig(settings: ConsumerSettings): DurableConfig {
  return {
    durable_name: INGESTOR_CONSUMER,
    filter_subject: subjects.ofType('IngestRequested'),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(settings.ackWaitMs),
    // The server never gives a request up: a request whose deliveries ran out and that no one ended
    // would stay `processing` for good, and the server's only word of it is an advisory that is
    // lost when no one stores or hears it. The handler counts instead: a delivery past
    // INGEST_MAX_DELIVER runs nothing and ends the task, and if that is interrupted too, it comes back.
    max_deliver: -1,
    // No server-side `backoff`: nats-server 2.10 then ignores the delay of a nak on later deliveries
    // (measured: a 400 ms nak redelivered after backoff[1]). The handler naks with its own exponential
    // delay instead; a crashed holder's message comes back after ack_wait.
    // Bounds the requests handed out and not yet acked across all replicas: each replica holds at
    // most INGEST_CONCURRENCY (one pull per worker), plus a dead replica's until ack_wait passes.
    max_ack_pending: settings.maxAckPending,
  };
}

/**
 * Creates the durable `ingestor` consumer, or brings its settings up to date. Safe to run at every
 * start from every replica at once; kept apart from the consume loop, which only binds to it.
 */
export async function provisionIngestorConsumer(jsm: JetStreamManager, settings: ConsumerSettings): Promise<void> {
  await ensureDurable(jsm, INGEST_STREAM, ingestorConsumerConfig(settings));
}
