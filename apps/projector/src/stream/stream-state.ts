import type { JetStreamManager } from '@nats-io/jetstream';
import { INGEST_STREAM } from '@symbology/contracts';
import { isStreamNotFound } from '@symbology/service';
import { CheckpointMismatchError, StreamMissingError } from '../errors';
import type { Checkpoint } from '../projections/task-status/checkpoint';

export type StreamState = { head: number; firstSeq: number; createdAt: Date; created: string };

export async function readStreamState(jsm: JetStreamManager): Promise<StreamState> {
  try {
    const info = await jsm.streams.info(INGEST_STREAM);
    return {
      head: info.state.last_seq,
      firstSeq: info.state.first_seq,
      createdAt: new Date(info.created),
      created: info.created,
    };
  } catch (error) {
    if (isStreamNotFound(error)) {
      throw new StreamMissingError(
        `JetStream stream ${INGEST_STREAM} does not exist on this NATS server: provision it first ` +
          '(`pnpm start` does, or run ensureStreams from @symbology/service as the operator user)',
      );
    }
    throw error;
  }
}

/** The stream's identity is its creation time; Postgres keeps it to the millisecond we compare. */
export function sameStream(checkpoint: Pick<Checkpoint, 'streamCreatedAt'>, stream: StreamState): boolean {
  return checkpoint.streamCreatedAt.getTime() === stream.createdAt.getTime();
}

/** Throws, with what to do about it, when the checkpoint cannot belong to this stream. */
export function assertCheckpointFits(checkpoint: Checkpoint | undefined, stream: StreamState): void {
  if (!checkpoint) return;
  const fix =
    'Run `symbology-projector rebuild` (it replays the current stream and resets the checkpoint), see docs/operations.md.';
  if (!sameStream(checkpoint, stream)) {
    throw new CheckpointMismatchError(
      `refusing to start: the checkpoint was written for stream ${INGEST_STREAM} created ${checkpoint.streamCreatedAt.toISOString()}, ` +
        `but the stream now was created ${stream.created} (it was deleted and recreated). ${fix}`,
    );
  }
  if (checkpoint.lastSeq > stream.head) {
    throw new CheckpointMismatchError(
      `refusing to start: the checkpoint (seq ${checkpoint.lastSeq}) is ahead of stream ${INGEST_STREAM} (head seq ${stream.head}); ` +
        `the stream lost events or was recreated. ${fix}`,
    );
  }
}
