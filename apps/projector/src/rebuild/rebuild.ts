import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { analyzeShadowTables, createShadowTables, dropShadowTables, type Queryable } from '@symbology/db';
import type { Worker } from 'node:worker_threads';
import type postgres from 'postgres';
import { lockHolder, REBUILD_LOCK, tryAdvisoryLock, WRITER_LOCK, type HeldLock } from '../consumer/advisory-lock';
import { publishStatuses } from '../consumer/publish-status';
import { CheckpointMismatchError, RebuildBusyError } from '../errors';
import type { Logger } from '../logger';
import { readCheckpoint, setCheckpoint } from '../projections/task-status/checkpoint';
import { loadSetAside } from '../projections/task-status/dead-letters';
import { readRange } from '../stream/read-range';
import { readStreamState, sameStream } from '../stream/stream-state';
import { resolveScope, type RebuildScope } from './rebuild-scope';
import { defaultRebuildWorkers, RebuildFold } from './rebuild-fold';
import { swapIn } from './swap-in';

export type { RebuildScope };

export type RebuildProgress = { phase: 'replay' | 'catch-up' | 'swap'; read: number; expected: number };

export type RebuildOptions = {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  sql: postgres.Sql;
  logger: Logger;
  scope: RebuildScope;
  /** After each chunk read, and before the swap; a returned promise is waited for (tests pause there). */
  onProgress?: (p: RebuildProgress) => void | Promise<void>;
  /** Runs inside the swap transaction (dead-letters retry marks its row there). */
  onSwap?: (tx: Queryable) => Promise<void>;
  /** A dead letter being retried: its event is folded again instead of staying set aside. */
  retrying?: number;
  /** Worker threads that parse and fold (PROJECTOR_REBUILD_WORKERS); 0 folds on the main thread. */
  workers?: number;
  /** Told the fold's worker threads once they are started (tests end one). */
  onWorkers?: (threads: readonly Worker[]) => void;
};

export type RebuildReport = {
  scope: RebuildScope;
  /** Events read from the stream, unparseable ones included. */
  read: number;
  /** Worker threads that folded them (0: the main thread did). */
  workers: number;
  skipped: number;
  /** Rows in the rebuilt scope. */
  tasks: number;
  filings: number;
  /** Of which live rows the swap had to insert, update or delete (the rest were already right). */
  changedTasks: number;
  changedFilings: number;
  /** The checkpoint the swapped-in rows correspond to. */
  throughSeq: number;
  /** True when the checkpoint was missing or belonged to another stream and was reset. */
  resetCheckpoint: boolean;
  seconds: number;
  /** Of which: the swap transaction (final catch-up, writing the differing rows, commit). */
  swapSeconds: number;
};

/** Live checkpoint distance under which the rebuild stops catching up and swaps. */
const SWAP_DISTANCE = 2_000;

/**
 * Replays the stream into shadow tables and swaps them in while the live projector runs.
 *
 * The shadow only ever holds the fold up to the live checkpoint, never past it: the first replay
 * goes to the checkpoint of the moment, catch-up rounds follow it, and the swap transaction
 * first locks the checkpoint row (`for update`). Every live batch moves that row as its first
 * statement, so from then on the live tables are frozen at checkpoint C; the rebuild folds the
 * last events up to C, writes the live rows that differ from the shadow's and commits; the
 * waiting live batch then continues from C + 1 on top of the swapped-in rows. No update is lost
 * and none is applied twice.
 *
 * With no checkpoint, or one from another stream (recreated stream), only a full rebuild is
 * allowed, with no live projector running: it replays to the stream head and resets the checkpoint.
 *
 * The main thread reads and writes; parsing and folding run in `workers` threads (RebuildFold),
 * which start first so they load while the rebuild prepares, and end with it whatever happens.
 */
export async function rebuild(options: RebuildOptions): Promise<RebuildReport> {
  const { sql, logger } = options;
  const started = performance.now();
  const lock = await tryAdvisoryLock(sql, REBUILD_LOCK);
  if (!lock)
    throw new RebuildBusyError(
      `another rebuild is running (${(await lockHolder(sql, REBUILD_LOCK)) ?? 'unknown holder'})`,
    );
  let writer: HeldLock | undefined;
  let folding: RebuildFold | undefined;
  try {
    const workers = options.workers ?? defaultRebuildWorkers();
    const fold = new RebuildFold(workers);
    folding = fold;
    options.onWorkers?.(fold.threads);
    const stream = await readStreamState(options.jsm);
    const checkpoint = await readCheckpoint(sql);
    const reset = !checkpoint || !sameStream(checkpoint, stream) || checkpoint.lastSeq > stream.head;
    if (reset) writer = await takeWriterForReset(options);
    const target = reset ? stream.head : checkpoint.lastSeq;
    const scope = await resolveScope(options.js, options.jsm, options.scope, target);
    logger.info({ scope: options.scope, target, reset }, 'rebuild started');

    await createShadowTables(sql);
    const setAside = await loadSetAside(sql, { except: options.retrying });
    fold.start({ owned: scope.taskIds ? new Set(scope.taskIds) : undefined, setAside });
    const progress = (phase: RebuildProgress['phase']) =>
      options.onProgress?.({ phase, read: fold.read, expected: Math.max(scope.expected, fold.read) });
    let through = 0;
    const replay: Replay = async (db, fromSeq, toSeq, filter) => {
      if (toSeq < fromSeq || toSeq === 0) return;
      for await (const chunk of readRange(options.js, { fromSeq, toSeq, ...(filter ? { filter } : {}) })) {
        await fold.apply(db, chunk);
        await progress(fromSeq === 1 ? 'replay' : 'catch-up');
      }
      await fold.flush(db);
      through = toSeq;
    };

    if (scope.expected > 0) await replay(sql, 1, target, scope.filter);
    through = target;
    if (!reset) await catchUp(sql, () => through, replay);
    await fold.flush(sql);
    // Outside the swap's lock: the planner then hashes the swap's joins instead of guessing.
    await analyzeShadowTables(sql);

    await progress('swap');
    const swapStarted = performance.now();
    const counts = await sql.begin(async (tx) => {
      if (reset) {
        await setCheckpoint(tx, target, stream.createdAt);
      } else {
        const live = await readCheckpoint(tx, { forUpdate: true });
        if (!live || !sameStream(live, stream))
          throw new CheckpointMismatchError('the checkpoint changed stream during the rebuild: run it again');
        await replay(tx, through + 1, live.lastSeq);
        through = live.lastSeq;
      }
      await fold.flush(tx);
      const swapped = await swapIn(tx, scope.taskIds);
      await options.onSwap?.(tx);
      return swapped;
    });
    await dropShadowTables(sql);
    // A partial rebuild announces what it replaced (at versions a web process may hold with the
    // old content: as replacements); a full one would flood every subscriber.
    if (options.scope.kind !== 'all') publishStatuses(options.nc, await fold.statuses(), () => true);
    const report: RebuildReport = {
      scope: options.scope,
      read: fold.read,
      workers,
      skipped: fold.skipped,
      tasks: counts.tasks,
      filings: counts.filings,
      changedTasks: counts.changedTasks,
      changedFilings: counts.changedFilings,
      throughSeq: through,
      resetCheckpoint: reset,
      seconds: (performance.now() - started) / 1_000,
      swapSeconds: (performance.now() - swapStarted) / 1_000,
    };
    logger.info(report, 'rebuild swapped in');
    return report;
  } finally {
    await folding?.close();
    await writer?.release();
    await lock.release();
  }
}

type Replay = (db: Queryable, fromSeq: number, toSeq: number, filter?: string) => Promise<void>;

/** Follows the live checkpoint until it is close enough to finish under the row lock. */
async function catchUp(sql: postgres.Sql, through: () => number, replay: Replay): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const live = await readCheckpoint(sql);
    if (!live || live.lastSeq - through() <= SWAP_DISTANCE) return;
    await replay(sql, through() + 1, live.lastSeq);
  }
}

async function takeWriterForReset(options: RebuildOptions): Promise<HeldLock> {
  if (options.scope.kind !== 'all') {
    throw new CheckpointMismatchError(
      'the checkpoint is missing or belongs to another stream: only a full `rebuild` (no --task / --from-seq) can reset it',
    );
  }
  const writer = await tryAdvisoryLock(options.sql, WRITER_LOCK);
  if (!writer) {
    const holder = (await lockHolder(options.sql, WRITER_LOCK)) ?? 'unknown holder';
    throw new CheckpointMismatchError(
      `the checkpoint must be reset but a live projector holds the writer lock (${holder}): stop it first`,
    );
  }
  return writer;
}
