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
export function sameStream(
  checkpoint: Pick<Checkpoint, 'streamCreatedAt'>,
  stream: Pick<StreamState, 'createdAt'>,
): boolean {
  return checkpoint.streamCreatedAt.getTime() === stream.createdAt.getTime();
}

/** What the operator does about a checkpoint that does not fit the stream (see docs/operations.md). */
const REBUILD_FIX =
  'Run `symbology-projector rebuild` (it replays the current stream and resets the checkpoint), see docs/operations.md.';

/**
 * Why the checkpoint cannot belong to this stream (undefined: it can), as the error to throw:
 * `when` says whether the projector refuses to start or stops while running.
 */
export function checkpointMisfit(
  checkpoint: Pick<Checkpoint, 'lastSeq' | 'streamCreatedAt'>,
  stream: StreamState,
  when: 'start' | 'running' = 'start',
): CheckpointMismatchError | undefined {
  const prefix = when === 'start' ? 'refusing to start' : 'stopped projecting';
  if (!sameStream(checkpoint, stream)) {
    return new CheckpointMismatchError(
      `${prefix}: the checkpoint was written for stream ${INGEST_STREAM} created ${checkpoint.streamCreatedAt.toISOString()}, ` +
        `but the stream now was created ${stream.created} (it was deleted and recreated). ${REBUILD_FIX}`,
    );
  }
  // Only at start: while running, a cluster's new stream leader may answer with a head it has not
  // applied up to yet, and stopping on that would take a healthy projector down. A recreated
  // stream always shows in its creation time.
  if (when === 'start' && checkpoint.lastSeq > stream.head) {
    return new CheckpointMismatchError(
      `${prefix}: the checkpoint (seq ${checkpoint.lastSeq}) is ahead of stream ${INGEST_STREAM} (head seq ${stream.head}); ` +
        `the stream lost events or was recreated. ${REBUILD_FIX}`,
    );
  }
  return undefined;
}

/** Throws, with what to do about it, when the checkpoint cannot belong to this stream. */
export function assertCheckpointFits(
  checkpoint: Checkpoint | undefined,
  stream: StreamState,
  when: 'start' | 'running' = 'start',
): void {
  const misfit = checkpoint && checkpointMisfit(checkpoint, stream, when);
  if (misfit) throw misfit;
}
