import { AckPolicy, DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { INGEST_STREAM, INGEST_SUBJECTS, TASK_STATUS_PROJECTION } from '@symbology/contracts';
import { ensureDurable, isConsumerNotFound, type DurableConfig } from '@symbology/service';
import type { Logger } from '../logger';

/** Upper bound on unacknowledged messages held by the projector (its reorder buffer included). */
export const MAX_ACK_PENDING = 20_000;

/**
 * Provisions the projection's durable consumer so that it starts right after the checkpoint.
 * Postgres holds the truth: a durable whose ack floor is past the checkpoint (the database was
 * restored, or a rebuild reset the projection) would never redeliver what the tables lack, so it
 * is recreated at checkpoint + 1. One at or behind the checkpoint keeps its position (what it
 * redelivers below the checkpoint is acked and skipped).
 */
export async function ensureProjectionConsumer(
  jsm: JetStreamManager,
  checkpoint: number,
  logger: Logger,
): Promise<void> {
  const info = await jsm.consumers.info(INGEST_STREAM, TASK_STATUS_PROJECTION).catch((error: unknown) => {
    if (isConsumerNotFound(error)) return undefined;
    throw error;
  });
  if (info && info.ack_floor.stream_seq > checkpoint) {
    logger.warn(
      { ackFloor: info.ack_floor.stream_seq, checkpoint },
      'durable consumer is ahead of the checkpoint: recreating it',
    );
    await jsm.consumers.delete(INGEST_STREAM, TASK_STATUS_PROJECTION);
  }
  await ensureDurable(jsm, INGEST_STREAM, consumerConfig(checkpoint));
}

function consumerConfig(checkpoint: number): DurableConfig {
  return {
    durable_name: TASK_STATUS_PROJECTION,
    filter_subject: INGEST_SUBJECTS,
    ack_policy: AckPolicy.Explicit,
    // The start position applies when the durable is created (ensureDurable leaves an existing one's).
    ...(checkpoint > 0
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: checkpoint + 1 }
      : { deliver_policy: DeliverPolicy.All }),
    ack_wait: nanos(30_000),
    max_ack_pending: MAX_ACK_PENDING,
    max_deliver: -1,
  };
}
