import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  applyStatusUpdate,
  evolve,
  INGEST_STREAM,
  isTerminal,
  newTaskId,
  parseEvent,
  StatusUpdateSchema,
  subjects,
  type StatusUpdate,
  type TaskStatus,
} from '@symbology/contracts';
import { countActiveTasks } from '@symbology/db';
import { happyTask, SAMPLE_FILINGS, taskEvents } from '@symbology/contracts/testing';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type ApiServices } from '../context';
import { createCaller } from '../root';
import { startTestSystem, type TestSystem } from '../testing/test-system';

let system: TestSystem;
let services: ApiServices;
const caller = (clientId = 'client-1', peer = '127.0.0.1') => createCaller(createContext(services, { clientId, peer }));
/** A task of two filings: seven events, each a new status once projected. */
const twoFilingTask = () => happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 2));

beforeAll(async () => {
  system = await startTestSystem();
  services = await system.services({ statusResyncMs: 60_000 });
});
afterAll(async () => {
  await system?.stop();
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof TRPCError ? error.code : `not a TRPCError: ${String(error)}`;
}

describe('ingest.request through createCaller (real NATS + Postgres)', () => {
  it('publishes IngestRequested and answers a task id that status and events already know', async () => {
    const started = performance.now();
    const result = await caller().ingest.request({ ticker: 'symb' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result).toMatchObject({ status: 'started', ticker: 'SYMB' });
    if (result.status !== 'started') return;
    const msg = await services.nats.jsm.direct.getMessage(INGEST_STREAM, {
      last_by_subj: subjects.event(result.taskId, 'IngestRequested'),
    });
    const parsed = parseEvent(msg!.data);
    expect(parsed.ok && parsed.event.type === 'IngestRequested' && parsed.event.data).toMatchObject({
      ticker: 'SYMB',
      requestedBy: 'client-1',
    });
    // Not projected yet: the status comes from the stream, truthfully pending.
    await expect(caller().ingest.status({ taskId: result.taskId })).resolves.toMatchObject({
      status: 'pending',
      ticker: 'SYMB',
    });
    const events = await caller().ingest.events({ taskId: result.taskId });
    expect(events.map((e) => e.type)).toEqual(['IngestRequested']);
  });

  it('coalesces 50 simultaneous requests for one ticker into one task', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => caller(`c${i}`).ingest.request({ ticker: 'COAL' })),
    );
    const ids = new Set(results.map((r) => (r.status === 'exists' ? 'exists' : r.taskId)));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => r.status === 'started')).toHaveLength(1);
    const [taskId] = [...ids];
    const requested = await readRequestedFor('COAL');
    expect(requested).toEqual([taskId]);
  });

  it('joins the task in flight, and starts a new one once that task has failed', async () => {
    const first = await caller().ingest.request({ ticker: 'FAIL' });
    if (first.status !== 'started') throw new Error('expected a new task');
    await expect(caller('other').ingest.request({ ticker: 'FAIL' })).resolves.toEqual({
      status: 'in_flight',
      taskId: first.taskId,
      ticker: 'FAIL',
      mode: 'initial',
    });
    const e = taskEvents(first.taskId, { ticker: 'FAIL' });
    await system.project(e.requested(), e.ingestFailed());
    const again = await caller().ingest.request({ ticker: 'FAIL' });
    expect(again.status).toBe('started');
    expect(again.status !== 'exists' && again.taskId).not.toBe(first.taskId);
  });

  it('reads an ended task from the stream while the projector is behind: polling says failed, a new request starts anew', async () => {
    const first = await caller().ingest.request({ ticker: 'BEHIND' });
    if (first.status !== 'started') throw new Error('expected a new task');
    const e = taskEvents(first.taskId, { ticker: 'BEHIND' });
    await system.project(e.requested());
    // The failure is on the stream; the projector (down, or behind) has not written it.
    await system.publish(e.ingestFailed());
    await expect(caller().ingest.status({ taskId: first.taskId })).resolves.toMatchObject({ status: 'failed' });
    await expect(codeOf(caller().ingest.cancel({ taskId: first.taskId }))).resolves.toBe('CONFLICT');
    const again = await caller('other').ingest.request({ ticker: 'BEHIND' });
    expect(again).toMatchObject({ status: 'started' });
    expect(again.status !== 'exists' && again.taskId).not.toBe(first.taskId);
  });

  it('answers started, not "could not queue", when the stream stored the request and only its PubAck was lost', async () => {
    // The answer lost after the write (a leader lost, a cut connection), and no repeat confirmed it.
    const js = services.nats.js;
    const ackLost = new Proxy(js, {
      get: (target, key, receiver) =>
        key === 'publish'
          ? async (...args: Parameters<typeof js.publish>) => {
              await target.publish(...args);
              throw new Error('no PubAck (injected)');
            }
          : Reflect.get(target, key, receiver),
    });
    const lossy: ApiServices = { ...services, nats: { ...services.nats, js: ackLost } };
    const ask = (clientId: string) =>
      createCaller(createContext(lossy, { clientId, peer: '127.0.0.1' })).ingest.request({ ticker: 'LOST' });
    const first = await ask('client-1');
    expect(first).toMatchObject({ status: 'started', ticker: 'LOST' });
    if (first.status !== 'started') return;
    // The task is real (its request is on the stream) and keeps the ticker: the next asker joins it.
    await expect(caller().ingest.status({ taskId: first.taskId })).resolves.toMatchObject({ status: 'pending' });
    await expect(caller('other').ingest.request({ ticker: 'LOST' })).resolves.toMatchObject({
      status: 'in_flight',
      taskId: first.taskId,
    });
  });

  it('answers exists for a company already ingested and read from EDGAR recently', async () => {
    await system.db
      .$client`insert into companies (cik, name, tickers, checked_at) values ('0000000042', 'Known Corp', '{KNWN}', now())`;
    await expect(caller().ingest.request({ ticker: 'knwn' })).resolves.toEqual({
      status: 'exists',
      ticker: 'KNWN',
      background: null,
      deferred: null,
    });
  });

  it('refuses an invalid ticker at the edge and an unknown task id with NOT_FOUND', async () => {
    expect(await codeOf(caller().ingest.request({ ticker: 'not a ticker!' }))).toBe('BAD_REQUEST');
    expect(await codeOf(caller().ingest.status({ taskId: newTaskId() }))).toBe('NOT_FOUND');
    expect(await codeOf(caller().ingest.events({ taskId: newTaskId() }))).toBe('NOT_FOUND');
  });

  it('limits requests per peer address with TOO_MANY_REQUESTS, whatever client id each one claims', async () => {
    const limited = await system.services({ ingestRateLimit: { perMinute: 1, burst: 2 } });
    const call = (clientId: string, peer: string) =>
      createCaller(createContext(limited, { clientId, peer })).ingest.request({ ticker: 'RATE' });
    await call('fresh-1', '203.0.113.7');
    await call('fresh-2', '203.0.113.7');
    const error = await call('fresh-3', '203.0.113.7').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('TOO_MANY_REQUESTS');
    expect((error as TRPCError).message).toMatch(/try again in \d+ s/);
    // Another peer has its own bucket: one client cannot lock the others out.
    await expect(call('fresh-3', '198.51.100.9')).resolves.toMatchObject({ ticker: 'RATE' });
    expect(await refusals(limited, 'ingest_rate_limited')).toBe(1);
  });

  it('refuses a new task with LIMIT_EXCEEDED while INGEST_QUEUE_MAX tasks are active, and joins running ones', async () => {
    const active = await countActiveTasks(system.db.$client);
    const capped = await system.services({ ingestQueueMax: active + 1 });
    const capCaller = () => createCaller(createContext(capped, { clientId: 'queue', peer: '192.0.2.1' }));
    const running = await capCaller().ingest.request({ ticker: 'QFULA' });
    if (running.status !== 'started') throw new Error('expected a new task');
    const e = taskEvents(running.taskId, { ticker: 'QFULA' });
    await system.project(e.requested());

    const error = await capCaller()
      .ingest.request({ ticker: 'QFULB' })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe('TOO_MANY_REQUESTS');
    expect((error as TRPCError).message).toMatch(/ingestion queue is full/);
    expect(await refusals(capped, 'ingest_queue_full')).toBe(1);
    await expect(capCaller().ingest.request({ ticker: 'QFULA' })).resolves.toMatchObject({ status: 'in_flight' });

    await system.project(e.ingestFailed());
    await expect(capCaller().ingest.request({ ticker: 'QFULB' })).resolves.toMatchObject({ status: 'started' });
  });
});

describe('ingest.queuePosition through createCaller', () => {
  it('counts the waiting ingestions asked for before a waiting task, and answers null once an ingestor takes it up', async () => {
    const [a, b, c] = [newTaskId(), newTaskId(), newTaskId()].map((taskId) => ({
      taskId,
      events: taskEvents(taskId, { ticker: 'QPOS' }),
    }));
    for (const task of [a!, b!, c!]) await system.project(task.events.requested());
    const ahead = (task: typeof a) => caller().ingest.queuePosition({ taskId: task!.taskId });
    // Other tests of this file may leave waiting tasks: positions are relative to the first one.
    const first = await ahead(a);
    if (!first) throw new Error('a waiting task has a queue position');
    await expect(ahead(b)).resolves.toEqual({ ahead: first.ahead + 1 });
    await expect(ahead(c)).resolves.toEqual({ ahead: first.ahead + 2 });
    // A wait announced for the first one (still waiting, its version now past the others') keeps its place.
    await system.project(a!.events.delayed(1, 5, 5_000));
    await expect(ahead(a)).resolves.toEqual(first);
    await expect(ahead(c)).resolves.toEqual({ ahead: first.ahead + 2 });

    // The first one starts: it leaves the queue, and those behind it move up.
    await system.project(a!.events.resolved());
    await expect(ahead(a)).resolves.toBeNull();
    await expect(ahead(b)).resolves.toEqual({ ahead: first.ahead });
    await expect(ahead(c)).resolves.toEqual({ ahead: first.ahead + 1 });

    // One that ends while waiting leaves the queue too.
    await system.project(b!.events.ingestFailed());
    await expect(ahead(b)).resolves.toBeNull();
    await expect(ahead(c)).resolves.toEqual({ ahead: first.ahead });
  });

  it('answers NOT_FOUND for a task nobody asked for', async () => {
    expect(await codeOf(caller().ingest.queuePosition({ taskId: newTaskId() }))).toBe('NOT_FOUND');
  });
});

describe('ingest.events', () => {
  it('reads the timeline with direct gets: 300 calls leave no consumer on INGEST', async () => {
    const [requested, ...rest] = twoFilingTask();
    await system.project(requested!, rest[0]!);
    const op = await system.nats.connect('operator');
    try {
      const jsm = await jetstreamManager(op);
      const consumers = async () => (await jsm.consumers.list(INGEST_STREAM).next()).map((c) => c.name).sort();
      const before = await consumers();
      const timelines = await Promise.all(
        Array.from({ length: 300 }, () => caller().ingest.events({ taskId: requested!.taskId })),
      );
      expect(new Set(timelines.map((t) => JSON.stringify(t))).size).toBe(1);
      expect(timelines[0]!.map((e) => e.type)).toEqual([requested!.type, rest[0]!.type]);
      expect(await consumers()).toEqual(before);
    } finally {
      await op.close();
    }
  });

  it('follows the task: a newer version brings the events published since', async () => {
    const events = twoFilingTask();
    await system.project(events[0]!);
    expect(await caller().ingest.events({ taskId: events[0]!.taskId })).toHaveLength(1);
    await system.project(...events.slice(1));
    const timeline = await caller().ingest.events({ taskId: events[0]!.taskId });
    expect(timeline.map((e) => e.type)).toEqual(events.map((e) => e.type));
    expect(timeline.map((e) => e.seq)).toEqual([...timeline.map((e) => e.seq)].sort((a, b) => a - b));
  });
});

async function refusals(services: ApiServices, reason: string): Promise<number> {
  const { values } = await services.metrics.refused.get();
  return values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

describe('ingest.onStatus through createCaller', () => {
  it('yields each newer version once, in order, and completes after the terminal state', async () => {
    const [requested, ...rest] = twoFilingTask();
    const projected = [await system.project(requested!)];
    const iterable = await caller().ingest.onStatus({ taskId: requested!.taskId });
    const seen: TaskStatus[] = [];
    const reading = statusesOf(iterable, seen);
    // The snapshot first: a version committed before it is read is (rightly) skipped.
    await until(() => seen.length === 1);
    for (const event of rest) projected.push(await system.project(event));
    await reading;
    // The design lets a subscriber skip superseded versions (its snapshot may already be newer than
    // the first event); it forbids repeats, going backwards, a status unlike the projection's, and
    // missing the terminal state.
    const versions = seen.map((s) => s.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    const byVersion = new Map(projected.map((s) => [s.version, s]));
    for (const status of seen) expect(status).toEqual(byVersion.get(status.version));
    expect(seen.at(-1)).toEqual(projected.at(-1));
    expect(isTerminal(seen.at(-1)!)).toBe(true);
  });

  it('honours lastEventId: a reconnecting client gets only what it has not seen', async () => {
    const events = twoFilingTask();
    const projected: TaskStatus[] = [];
    for (const event of events) projected.push(await system.project(event));
    const iterable = await caller().ingest.onStatus({
      taskId: events[0]!.taskId,
      lastEventId: String(projected[2]!.version),
    });
    const seen = await statusesOf(iterable);
    expect(seen).toEqual([projected.at(-1)]);
  });

  it('delivers each event from the stream before any projector commit: the same status the projector folds', async () => {
    const [requested, ...rest] = twoFilingTask();
    const first = await system.project(requested!);
    const iterable = await caller().ingest.onStatus({ taskId: requested!.taskId });
    const reading = statusesOf(iterable);
    // Published, never projected: only this process's own fold of the stream can deliver them.
    const seqs = await system.publish(...rest);
    const seen = await reading;
    let expected = first;
    const folded = [first, ...rest.map((event, i) => (expected = evolve(expected, event, seqs[i]!)))];
    expect(seen.at(-1)).toEqual(folded.at(-1));
    expect(isTerminal(seen.at(-1)!)).toBe(true);
    for (const status of seen) expect(folded).toContainEqual(status);
  });

  it('ends with NOT_FOUND for a task nobody asked for', async () => {
    const iterable = await caller().ingest.onStatus({ taskId: newTaskId() });
    const error = await (async () => {
      for await (const _ of iterable) return undefined;
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('ingest.events through createCaller', () => {
  it('names the filing of each per-filing event, so a page can time each filing', async () => {
    const events = twoFilingTask();
    for (const event of events) await system.project(event);
    const timeline = await caller().ingest.events({ taskId: events[0]!.taskId });
    const filingOf = (e: (typeof events)[number]) =>
      'accession' in e.data && typeof e.data.accession === 'string' ? e.data.accession : null;
    expect(timeline.map((e) => [e.type, e.accession])).toEqual(events.map((e) => [e.type, filingOf(e)]));
    expect(timeline.filter((e) => e.type === 'FilingStarted').map((e) => e.accession)).toEqual(
      SAMPLE_FILINGS.slice(0, 2).map((f) => f.accession),
    );
  });
});

/** createCaller hands out the raw tracked envelope [id, data] where the type says { id, data }. */
function updateOf(envelope: unknown): StatusUpdate {
  return StatusUpdateSchema.parse(Array.isArray(envelope) ? envelope[1] : (envelope as { data: unknown }).data);
}

/** Reads a subscription to its end as a client does: the first status whole, then deltas applied. */
async function statusesOf(iterable: AsyncIterable<unknown>, seen: TaskStatus[] = []): Promise<TaskStatus[]> {
  for await (const envelope of iterable) {
    const next = applyStatusUpdate(seen.at(-1), updateOf(envelope));
    if (!next) throw new Error('a delta that does not apply to the status held');
    seen.push(next);
  }
  return seen;
}

async function readRequestedFor(ticker: string): Promise<string[]> {
  const op = await system.nats.connect('operator');
  try {
    const consumer = await jetstream(op).consumers.get(INGEST_STREAM, { filter_subjects: 'ingest.*.requested' });
    const out: string[] = [];
    const messages = await consumer.fetch({ max_messages: 500, expires: 1_000 });
    for await (const m of messages) {
      const parsed = parseEvent(m.data);
      if (parsed.ok && parsed.event.type === 'IngestRequested' && parsed.event.data.ticker === ticker)
        out.push(parsed.event.taskId);
      if (m.info.pending === 0) break;
    }
    return out;
  } finally {
    await op.close();
  }
}

describe('ingest.onStatus while the database fails', () => {
  const renameTasks = (from: string, to: string) => system.db.$client.unsafe(`alter table ${from} rename to ${to}`);

  it('keeps the subscription through failed re-reads and delivers the terminal state once reads work again', async () => {
    // Without the edge fold, every resync is a database read.
    const projectorOnly = await system.services({ statusResyncMs: 100, edgeFold: false });
    const [requested, resolved, ...rest] = twoFilingTask();
    await system.project(requested!, resolved!);
    const iterable = await createCaller(
      createContext(projectorOnly, { clientId: 'c', peer: undefined }),
    ).ingest.onStatus({
      taskId: requested!.taskId,
    });
    const seen: TaskStatus[] = [];
    const reading = statusesOf(iterable, seen);
    await until(() => seen.length === 1);
    await renameTasks('tasks', 'tasks_away');
    try {
      await until(async () => (await projectorOnly.metrics.statusReadRetries.get()).values[0]!.value >= 3);
    } finally {
      await renameTasks('tasks_away', 'tasks');
    }
    const last = await system.project(...rest);
    await expect(reading).resolves.toContainEqual(last);
  });

  it('waits for the first read while the database fails, then starts the subscription', async () => {
    const [requested, ...rest] = twoFilingTask();
    await system.project(requested!);
    await renameTasks('tasks', 'tasks_away');
    let reading: Promise<TaskStatus[]>;
    try {
      const iterable = await caller().ingest.onStatus({ taskId: requested!.taskId });
      reading = statusesOf(iterable);
      const retries = (await services.metrics.statusReadRetries.get()).values[0]?.value ?? 0;
      await until(async () => (await services.metrics.statusReadRetries.get()).values[0]!.value > retries);
    } finally {
      await renameTasks('tasks_away', 'tasks');
    }
    const last = await system.project(...rest);
    await expect(reading).resolves.toContainEqual(last);
  });
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
