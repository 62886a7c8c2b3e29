import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { StreamEntry } from '@symbology/contracts';
import { LIVE_TASK_TABLES, loadAllStatuses } from '@symbology/db';
import type postgres from 'postgres';
import { readCheckpoint } from '../projections/task-status/checkpoint';
import { classifyEntry } from '../projections/task-status/classify-entry';
import { loadSetAside } from '../projections/task-status/dead-letters';
import { foldBatch } from '../projections/task-status/fold-batch';
import { readRange } from '../stream/read-range';
import { readStreamState, sameStream } from '../stream/stream-state';
import { diffStatuses, type Difference } from './diff-statuses';

export type VerifyReport = {
  /** The tables were compared with the fold of the stream up to this sequence (the checkpoint). */
  throughSeq: number;
  head: number;
  tasks: number;
  /** Entries that do not parse (dead letters the stream's producer must fix). */
  skipped: number;
  /** Valid events the projector could not write and set aside (their tasks show an error): need a person. */
  setAside: Array<{ seq: number; reason: string }>;
  problems: string[];
  differences: Difference[];
};

/**
 * Folds the stream the way the live projector does (the contracts' `evolve`, the events set aside
 * marking their tasks) up to the checkpoint and compares it with
 * tasks + task_filings. Checkpoint and rows are read in one snapshot, so a live projector
 * committing meanwhile does not produce false differences.
 */
export async function verify(deps: {
  js: JetStreamClient;
  jsm: JetStreamManager;
  sql: postgres.Sql;
}): Promise<VerifyReport> {
  const { checkpoint, found, setAside } = await deps.sql.begin(
    'isolation level repeatable read read only',
    async (tx) => ({
      checkpoint: await readCheckpoint(tx),
      found: await loadAllStatuses(tx, LIVE_TASK_TABLES),
      setAside: await loadSetAside(tx),
    }),
  );
  const stream = await readStreamState(deps.jsm);
  const problems: string[] = [];
  if (checkpoint && !sameStream(checkpoint, stream))
    problems.push('the checkpoint belongs to another stream (created at another time)');
  if (checkpoint && checkpoint.lastSeq > stream.head)
    problems.push(`the checkpoint (${checkpoint.lastSeq}) is ahead of the stream head (${stream.head})`);
  const through = Math.min(checkpoint?.lastSeq ?? 0, stream.head);
  const entries: StreamEntry[] = [];
  for await (const chunk of readRange(deps.js, { fromSeq: 1, toSeq: through })) entries.push(...chunk);
  // The live projector's fold, set-aside events included, so that like is compared with like.
  const classified = entries.map(classifyEntry);
  const folded = foldBatch(new Map(), classified, setAside);
  return {
    throughSeq: through,
    head: stream.head,
    tasks: folded.changed.size,
    skipped: classified.filter((c) => !c.ok).length,
    setAside: [...setAside].filter(([seq]) => seq <= through).map(([seq, reason]) => ({ seq, reason })),
    problems,
    differences: diffStatuses(folded.changed, found),
  };
}
