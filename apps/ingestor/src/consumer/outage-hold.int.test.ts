import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  evolve,
  INGEST_STREAM,
  INGESTOR_CONSUMER,
  isTerminalEvent,
  type IngestEventOf,
  type TaskStatus,
} from '@symbology/contracts';
import { runMigrations } from '@symbology/db/migrate';
import {
  createDatabase,
  startEmbeddedPostgres,
  type EmbeddedPostgresServer,
  type TestDatabase,
} from '@symbology/dev-services';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readTaskEvents } from '../ingest/task-history';
import type { Ingestor } from '../ingestor';
import { waitFor } from '../testing/child-ingestor';
import { startHarness, type Harness } from '../testing/harness';

/**
 * Without the hold, two deliveries 100 ms apart are spent within a second or two of the stop: an
 * outage of 4 s is far longer than INGEST_MAX_DELIVER x INGEST_RETRY_BASE_MS here.
 */
const OUTAGE_MS = 4_000;
const SETTINGS = { maxDeliver: 2, retryBaseMs: 100, ackWaitMs: 2_000, outageHoldMs: 60_000 };

describe('Postgres stopped under a task (a throwaway server of its own, stopped and started again)', () => {
  let h: Harness;
  let pg: EmbeddedPostgresServer;
  let database: TestDatabase;
  let sql: postgres.Sql;
  const dataDir = join(tmpdir(), `symbology-hold-pg-${randomBytes(4).toString('hex')}`);
  beforeAll(async () => {
    [h, pg] = await Promise.all([startHarness(), startEmbeddedPostgres(dataDir)]);
    database = await createDatabase(pg.adminUrl, 'symbology_hold');
    await runMigrations(database.url);
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await sql?.end();
    await h?.close();
    await pg?.stop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });
  // A test that failed mid-outage leaves the server stopped; the next one needs it up.
  let down = false;
  const stopPostgres = async () => {
    down = true;
    await pg.stop();
  };
  const startPostgres = async () => {
    await pg.start();
    down = false;
  };
  beforeEach(async () => {
    if (down) await startPostgres();
    // Each test ingests SYMB from nothing, so that its filings meet the outage.
    await sql`delete from filings`;
    h.mirror.clearFaults();
    // Documents slow enough that the outage always finds a filing between its database writes.
    h.mirror.inject({ pattern: '/Archives/', delayMs: 400 });
  });

  const start = (overrides = {}) => h.start({ ...SETTINGS, databaseUrl: database.url, ...overrides });
  const deliveries = async () => (await h.jsm.consumers.info(INGEST_STREAM, INGESTOR_CONSUMER)).delivered.consumer_seq;
  const metric = async (ingestor: Ingestor, line: string) => {
    const text = await (await fetch(`${ingestor.httpUrl}/metrics`)).text();
    const found = text.split('\n').find((l) => l.startsWith(`${line} `));
    return found === undefined ? 0 : Number(found.split(' ')[1]);
  };
  const filingCompleted = (taskId: string) =>
    waitFor(
      async () =>
        (await readTaskEvents(h.js, h.jsm, taskId)).some((e) => e.type === 'FilingCompleted') ? true : undefined,
      20_000,
      'the first filing to complete',
    );

  it('holds the delivery while Postgres is down and completes the task once it is back, in the same delivery', async () => {
    const ingestor = await start();
    const before = await deliveries();
    const taskId = await h.request('SYMB');
    await filingCompleted(taskId);
    const stoppedAt = Date.now();
    await stopPostgres();
    // Whoever watches the task is told it is paused and why, while the outage lasts.
    const held = await waitFor(
      async () => (await readTaskEvents(h.js, h.jsm, taskId)).find((e) => e.type === 'IngestDelayed'),
      10_000,
      'the hold to be announced',
    );
    expect(held).toMatchObject({
      type: 'IngestDelayed',
      data: { kind: 'held', error: { code: 'database_unavailable' }, attempt: 1, attempts: SETTINGS.maxDeliver },
    });
    const holdEnds = Date.parse((held as IngestEventOf<'IngestDelayed'>).data.retryAt) - stoppedAt;
    expect(holdEnds).toBeGreaterThan(SETTINGS.outageHoldMs - 5_000);
    expect(holdEnds).toBeLessThan(SETTINGS.outageHoldMs + 5_000);
    // The outage itself: its length is the scenario, not a wait for something to happen.
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    // Still held, not redelivered and not ended, however long the outage lasts (up to the hold's bound).
    expect(await deliveries()).toBe(before + 1);
    expect((await readTaskEvents(h.js, h.jsm, taskId)).filter(isTerminalEvent)).toEqual([]);
    await startPostgres();
    const events = await h.waitForTerminal(taskId, 20_000);
    expect(events.filter(isTerminalEvent).map((e) => e.type)).toEqual(['IngestCompleted']);
    expect(await deliveries()).toBe(before + 1);
    // Announced once for the one hold (not once per probe), before the steps that resumed after it.
    expect(events.filter((e) => e.type === 'IngestDelayed')).toHaveLength(1);
    const heldAt = events.findIndex((e) => e.type === 'IngestDelayed');
    expect(events.slice(heldAt + 1).some((e) => e.type === 'FilingCompleted')).toBe(true);
    // What the panel said during the outage: the status folded up to the announcement.
    const duringOutage = events
      .slice(0, heldAt + 1)
      .reduce<TaskStatus | undefined>((s, e, i) => evolve(s, e, i + 1), undefined);
    expect(duringOutage?.message).toMatch(/^Paused for up to 60 s: Symbology's database is not answering; /);
    expect(await metric(ingestor, 'ingestor_outage_holds_total{outcome="answered"}')).toBeGreaterThanOrEqual(1);
    expect(await metric(ingestor, 'ingestor_tasks_total{outcome="error"}')).toBe(0);
    await ingestor.stop();
  });

  it('hands the held request back at once when the replica drains, and another resumes it', async () => {
    // One worker: a second one, still pulling while the replica stops, would take the handed-back
    // request and hand it back again, spending the last delivery of this test's two.
    const first = await start({ concurrency: 1 });
    const taskId = await h.request('SYMB');
    await filingCompleted(taskId);
    await stopPostgres();
    await waitFor(
      async () => ((await metric(first, 'ingestor_tasks_held_for_database')) === 1 ? true : undefined),
      10_000,
      'the task to be held',
    );
    const stopping = Date.now();
    await first.stop();
    // Not after the hold's bound, nor after ack_wait: the drain does not wait for Postgres.
    expect(Date.now() - stopping).toBeLessThan(SETTINGS.ackWaitMs);
    expect((await readTaskEvents(h.js, h.jsm, taskId)).filter(isTerminalEvent)).toEqual([]);
    await startPostgres();
    const second = await start();
    const events = await h.waitForTerminal(taskId, 20_000);
    expect(events.filter(isTerminalEvent).map((e) => e.type)).toEqual(['IngestCompleted']);
    await second.stop();
  });
});
