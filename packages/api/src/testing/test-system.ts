import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  evolve,
  INFLIGHT_BUCKET,
  INGEST_STREAM,
  subjects,
  TASK_STATUS_PROJECTION,
  type IngestEvent,
  type TaskStatus,
} from '@symbology/contracts';
import { createDb, LIVE_TASK_TABLES, loadStatuses, writeStatuses, type Database } from '@symbology/db';
import type { RunningNatsCluster, RunningNatsServer, TestDatabase } from '@symbology/dev-services';
import { publishEvent } from '@symbology/service';
import {
  startClusterTestSystem as startClusterInfrastructure,
  startTestSystem as startInfrastructure,
} from '@symbology/test-system';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { ApiServices } from '../context';
import { RateLimiter } from '../limits/rate-limiter';
import { PeerTasks } from '../limits/peer-tasks';
import { StatusFanout } from '../ingest/status-fanout';
import { TaskTimelines } from '../ingest/task-timelines';
import { createApiMetrics } from '../metrics';

export type ServiceOptions = {
  statusResyncMs?: number;
  refreshAfterMs?: number;
  ingestQueueMax?: number;
  ingestActivePerPeer?: number;
  ingestWaitingPerPeer?: number;
  ingestRateLimit?: { perMinute: number; burst: number };
  /** Every call's limit per peer (default: far above what any test sends). */
  callRateLimit?: { perMinute: number; burst: number };
  /** The web process's own fold of the stream (default on). */
  edgeFold?: boolean;
  /** Where the services log their warnings and errors (default: nowhere). */
  log?: { write(line: string): void };
};

export type TestSystem = {
  nats: RunningNatsServer;
  database: TestDatabase;
  db: Database;
  /**
   * Publishes each event on INGEST as its producer would (web or ingestor user), then projects
   * it as one projector commit: the contracts' `evolve` onto the stored status at the event's
   * stream sequence, the read model's writer, and the announcement on `status.<taskId>`.
   * Returns the status after the last event.
   */
  project(...events: IngestEvent[]): Promise<TaskStatus>;
  /** Publishes each event on INGEST as its producer would, without projecting it; returns the sequences. */
  publish(...events: IngestEvent[]): Promise<number[]>;
  /** The services apps/web builds at boot, on this system (web's NATS user); stop() closes them. */
  services(options?: ServiceOptions): Promise<ApiServices>;
  stop(): Promise<void>;
};

/** A real nats-server from nats.conf and a throwaway migrated database, provisioned like production. */
export async function startTestSystem(): Promise<TestSystem> {
  const infrastructure = await startInfrastructure();
  const { nats } = infrastructure;
  return { nats, ...(await systemOn(infrastructure, nats, once)) };
}

export type ClusterTestSystem = Omit<TestSystem, 'nats'> & { cluster: RunningNatsCluster };

/**
 * The same on a three-node JetStream cluster, every stream at R3. A publish or projection that
 * fails while the cluster elects a leader is done again: the publish is deduplicated by event id
 * and the fold ignores what it holds.
 */
export async function startClusterTestSystem(): Promise<ClusterTestSystem> {
  const infrastructure = await startClusterInfrastructure();
  const { cluster } = infrastructure;
  return { cluster, ...(await systemOn(infrastructure, cluster, untilElected)) };
}

/** Runs one step of publishing or projecting: once on one server; on a cluster, again while a leader is elected. */
type Step = <T>(step: () => Promise<T>) => Promise<T>;

const once: Step = (step) => step();

const untilElected: Step = async (step) => {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (attempt >= 10) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
};

async function systemOn(
  infrastructure: { database: TestDatabase; stop(): Promise<void> },
  nats: Pick<RunningNatsServer, 'connect'>,
  step: Step,
): Promise<Omit<TestSystem, 'nats'>> {
  const { database } = infrastructure;
  const connections: NatsConnection[] = [];
  const connect = async (role: 'web' | 'ingestor' | 'projector') => {
    const nc = await nats.connect(role);
    connections.push(nc);
    return nc;
  };
  const web = jetstream(await connect('web'));
  const ingestor = jetstream(await connect('ingestor'));
  const projector = await connect('projector');
  const projectorJsm = await jetstreamManager(projector);
  const db = createDb(database.url, { max: 4 });
  const opened: ApiServices[] = [];

  // The web publishes what a person asks for (a request, a cancel); the ingestor everything else.
  const publishOne = async (event: IngestEvent) =>
    (
      await publishEvent(
        event.type === 'IngestRequested' || event.type === 'IngestCancelRequested' ? web : ingestor,
        event,
      )
    ).seq;
  const publishAndFold = async (event: IngestEvent) => {
    const seq = await publishOne(event);
    const streamCreated = new Date((await projectorJsm.streams.info(INGEST_STREAM)).created);
    return db.$client.begin(async (tx) => {
      const before = (await loadStatuses(tx, LIVE_TASK_TABLES, [event.taskId])).get(event.taskId);
      const after = evolve(before, event, seq);
      if (after !== before) await writeStatuses(tx, LIVE_TASK_TABLES, [after]);
      // As the projector does in the same transaction: the status now holds its task's events
      // up to here (the edge fold founds a task on that, if the checkpoint is of its stream).
      await tx`insert into projection_checkpoints (projection, stream, last_seq, stream_created_at)
        values (${TASK_STATUS_PROJECTION}, ${INGEST_STREAM}, ${seq}, ${streamCreated.toISOString()})
        on conflict (projection) do update set last_seq = greatest(projection_checkpoints.last_seq, excluded.last_seq)`;
      return { before, after };
    });
  };
  const projectOne = async (event: IngestEvent): Promise<TaskStatus> => {
    const { before, after } = await step(() => publishAndFold(event));
    if (after !== before) {
      await step(async () => {
        projector.publish(subjects.status(after.taskId), JSON.stringify(after));
        await projector.flush();
      });
    }
    return after;
  };

  return {
    database,
    db,
    publish: async (...events) => {
      const seqs: number[] = [];
      for (const event of events) seqs.push(await step(() => publishOne(event)));
      return seqs;
    },
    project: async (...events) => {
      let status: TaskStatus | undefined;
      for (const event of events) status = await projectOne(event);
      if (!status) throw new Error('project() needs at least one event');
      return status;
    },
    services: async (options = {}) => {
      const services = await connectServices(await nats.connect('web'), db, options);
      opened.push(services);
      return services;
    },
    stop: async () => {
      for (const s of opened) await closeServices(s);
      await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
      await db.$client.end();
      await infrastructure.stop();
    },
  };
}

async function connectServices(nc: NatsConnection, db: Database, options: ServiceOptions): Promise<ApiServices> {
  const metrics = createApiMetrics(new Registry());
  const logger = options.log ? pino({ level: 'warn' }, options.log) : pino({ level: 'silent' });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const fanout = new StatusFanout({ nc, js, jsm, logger, metrics, edgeFold: options.edgeFold });
  await fanout.start();
  const limit = options.ingestRateLimit ?? { perMinute: 1_000, burst: 1_000 };
  const callLimit = options.callRateLimit ?? { perMinute: 1_000_000, burst: 1_000_000 };
  return {
    config: {
      STATUS_RESYNC_MS: options.statusResyncMs ?? 60_000,
      REFRESH_AFTER: options.refreshAfterMs ?? 24 * 3_600_000,
      INGEST_QUEUE_MAX: options.ingestQueueMax ?? 1_000,
      INGEST_ACTIVE_PER_PEER: options.ingestActivePerPeer ?? 1_000,
      INGEST_WAITING_PER_PEER: options.ingestWaitingPerPeer ?? 1_000,
    },
    db,
    nats: {
      nc,
      js,
      jsm,
      inflight: await new Kvm(nc).open(INFLIGHT_BUCKET),
      fanout,
    },
    ingestLimiter: new RateLimiter(limit.perMinute, limit.burst),
    callLimiter: new RateLimiter(callLimit.perMinute, callLimit.burst),
    peerTasks: new PeerTasks(),
    timelines: new TaskTimelines(jsm),
    metrics,
    logger,
  };
}

async function closeServices(services: ApiServices): Promise<void> {
  await services.nats.fanout.stop();
  await services.nats.nc.drain().catch(() => {});
}
