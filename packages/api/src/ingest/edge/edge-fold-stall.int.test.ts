import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  applyStatusUpdate,
  INGEST_STREAM,
  isTerminal,
  newTaskId,
  StatusUpdateSchema,
  type TaskStatus,
} from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
import type { Database } from '@symbology/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createContext, type ApiServices } from '../../context';
import { createCaller } from '../../root';
import { startClusterTestSystem, type ClusterTestSystem } from '../../testing/test-system';
import { readLiveStatus } from '../read-live-status';
import type { StatusFanout } from '../status-fanout';

/**
 * A web process's edge fold reads INGEST with an R1 ordered consumer, on one node of the cluster.
 * Killed, that node answers nothing: nats.js recreates the consumer only on "consumer not found",
 * so it asked again forever, the edge stayed at its last sequence, and a subscriber who came
 * after the task ended got the edge's old status and nothing more.
 */
let system: ClusterTestSystem;
const connections: NatsConnection[] = [];
beforeAll(async () => {
  system = await startClusterTestSystem();
}, 120_000);
afterAll(async () => {
  await Promise.all(connections.map((nc) => nc.close().catch(() => {})));
  await system?.stop();
});

describe('readLiveStatus', () => {
  it('given the edge behind the stream, answers the newer of its status and the projected one; else the edge alone', async () => {
    const events = happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 1));
    const taskId = events[0]!.taskId;
    const old = await system.project(...events.slice(0, 2));
    const terminal = await system.project(...events.slice(2));
    const fanoutWith = (behind: boolean) =>
      ({
        edgeStatus: () => old,
        edgeStats: { lastSeq: old.version, behind, tracks: 1, retainedEvents: 0 },
        foundOnEdge: () => old,
      }) as unknown as StatusFanout;
    const jsm = await jetstreamManager(await connect('web'));
    const nats = (behind: boolean) => ({ fanout: fanoutWith(behind), jsm }) as unknown as ApiServices['nats'];

    // Before the fix the edge's old status was the answer even while it was behind.
    expect(await readLiveStatus({ db: system.db, nats: nats(true) }, taskId)).toEqual(terminal);
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
    // As apps/web builds them at boot, re-reading every watched task each second.
    const services = await system.services({
      statusResyncMs: 1_000,
      log: { write: (line: string) => void warnings.push(line) },
    });
    const { fanout } = services.nats;
    const caller = (signal?: AbortSignal) =>
      createCaller(createContext(services, { clientId: 'stall', peer: '127.0.0.1' }), { signal });
    const { project } = system;
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

async function connect(role: 'web' | 'operator'): Promise<NatsConnection> {
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
