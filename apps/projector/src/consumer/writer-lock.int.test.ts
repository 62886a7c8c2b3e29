import { setTimeout as sleep } from 'node:timers/promises';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { INGEST_STREAM, newTaskId, TASK_STATUS_PROJECTION } from '@symbology/contracts';
import { taskWithOneFailure } from '@symbology/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProjector, type RunningProjector } from '../start-projector';
import { startHarness, type Harness } from '../testing/harness';
import { publishAll } from '../testing/publish-all';
import { createLogger } from '../logger';
import { createMetrics } from '../ops/metrics';
import { readCheckpoint } from '../projections/task-status/checkpoint';
import { advisoryLockMatch, WRITER_LOCK } from './advisory-lock';
import { ensureProjectionConsumer } from './ensure-consumer';
import { LiveProjector } from './live-projector';

type Readiness = { ready: boolean; failing: string[]; checks: Record<string, { ok: boolean; detail?: string }> };

async function until(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const readyz = async (p: RunningProjector) =>
  (await (await fetch(`http://127.0.0.1:${p.httpPort}/readyz`)).json()) as Readiness;
const metric = async (p: RunningProjector, name: string) => {
  const text = await (await fetch(`http://127.0.0.1:${p.httpPort}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
};

describe('the writer lock and the durable, lost under a running projector', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('after pg_terminate_backend of the lock session: the old writer stops, the standby takes over, no two writers', async () => {
    const options = { ...h.config, httpPort: 0, lockCheckMs: 200 };
    const a = await startProjector(options);
    const b = await startProjector(options);
    try {
      // Either may win the lock: the winner is `first`, the other stands by.
      const winner = await Promise.race([a.running.then(() => a), b.running.then(() => b)]);
      const [first, second] = winner === a ? [a, b] : [b, a];
      await until('the other to stand by', () => second.state === 'waiting-for-lock');
      await publishAll(h.pub, taskWithOneFailure(newTaskId()));
      await h.waitForCheckpoint(await h.head());
      expect((await readyz(first)).ready).toBe(true);
      expect((await readyz(second)).failing).toEqual(['lock']);

      const [holder] = await h.sql<{ pid: number }[]>`
        select l.pid from pg_locks l where ${advisoryLockMatch(h.sql, WRITER_LOCK)}`;
      // What a Postgres restart does to the session that holds the lock.
      const [killed] = await h.sql<{ ok: boolean }[]>`select pg_terminate_backend(${holder!.pid}, 10000) as ok`;
      expect(killed?.ok).toBe(true);

      await second.running;
      await until('the first to stop writing and stand by', () => first.state === 'waiting-for-lock');
      const projectedByFirst = await metric(first, 'projector_events_projected_total');
      await publishAll(h.pub, taskWithOneFailure(newTaskId()));
      await h.waitForCheckpoint(await h.head());

      expect(await metric(first, 'projector_events_projected_total')).toBe(projectedByFirst);
      expect(await metric(second, 'projector_events_projected_total')).toBe(13);
      expect(await metric(first, 'projector_writer_lock_lost_total')).toBe(1);
      expect(await metric(first, 'projector_checkpoint_conflicts_total')).toBe(0);
      expect(await metric(second, 'projector_checkpoint_conflicts_total')).toBe(0);
      expect((await readyz(second)).ready).toBe(true);
      expect((await readyz(first)).failing).toEqual(['lock']);
      expect((await h.cli('verify')).code).toBe(0);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('provisions the durable again when it is deleted under it, and goes on projecting', async () => {
    const projector = await startProjector({ ...h.config, httpPort: 0 });
    try {
      await projector.running;
      const jsm = await jetstreamManager(h.operator);
      // nats-server may refuse a delete racing the consumer's own store writes ("directory not
      // empty"): what is under test is the projector after the delete, so insist until it is gone.
      await until('the durable to be deleted', () =>
        jsm.consumers.delete(INGEST_STREAM, TASK_STATUS_PROJECTION).then(
          () => true,
          () => false,
        ),
      );
      await publishAll(h.pub, taskWithOneFailure(newTaskId()));
      await h.waitForCheckpoint(await h.head());
      expect((await jsm.consumers.info(INGEST_STREAM, TASK_STATUS_PROJECTION)).config.durable_name).toBe(
        TASK_STATUS_PROJECTION,
      );
      await until('readiness', async () => (await readyz(projector)).ready);
      expect((await h.cli('verify')).code).toBe(0);
    } finally {
      await projector.stop();
    }
  });
  it('binds to a durable deleted between its provisioning and the bind: provisions it again', async () => {
    // A projector's run provisions the checkpoint and the durable; then the durable goes, before
    // the next writer binds to it (the window between ensureProjectionConsumer and the bind).
    const first = await startProjector({ ...h.config, httpPort: 0 });
    await first.running;
    await first.stop();
    const operator = await jetstreamManager(h.operator);
    await until('the durable to be deleted', () =>
      operator.consumers.delete(INGEST_STREAM, TASK_STATUS_PROJECTION).then(
        () => true,
        () => false,
      ),
    );
    const { natsUrl, natsUser, natsPassword } = h.config;
    const nc = await connect({ servers: natsUrl, user: natsUser, pass: natsPassword });
    const jsm = await jetstreamManager(nc);
    const logger = createLogger('error');
    const ensured: number[] = [];
    const checkpoint = (await readCheckpoint(h.sql))?.lastSeq ?? 0;
    const projector = new LiveProjector({
      nc,
      js: jetstream(nc),
      jsm,
      sql: h.sql,
      logger,
      metrics: createMetrics(),
      batchSize: 100,
      lingerMs: 0,
      gapTimeoutMs: 1_000,
      poisonAttempts: 3,
      reorderCapacity: 1_000,
      ensureConsumer: async (at) => {
        ensured.push(at);
        await ensureProjectionConsumer(jsm, at, logger);
      },
    });
    const running = projector.run(checkpoint);
    try {
      await publishAll(h.pub, taskWithOneFailure(newTaskId()));
      await h.waitForCheckpoint(await h.head());
      expect(ensured).toEqual([checkpoint]);
    } finally {
      projector.stop();
      await running;
      await nc.close();
    }
    expect((await h.cli('verify')).code).toBe(0);
  });
});

describe('the writer lock re-taken while the stream reports a head below the checkpoint', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('is not fatal: the projector takes the lock again and goes on projecting', async () => {
    const projector = await startProjector({ ...h.config, httpPort: 0, lockCheckMs: 200 });
    try {
      await projector.running;
      await publishAll(h.pub, taskWithOneFailure(newTaskId()));
      await h.waitForCheckpoint(await h.head());
      const [holder] = await h.sql<{ pid: number }[]>`
        select l.pid from pg_locks l where ${advisoryLockMatch(h.sql, WRITER_LOCK)}`;
      await h.sql`select pg_terminate_backend(${holder!.pid}, 10000)`;
      await until('the projector to stand by', () => projector.state === 'waiting-for-lock');
      // A single nats-server cannot be made to report a lower head, as a newly elected R3 leader
      // may: the checkpoint moved 3 ahead of the head (while no one writes) is what the re-take sees.
      const head = await h.head();
      await h.sql`update projection_checkpoints set last_seq = ${head + 3}`;
      await until('the lock taken again, or the projector failed', () =>
        ['running', 'failed'].includes(projector.state),
      );
      expect(projector.state).toBe('running');
      expect(await metric(projector, 'projector_writer_lock_lost_total')).toBe(1);
      // Sequences head+1..head+3 count as committed (what the moved checkpoint says); those after go in.
      await publishAll(h.pub, taskWithOneFailure(newTaskId()));
      expect(await h.head()).toBeGreaterThan(head + 3);
      await h.waitForCheckpoint(await h.head());
      await until('readiness', async () => (await readyz(projector)).ready);
    } finally {
      await projector.stop();
    }
  });
});
