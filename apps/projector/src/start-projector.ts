import { setTimeout as sleep } from 'node:timers/promises';
import { INGEST_STREAM, TASK_STATUS_PROJECTION } from '@symbology/contracts';
import {
  isBackendUnavailable,
  isConsumerNotFound,
  natsCheck,
  newInstanceId,
  postgresCheck,
  startOpsServer,
  stateCheck,
  type OpsServer,
  type ReadinessCheck,
  untilAvailable,
} from '@symbology/service';
import { openConnections, type ConnectionConfig, type Connections } from './connections';
import { ensureProjectionConsumer, MAX_ACK_PENDING } from './consumer/ensure-consumer';
import { LiveProjector } from './consumer/live-projector';
import { PROJECTOR_DEFAULTS as DEFAULTS } from './defaults';
import { waitForAdvisoryLock, WRITER_LOCK, type HeldLock } from './consumer/advisory-lock';
import { CheckpointMismatchError, LockLostError, SchemaError } from './errors';
import { createLogger, type Logger } from './logger';
import { createMetrics, type ProjectorMetrics } from './ops/metrics';
import { initCheckpoint, readCheckpoint } from './projections/task-status/checkpoint';
import { assertCheckpointFits, checkpointMisfit, readStreamState } from './stream/stream-state';

/** After losing the writer lock, how long an instance waits before trying to take it again. */
const YIELD_AFTER_LOSS_MS = 3_000;

export type ProjectorConfig = ConnectionConfig & {
  /** Most events in one transaction (default PROJECTOR_DEFAULTS.batchSize). */
  batchSize?: number;
  /** How long a batch that is not full waits for more events (default PROJECTOR_DEFAULTS.lingerMs). */
  lingerMs?: number;
  /** Port of /healthz, /readyz, /metrics; no ops server when omitted (0 picks a free port). */
  httpPort?: number;
  /** The interface the ops server listens on; loopback when omitted. */
  host?: string;
  /** Reported by /healthz and /readyz; a fresh UUID when omitted. */
  instanceId?: string;
  logger?: Logger;
  gapTimeoutMs?: number;
  /** Tries at one event the database refuses before it is set aside as a dead letter (default 3). */
  poisonAttempts?: number;
  /** `/readyz` fails once the checkpoint has not moved for this long while the stream holds more (default 60 s). */
  stallMs?: number;
  /** Most sequences held out of order ahead of the checkpoint (default: the durable's max_ack_pending). */
  reorderCapacity?: number;
  /** How often the writer lock's session is asked whether it still holds the lock (default 1 s). */
  lockCheckMs?: number;
};

export type ProjectorState = 'waiting-for-lock' | 'running' | 'stopping' | 'stopped' | 'failed';

export type RunningProjector = {
  stop(): Promise<void>;
  readonly state: ProjectorState;
  /** Resolves after stop(); rejects if the projector fails (it then stops by itself). */
  readonly done: Promise<void>;
  /** Resolves once this instance holds the writer lock and consumes. */
  readonly running: Promise<void>;
  readonly metrics: ProjectorMetrics;
  readonly httpPort: number | undefined;
};

/**
 * Starts the live task-status projector. Throws at once when the stream is missing, the tables
 * are missing, or the checkpoint does not fit the stream; otherwise returns while the projector
 * waits for the writer lock (a second instance stands by) and then consumes.
 */
export async function startProjector(config: ProjectorConfig): Promise<RunningProjector> {
  const logger = config.logger ?? createLogger();
  const conns = await openConnections(config, 'symbology-projector');
  let ops: OpsServer | undefined;
  try {
    await assertReadyOnceAvailable(conns, logger);
    const metrics = createMetrics();
    const abort = new AbortController();
    let state: ProjectorState = 'waiting-for-lock';
    let live: LiveProjector | undefined;
    let heldLock: HeldLock | undefined;
    let markRunning = () => {};
    const running = new Promise<void>((resolve) => (markRunning = resolve));
    ops =
      config.httpPort === undefined
        ? undefined
        : await startOpsServer({
            port: config.httpPort,
            host: config.host,
            instanceId: config.instanceId ?? newInstanceId(),
            metrics: metrics.registry,
            checks: readinessChecks({
              conns,
              state: () => state,
              live: () => live,
              lock: () => heldLock,
              stallMs: config.stallMs ?? DEFAULTS.stallMs,
            }),
          });

    /**
     * Holds the writer lock and projects; when the lock's session dies (a Postgres restart, a
     * terminated backend), stops at once, stands by and takes the lock again before writing.
     */
    const body = async () => {
      // Set once this instance has held the lock: every later take continues the same run.
      let retake = false;
      while (!abort.signal.aborted) {
        const lock = await waitForAdvisoryLock(conns.sql, WRITER_LOCK, {
          signal: abort.signal,
          onBusy: () => logger.info('another projector holds the writer lock: standing by'),
          onUnavailable: (error) =>
            logger.warn({ err: error }, 'database unavailable: waiting to take the writer lock'),
        });
        if (!lock) return;
        heldLock = lock;
        try {
          await projectWhileHeld(lock, retake);
        } catch (error) {
          if (error instanceof LockLostError) onLockLost(error.message);
          // The database or NATS went away under the writer (a restart): stand by and start over,
          // as after a lost lock, rather than exit; anything else cannot be fixed by waiting.
          else if (isBackendUnavailable(error))
            logger.error({ err: error }, 'projection interrupted: a backend is unavailable');
          else throw error;
        } finally {
          retake = true;
          heldLock = undefined;
          live = undefined;
          await releaseQuietly(lock);
        }
        if (abort.signal.aborted) return;
        state = 'waiting-for-lock';
        // Let a standby that was polling take the lock first: it has a healthy session, and an
        // instance that just lost its session may be the one on the wrong side of the trouble.
        await sleep(YIELD_AFTER_LOSS_MS, undefined, { signal: abort.signal }).catch(() => {});
      }
    };

    const onLockLost = (detail: string) => {
      metrics.lockLost.inc();
      logger.error({ detail }, 'writer lock lost: stopped writing, standing by to take it again');
    };

    const projectWhileHeld = async (lock: HeldLock, retake: boolean) => {
      const stream = await readStreamState(conns.jsm);
      const checkpoint = await readCheckpoint(conns.sql);
      // A re-take (after a Postgres restart or a lost session) continues the run: the running check,
      // as every 2 s below. The head comparison belongs to the start only: a stream leader newly
      // elected in the same incident may briefly report a head below what was delivered.
      assertCheckpointFits(checkpoint, stream, retake ? 'running' : 'start');
      if (checkpoint && checkpoint.lastSeq > stream.head)
        logger.warn(
          { checkpoint: checkpoint.lastSeq, head: stream.head },
          'stream head below the checkpoint on re-taking the writer lock: going on (a new stream leader catching up)',
        );
      if (!checkpoint) await initCheckpoint(conns.sql, stream.createdAt);
      const startAt = checkpoint?.lastSeq ?? 0;
      // The stream this run's checkpoint belongs to. INGEST deleted and recreated while the
      // projector runs must stop it, as it would refuse to start: the new stream's sequences
      // up to the checkpoint would be skipped and the rest folded onto the old stream's tasks.
      const streamCreatedAt = checkpoint?.streamCreatedAt ?? stream.createdAt;
      const streamFits = async (committed: number) => {
        const now = await readStreamState(conns.jsm);
        const misfit = checkpointMisfit({ lastSeq: committed, streamCreatedAt }, now, 'running');
        if (misfit) throw misfit;
        return now;
      };
      const ensureConsumer = (at: number) => ensureProjectionConsumer(conns.jsm, at, logger);
      await ensureConsumer(startAt);
      const projector = new LiveProjector({
        ...conns,
        logger,
        metrics,
        batchSize: config.batchSize ?? DEFAULTS.batchSize,
        lingerMs: config.lingerMs ?? DEFAULTS.lingerMs,
        gapTimeoutMs: config.gapTimeoutMs ?? 5_000,
        poisonAttempts: config.poisonAttempts ?? DEFAULTS.poisonAttempts,
        reorderCapacity: config.reorderCapacity ?? MAX_ACK_PENDING,
        writer: { lock: WRITER_LOCK, pid: lock.pid },
        ensureConsumer,
        streamCreatedAt,
        checkStream: async (committed) => void (await streamFits(committed)),
      });
      live = projector;
      projector.setHead(stream.head);
      if (abort.signal.aborted) return;
      state = 'running';
      markRunning();
      logger.info({ checkpoint: startAt, head: stream.head, lockPid: lock.pid }, 'projector running');
      // Every 2 s: the stream head (for lag and the stall check), whether the stream is still the
      // one the checkpoint belongs to, and whether the durable still exists.
      const heads = setInterval(() => {
        void streamFits(projector.committed).then(
          (s) => projector.setHead(s.head),
          (error: unknown) => {
            if (error instanceof CheckpointMismatchError) projector.fail(error);
          },
        );
        void projector.checkConsumer().catch(() => {});
      }, 2_000);
      // Between batches too: the lock session is asked whether it still holds the lock.
      let lost = false;
      const watch = setInterval(() => {
        void lock
          .stillHeld()
          .then(
            (held) => held,
            () => false,
          )
          .then((held) => {
            if (held || lost || projector !== live) return;
            lost = true;
            projector.stop();
          });
      }, config.lockCheckMs ?? 1_000);
      try {
        await projector.run(startAt);
      } catch (error) {
        if (error instanceof CheckpointMismatchError) logger.fatal({ err: error }, error.message);
        throw error;
      } finally {
        clearInterval(heads);
        clearInterval(watch);
      }
      if (lost) throw new LockLostError(`the writer lock's session (pid ${lock.pid}) is gone`);
    };

    const done = body().then(
      () => {
        state = 'stopped';
      },
      (error: unknown) => {
        state = 'failed';
        logger.error({ err: error }, 'projector failed');
        throw error;
      },
    );
    done.catch(() => {});
    let closing: Promise<void> | undefined;
    const stop = () =>
      (closing ??= (async () => {
        if (state === 'running' || state === 'waiting-for-lock') state = 'stopping';
        abort.abort();
        live?.stop();
        await done.catch(() => {});
        await ops?.close();
        await conns.close();
        logger.info('projector stopped');
      })());
    done.catch(() => void stop());
    return {
      stop,
      get state() {
        return state;
      },
      done,
      running,
      metrics,
      httpPort: ops?.port,
    };
  } catch (error) {
    await ops?.close();
    await conns.close();
    throw error;
  }
}

/**
 * assertReady, waiting out a backend that cannot answer yet (see untilAvailable): a projector
 * restarted in the middle of a Postgres restart or a NATS election starts once it passes, rather
 * than exit 1 on a bare timeout, or exit 78 ("run pnpm db:migrate", left down by the launcher)
 * for a database that refused the connection. Refusals still fail at once.
 */
function assertReadyOnceAvailable(conns: Connections, logger: Logger): Promise<void> {
  return untilAvailable(
    () => assertReady(conns),
    (error, attempt, delayMs) =>
      logger.warn({ err: error, attempt, delayMs }, 'cannot start yet: NATS JetStream or Postgres does not answer'),
  );
}

/** Fails fast, with what to do, on a missing stream, missing tables or a checkpoint from another stream. */
async function assertReady(conns: Connections): Promise<void> {
  const stream = await readStreamState(conns.jsm);
  const checkpoint = await readCheckpoint(conns.sql).catch((error: unknown) => {
    // A database that does not answer is not a missing table: the caller waits for it.
    if (isBackendUnavailable(error)) throw error;
    throw new SchemaError('cannot read projection_checkpoints: run `pnpm db:migrate` against DATABASE_URL', {
      cause: error,
    });
  });
  assertCheckpointFits(checkpoint, stream);
}

/**
 * Ready: NATS and the database answer, this instance holds the writer lock (a standby does not:
 * it is healthy, not ready), the durable consumer exists, and the checkpoint moves whenever the
 * stream holds more than it. Each is a named check, so `/readyz` says which one fails.
 */
function readinessChecks(deps: {
  conns: Connections;
  state: () => ProjectorState;
  live: () => LiveProjector | undefined;
  lock: () => HeldLock | undefined;
  stallMs: number;
}): ReadinessCheck[] {
  const { conns } = deps;
  return [
    natsCheck(conns.nc),
    postgresCheck(conns.sql, { name: 'database' }),
    {
      name: 'lock',
      run: async () => {
        const lock = deps.lock();
        const state = deps.state();
        if (state === 'waiting-for-lock')
          return { ok: false, detail: 'standing by: another instance holds the writer lock' };
        if (!lock || state !== 'running') return { ok: false, detail: state };
        return (await lock.stillHeld())
          ? { ok: true, detail: `writer lock held by session pid ${lock.pid}` }
          : { ok: false, detail: `writer lock lost (session pid ${lock.pid} is gone)` };
      },
    },
    {
      name: 'consumer',
      run: async () => {
        const info = await conns.jsm.consumers.info(INGEST_STREAM, TASK_STATUS_PROJECTION).catch((error: unknown) => {
          if (isConsumerNotFound(error)) return undefined;
          throw error;
        });
        if (!info) return { ok: false, detail: `durable ${TASK_STATUS_PROJECTION} does not exist on ${INGEST_STREAM}` };
        return { ok: true, detail: `${info.num_pending} pending, ${info.num_ack_pending} awaiting ack` };
      },
    },
    stateCheck('checkpoint', () => {
      const projector = deps.live();
      const behindMs = projector?.behindForMs() ?? 0;
      if (!projector || behindMs <= deps.stallMs) return { ok: true, detail: `seq ${projector?.committed ?? '-'}` };
      return {
        ok: false,
        detail: `stalled at seq ${projector.committed} for ${Math.round(behindMs / 1_000)} s (stream head ${projector.head})`,
      };
    }),
  ];
}

async function releaseQuietly(lock: HeldLock): Promise<void> {
  await lock.release().catch(() => {});
}
