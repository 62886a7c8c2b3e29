import { INGEST_STREAM, TASK_STATUS_PROJECTION } from '@symbology/contracts';
import type { Queryable } from '@symbology/db';
import { advisoryLockMatch } from '../../consumer/advisory-lock';

export type Checkpoint = { lastSeq: number; streamCreatedAt: Date; updatedAt: Date };
type CheckpointRow = { last_seq: string; stream_created_at: Date; updated_at: Date };

const toCheckpoint = (r: CheckpointRow): Checkpoint => ({
  lastSeq: Number(r.last_seq),
  streamCreatedAt: r.stream_created_at,
  updatedAt: r.updated_at,
});

export async function readCheckpoint(
  sql: Queryable,
  options: { forUpdate?: boolean } = {},
): Promise<Checkpoint | undefined> {
  const lock = options.forUpdate ? sql`for update` : sql``;
  const [row] = await sql<CheckpointRow[]>`
    select last_seq, stream_created_at, updated_at from projection_checkpoints
    where projection = ${TASK_STATUS_PROJECTION} ${lock}`;
  return row ? toCheckpoint(row) : undefined;
}

/** Creates the checkpoint at 0 for this stream when there is none; an existing one is kept. */
export async function initCheckpoint(sql: Queryable, streamCreatedAt: Date): Promise<void> {
  await sql`
    insert into projection_checkpoints (projection, stream, last_seq, stream_created_at)
    values (${TASK_STATUS_PROJECTION}, ${INGEST_STREAM}, 0, ${streamCreatedAt.toISOString()})
    on conflict (projection) do nothing`;
}

/** Sets the checkpoint whatever it was (a rebuild that resets the projection to a new stream). */
export async function setCheckpoint(sql: Queryable, lastSeq: number, streamCreatedAt: Date): Promise<void> {
  await sql`
    insert into projection_checkpoints (projection, stream, last_seq, stream_created_at)
    values (${TASK_STATUS_PROJECTION}, ${INGEST_STREAM}, ${lastSeq}, ${streamCreatedAt.toISOString()})
    on conflict (projection) do update set last_seq = excluded.last_seq,
      stream_created_at = excluded.stream_created_at, updated_at = now()`;
}

/**
 * What a batch's checkpoint move also checks: that `writer`'s session still holds the writer lock,
 * and that the checkpoint still belongs to the stream created at `streamCreatedAt`.
 */
export type CheckpointFence = { writer?: { lock: string; pid: number }; streamCreatedAt?: Date };

/**
 * Moves the checkpoint from `expected` to `next`, only if nobody else moved it: the fence that
 * keeps two writers (or a writer and a rebuild's reset) from interleaving. It runs first in a
 * batch transaction, so the checkpoint row is always the first lock a writer takes. With
 * `writer`, it also says whether the writer lock is still held by that session (pid), in the
 * same round trip: a writer whose lock session died must not commit. With `streamCreatedAt`, a
 * checkpoint of another stream (reset by a rebuild after INGEST was recreated) is not moved
 * either: 'conflict', as when another writer moved it (compared to the millisecond, as at start).
 */
export async function advanceCheckpoint(
  sql: Queryable,
  expected: number,
  next: number,
  fence: CheckpointFence = {},
): Promise<'moved' | 'conflict' | 'lock-lost'> {
  const { writer, streamCreatedAt } = fence;
  const held = writer
    ? sql`exists(select 1 from pg_locks l where l.pid = ${writer.pid} and ${advisoryLockMatch(sql, writer.lock)})`
    : sql`true`;
  const sameStream = streamCreatedAt
    ? sql`and date_trunc('milliseconds', stream_created_at) = ${streamCreatedAt.toISOString()}::timestamptz`
    : sql``;
  const [row] = await sql<{ held: boolean }[]>`
    update projection_checkpoints set last_seq = ${next}, updated_at = now()
    where projection = ${TASK_STATUS_PROJECTION} and last_seq = ${expected} ${sameStream}
    returning ${held} as held`;
  if (!row) return 'conflict';
  return row.held ? 'moved' : 'lock-lost';
}
