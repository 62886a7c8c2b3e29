import { LIVE_TASK_TABLES, loadStatuses, writeStatuses } from '@symbology/db';
import type postgres from 'postgres';
import { CheckpointMovedError, FoldError, LockLostError } from '../../errors';
import { advanceCheckpoint, type CheckpointFence } from './checkpoint';
import type { ClassifiedEntry } from './classify-entry';
import { insertDeadLetters } from './dead-letters';
import { foldBatch, taskIdsOf, type FoldedBatch } from './fold-batch';
import type { SetAside } from './set-aside';

/**
 * One live batch, one transaction: move the checkpoint from `fromSeq` to `throughSeq` (first, so
 * the checkpoint row is the first lock taken: a rebuild's swap holds it to freeze the tables),
 * load the batch's tasks, fold, upsert, record dead letters. Loading inside the transaction
 * means a batch that waited on a swap folds onto the swapped-in rows. Events in `setAside` are
 * recorded as dead letters and mark their task (see `markSetAside`). With `fence.writer`, the batch
 * commits only while that session still holds the writer lock (else LockLostError, rolled back);
 * with `fence.streamCreatedAt`, only while the checkpoint belongs to that stream (else
 * CheckpointMovedError, as when another writer moved it).
 */
export async function projectBatch(
  sql: postgres.Sql,
  fromSeq: number,
  throughSeq: number,
  entries: readonly ClassifiedEntry[],
  setAside?: SetAside,
  fence: CheckpointFence = {},
): Promise<FoldedBatch> {
  return sql.begin(async (tx) => {
    const moved = await advanceCheckpoint(tx, fromSeq, throughSeq, fence);
    if (moved === 'conflict')
      throw new CheckpointMovedError(`checkpoint is no longer ${fromSeq} of this stream: another writer committed`);
    if (moved === 'lock-lost')
      throw new LockLostError(`the writer lock's session (pid ${fence.writer?.pid}) is gone: not writing`);
    const prev = await loadStatuses(tx, LIVE_TASK_TABLES, taskIdsOf(entries));
    const folded = foldOrThrow(prev, entries, setAside);
    await writeStatuses(tx, LIVE_TASK_TABLES, folded.changed.values());
    await insertDeadLetters(tx, folded.deadLetters);
    return folded;
  });
}

function foldOrThrow(...args: Parameters<typeof foldBatch>): FoldedBatch {
  try {
    return foldBatch(...args);
  } catch (error) {
    throw new FoldError(`folding the batch threw: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
