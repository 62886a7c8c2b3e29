import type { JetStreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM, TASK_STATUS_PROJECTION } from '@symbology/contracts';
import { isConsumerNotFound } from '@symbology/service';
import type postgres from 'postgres';
import { readCheckpoint } from '../projections/task-status/checkpoint';
import { countDeadLetters } from '../projections/task-status/dead-letters';
import { readStreamState, sameStream } from '../stream/stream-state';

export type LagReport = {
  stream: string;
  head: number;
  streamCreated: string;
  checkpoint: number | null;
  checkpointUpdatedAt: string | null;
  /** Events on the stream the tables do not reflect yet. */
  lag: number;
  /** False when the checkpoint belongs to another stream or is past its head. */
  checkpointFits: boolean;
  deadLetters: { total: number; pending: number };
  consumer: { pending: number; ackPending: number; redelivered: number } | null;
};

export async function readLag(deps: { jsm: JetStreamManager; sql: postgres.Sql }): Promise<LagReport> {
  const stream = await readStreamState(deps.jsm);
  const checkpoint = await readCheckpoint(deps.sql);
  const deadLetters = await countDeadLetters(deps.sql);
  const consumer = await deps.jsm.consumers.info(INGEST_STREAM, TASK_STATUS_PROJECTION).then(
    (c) => ({ pending: c.num_pending, ackPending: c.num_ack_pending, redelivered: c.num_redelivered }),
    (error: unknown) => {
      if (isConsumerNotFound(error)) return null;
      throw error;
    },
  );
  const at = checkpoint?.lastSeq ?? 0;
  return {
    stream: INGEST_STREAM,
    head: stream.head,
    streamCreated: stream.created,
    checkpoint: checkpoint?.lastSeq ?? null,
    checkpointUpdatedAt: checkpoint?.updatedAt.toISOString() ?? null,
    lag: Math.max(0, stream.head - at),
    checkpointFits: !checkpoint || (sameStream(checkpoint, stream) && checkpoint.lastSeq <= stream.head),
    deadLetters,
    consumer,
  };
}
