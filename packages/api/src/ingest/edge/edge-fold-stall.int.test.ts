import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  applyStatusUpdate,
  evolve,
  INFLIGHT_BUCKET,
  INGEST_STREAM,
  isTerminal,
  newTaskId,
  StatusUpdateSchema,
  subjects,
  TASK_STATUS_PROJECTION,
  type IngestEvent,
  type TaskStatus,
} from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
import { createDb, LIVE_TASK_TABLES, loadStatuses, writeStatuses, type Database } from '@symbology/db';
import { publishEvent } from '@symbology/service';
import { startClusterTestSystem, type ClusterTestSystem } from '@symbology/test-system';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContext, type ApiServices } from '../../context';
import { PeerTasks } from '../../limits/peer-tasks';
import { RateLimiter } from '../../limits/rate-limiter';
import { createApiMetrics } from '../../metrics';
import { createCaller } from '../../root';
import { readLiveStatus } from '../read-live-status';
import { StatusFanout } from '../status-fanout';
import { TaskTimelines } from '../task-timelines';

/**
 * A web process's edge fold reads INGEST with an R1 ordered consumer, on one node of the cluster.
 * Killed, that node answers nothing: nats.js recreates the consumer only on "consumer not found",
 * so it asked again forever, the edge stayed at its last sequence, and a subscriber who came
 * after the task ended got the edge's old status and nothing more.
 */
let system: ClusterTestSystem;
let db: Database;
const connections: NatsConnection[] = [];
beforeAll(async () => {
  system = await startClusterTestSystem();
  db = createDb(system.database.url, { max: 4 });
}, 120_000);
afterAll(async () => {
  await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
  await db?.$client.end();
  await system?.stop();
});

describe('readLiveStatus', () => {
  it('given the edge behind the stream, answers the newer of its status and the projected one; else the edge alone', async () => {
    const project = await projector();
    const events = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1));
    const taskId = events[0]!.taskId;
    const old = await project(...events.slice(0, 2));
    const terminal = await project(...events.slice(2));
    const fanoutWith = (behind: boolean) =>
      ({
        edgeStatus: () => old,
        edgeStats: { lastSeq: old.version, behind, tracks: 1, retainedEvents: 0 },
        foundOnEdge: () => old,
      }) as unknown as StatusFanout;
    const jsm = await jetstreamManager(await connect('web'));
    const nats = (behind: boolean) => ({ fanout: fanoutWith(behind), jsm }) as unknown as ApiServices['nats'];

    // Before the fix the edge's old status was the answer even while it was behind.
    expect(await readLiveStatus({ db, nats: nats(true) }, taskId)).toEqual(terminal);
    // Healthy: the edge alone, no database read (the live path's cost).
    const noDatabase = new Proxy({} as Database, {
      get: () => {
        throw new Error('read Postgres');
      },
    });
    expect(await readLiveStatus({ db: noDatabase, nats: nats(false) }, taskId)).toBe(old);
  });
});

describe('EdgeFold when the node holding its ordered consumer is killed', () => {
  it('reads INGEST again from its last sequence on the other nodes, and a late subscriber gets the terminal state', async () => {
    const warnings: string[] = [];
    const services = await webServices({ write: (line: string) => void warnings.push(line) });
    const { fanout } = services.nats;
    const caller = (signal?: AbortSignal) =>
      createCaller(createContext(services, { clientId: 'stall', peer: '127.0.0.1' }), { signal });
    const project = await projector();
    const stop = new AbortController();
    try {
      const host = await edgeConsumerHost();
      await host.kill();

      const events = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 2));
      const taskId = events[0]!.taskId;
      await project(...events.slice(0, 2));
      // Founds the task on the (stalled) edge at the projected version.
      const early = statusesOf(await caller(stop.signal).ingest.onStatus({ taskId }));
      await vi.waitFor(() => expect(fanout.edgeStatus(taskId)).toBeDefined(), { timeout: 20_000 });
      const terminal = await project(...events.slice(2));
      expect(isTerminal(terminal)).toBe(true);
      const ended = Date.now();

      // The projector's announcements reached this process: the early subscriber has the end.
      const earlySeen = await early;
      expect(earlySeen.at(-1)).toEqual(terminal);
      expectRising(earlySeen);

      // Subscribed after the task ended: its announcements are gone by, the edge holds an old version.
      // Given up on after 45 s (before the fix it got that old version and nothing more).
      const giveUp = setTimeout(() => stop.abort(), 45_000);
      const late = await statusesOf(await caller(stop.signal).ingest.onStatus({ taskId }));
      clearTimeout(giveUp);
      expect(late.at(-1)).toEqual(terminal);
      expectRising(late);

      // (a) The edge folds again, from the nodes still up: through the task's end, then what comes next.
      await vi.waitFor(() => expect(fanout.edgeStats?.lastSeq).toBeGreaterThanOrEqual(terminal.version), {
        timeout: 30_000,
      });
      expect(Date.now() - ended).toBeLessThan(30_000);
      const next = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1));
      const last = await project(...next);
      await vi.waitFor(() => expect(fanout.edgeStats).toMatchObject({ lastSeq: last.version, behind: false }), {
        timeout: 10_000,
      });
      expect(warnings.some((l) => l.includes('edge fold stalled'))).toBe(true);
      expect((await services.metrics.edgeGaps.get()).values[0]?.value).toBeGreaterThanOrEqual(1);
    } finally {
      stop.abort();
      await fanout.stop();
    }
  }, 120_000);
});

async function connect(role: 'web' | 'ingestor' | 'projector' | 'operator'): Promise<NatsConnection> {
  const nc = await system.cluster.connect(role);
  connections.push(nc);
  return nc;
}

/** The node the web process's ordered consumer (the one consumer of INGEST without a durable name) lives on. */
async function edgeConsumerHost() {
  const jsm = await jetstreamManager(await connect('operator'));
  const ordered = (await jsm.consumers.list(INGEST_STREAM).next()).filter((ci) => !ci.config.durable_name);
  expect(ordered).toHaveLength(1);
  const host = system.cluster.nodes.find((n) => n.name === ordered[0]!.cluster?.leader);
  if (!host) throw new Error(`no node named ${ordered[0]!.cluster?.leader}`);
  return host;
}

/** The services apps/web builds at boot, on the cluster, re-reading every watched task each second. */
async function webServices(logTo: { write(line: string): void }): Promise<ApiServices> {
  const nc = await connect('web');
  const metrics = createApiMetrics(new Registry());
  const logger = pino({ level: 'warn' }, logTo);
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const fanout = new StatusFanout({ nc, js, jsm, logger, metrics });
  await fanout.start();
  return {
    config: {
      STATUS_RESYNC_MS: 1_000,
      REFRESH_AFTER: 24 * 3_600_000,
      INGEST_QUEUE_MAX: 1_000,
      INGEST_ACTIVE_PER_PEER: 1_000,
      INGEST_WAITING_PER_PEER: 1_000,
    },
    db,
    nats: { nc, js, jsm, inflight: await new Kvm(nc).open(INFLIGHT_BUCKET), fanout },
    ingestLimiter: new RateLimiter(1_000_000, 1_000_000),
    callLimiter: new RateLimiter(1_000_000, 1_000_000),
    peerTasks: new PeerTasks(),
    timelines: new TaskTimelines(jsm),
    metrics,
    logger,
  };
}

/**
 * As packages/api/src/testing does on one server: publishes each event as its producer would,
 * then projects it as one projector commit (status and checkpoint) and announces it. A step that
 * fails while the cluster elects a leader is done again: the publish is deduplicated by event id
 * and the fold ignores what it holds.
 */
async function projector() {
  const web = jetstream(await connect('web'));
  const ingestor = jetstream(await connect('ingestor'));
  const announcer = await connect('projector');
  const jsm = await jetstreamManager(announcer);
  const projectOne = async (event: IngestEvent): Promise<TaskStatus> => {
    const { seq } = await publishEvent(event.type === 'IngestRequested' ? web : ingestor, event);
    const created = new Date((await jsm.streams.info(INGEST_STREAM)).created);
    const after = await db.$client.begin(async (tx) => {
      const before = (await loadStatuses(tx, LIVE_TASK_TABLES, [event.taskId])).get(event.taskId);
      const next = evolve(before, event, seq);
      if (next !== before) await writeStatuses(tx, LIVE_TASK_TABLES, [next]);
      await tx`insert into projection_checkpoints (projection, stream, last_seq, stream_created_at)
        values (${TASK_STATUS_PROJECTION}, ${INGEST_STREAM}, ${seq}, ${created.toISOString()})
        on conflict (projection) do update set last_seq = greatest(projection_checkpoints.last_seq, excluded.last_seq)`;
      return next;
    });
    announcer.publish(subjects.status(after.taskId), JSON.stringify(after));
    await announcer.flush();
    return after;
  };
  return async (...events: IngestEvent[]): Promise<TaskStatus> => {
    let status: TaskStatus | undefined;
    for (const event of events) {
      for (let attempt = 1; ; attempt++) {
        try {
          status = await projectOne(event);
          break;
        } catch (error) {
          if (attempt >= 10) throw error;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
    return status!;
  };
}

/** Reads a subscription to its end as a client does: the first status whole, then deltas applied. */
async function statusesOf(iterable: AsyncIterable<unknown>): Promise<TaskStatus[]> {
  const seen: TaskStatus[] = [];
  for await (const envelope of iterable) {
    // createCaller hands out the raw tracked envelope [id, data].
    const update = StatusUpdateSchema.parse(Array.isArray(envelope) ? envelope[1] : undefined);
    const next = applyStatusUpdate(seen.at(-1), update);
    if (!next) throw new Error('a delta that does not apply to the status held');
    seen.push(next);
  }
  return seen;
}

function expectRising(seen: TaskStatus[]): void {
  const versions = seen.map((s) => s.version);
  expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
}
