import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { foldStream, type StreamEntry } from '@symbology/contracts';
import { LIVE_TASK_TABLES, loadAllStatuses } from '@symbology/db';
import type postgres from 'postgres';
import { readCheckpoint } from '../projections/task-status/checkpoint';
import { readRange } from '../stream/read-range';
import { readStreamState, sameStream } from '../stream/stream-state';
import { diffStatuses, type Difference } from './diff-statuses';

export type VerifyReport = {
  /** The tables were compared with the fold of the stream up to this sequence (the checkpoint). */
  throughSeq: number;
  head: number;
  tasks: number;
  skipped: number;
  problems: string[];
  differences: Difference[];
};

/**
 * Folds the stream with the contracts' `foldStream` up to the checkpoint and compares it with
 * tasks + task_filings. Checkpoint and rows are read in one snapshot, so a live projector
 * committing meanwhile does not produce false differences.
 */
export async function verify(deps: {
  js: JetStreamClient;
  jsm: JetStreamManager;
  sql: postgres.Sql;
}): Promise<VerifyReport> {
  const { checkpoint, found } = await deps.sql.begin('isolation level repeatable read read only', async (tx) => ({
    checkpoint: await readCheckpoint(tx),
    found: await loadAllStatuses(tx, LIVE_TASK_TABLES),
  }));
  const stream = await readStreamState(deps.jsm);
  const problems: string[] = [];
  if (checkpoint && !sameStream(checkpoint, stream))
    problems.push('the checkpoint belongs to another stream (created at another time)');
  if (checkpoint && checkpoint.lastSeq > stream.head)
    problems.push(`the checkpoint (${checkpoint.lastSeq}) is ahead of the stream head (${stream.head})`);
  const through = Math.min(checkpoint?.lastSeq ?? 0, stream.head);
  const entries: StreamEntry[] = [];
  for await (const chunk of readRange(deps.js, { fromSeq: 1, toSeq: through })) entries.push(...chunk);
  const folded = foldStream(entries);
  return {
    throughSeq: through,
    head: stream.head,
    tasks: folded.statuses.size,
    skipped: folded.skipped.length,
    problems,
    differences: diffStatuses(folded.statuses, found),
  };
}
