import {
  natsCheck,
  newInstanceId,
  postgresCheck,
  startOpsServer,
  stateCheck,
  type OpsServer,
  type ReadinessCheck,
} from '@symbology/service';
import { openConnections, type ConnectionConfig, type Connections } from './connections';
import { ensureProjectionConsumer } from './consumer/ensure-consumer';
import { LiveProjector } from './consumer/live-projector';
import { waitForAdvisoryLock, WRITER_LOCK, type HeldLock } from './consumer/advisory-lock';
import { SchemaError } from './errors';
import { createLogger, type Logger } from './logger';
import { createMetrics, type ProjectorMetrics } from './ops/metrics';
import { initCheckpoint, readCheckpoint } from './projections/task-status/checkpoint';
import { assertCheckpointFits, readStreamState } from './stream/stream-state';

export type ProjectorConfig = ConnectionConfig & {
  batchSize?: number;
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
    await assertReady(conns);
    const metrics = createMetrics();
    const abort = new AbortController();
    let state: ProjectorState = 'waiting-for-lock';
    let live: LiveProjector | undefined;
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
            checks: readinessChecks(
              conns,
              () => state,
              () => live,
              config.stallMs ?? 60_000,
            ),
          });

    const body = async () => {
      const lock = await waitForAdvisoryLock(conns.sql, WRITER_LOCK, {
        signal: abort.signal,
        onBusy: () => logger.info('another projector holds the writer lock: standing by'),
      });
      if (!lock) return;
      try {
        const stream = await readStreamState(conns.jsm);
        const checkpoint = await readCheckpoint(conns.sql);
        assertCheckpointFits(checkpoint, stream);
        if (!checkpoint) await initCheckpoint(conns.sql, stream.createdAt);
        const startAt = checkpoint?.lastSeq ?? 0;
        await ensureProjectionConsumer(conns.jsm, startAt, logger);
        live = new LiveProjector({
          ...conns,
          logger,
          metrics,
          batchSize: config.batchSize ?? 2_000,
          gapTimeoutMs: config.gapTimeoutMs ?? 5_000,
          poisonAttempts: config.poisonAttempts ?? 3,
        });
        live.setHead(stream.head);
        if (abort.signal.aborted) return;
        state = 'running';
        markRunning();
        logger.info({ checkpoint: startAt, head: stream.head }, 'projector running');
        const heads = setInterval(
          () =>
            void readStreamState(conns.jsm).then(
              (s) => live?.setHead(s.head),
              () => {},
            ),
          2_000,
        );
        try {
          await live.run(startAt);
        } finally {
          clearInterval(heads);
        }
      } finally {
        await releaseQuietly(lock);
      }
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

/** Fails fast, with what to do, on a missing stream, missing tables or a checkpoint from another stream. */
async function assertReady(conns: Connections): Promise<void> {
  const stream = await readStreamState(conns.jsm);
  const checkpoint = await readCheckpoint(conns.sql).catch((error: unknown) => {
    throw new SchemaError('cannot read projection_checkpoints: run `pnpm db:migrate` against DATABASE_URL', {
      cause: error,
    });
  });
  assertCheckpointFits(checkpoint, stream);
}

/**
 * Ready: NATS and the database answer, this instance is the active writer (a standby is not),
 * and the checkpoint moves whenever the stream holds more than it.
 */
function readinessChecks(
  conns: Connections,
  state: () => ProjectorState,
  live: () => LiveProjector | undefined,
  stallMs: number,
): ReadinessCheck[] {
  return [
    natsCheck(conns.nc),
    postgresCheck(conns.sql, { name: 'database' }),
    stateCheck('writer', () => (state() === 'running' ? { ok: true } : { ok: false, detail: state() })),
    stateCheck('checkpoint', () => {
      const projector = live();
      const behindMs = projector?.behindForMs() ?? 0;
      if (!projector || behindMs <= stallMs) return { ok: true, detail: `seq ${projector?.committed ?? '-'}` };
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
