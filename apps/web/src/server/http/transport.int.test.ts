import { setTimeout as sleep } from 'node:timers/promises';
import type { AppRouter } from '@symbology/api';
import { createSymbologyClient, type SymbologyClient } from '@symbology/client';
import { isTerminal, newTaskId, type IngestEvent, type TaskStatus } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS } from '@symbology/contracts/testing';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startCuttableProxy } from '../../test-support/cuttable-proxy';
import { startTestSystem, type TestSystem } from '../../test-support/test-system';
import { watchTask } from '../../test-support/watch';
import { startWebServer, type RunningWebServer } from '../index';

let system: TestSystem;
let web: RunningWebServer;
const clients: SymbologyClient[] = [];
const client = (url = web.url, wsUrl = web.wsUrl) => {
  const c = createSymbologyClient({ url, wsUrl, clientId: 'test-client' });
  clients.push(c);
  return c.api;
};
/** A task of two filings: seven events, each a new status once projected. */
const twoFilingTask = () => happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 2));
const projectEach = async (events: readonly IngestEvent[]) => {
  const out: TaskStatus[] = [];
  for (const event of events) out.push(await system.project(event));
  return out;
};
/**
 * What a watcher may see of the statuses projected in order: each version once, rising, each one
 * projected, ending on the last. It may skip a superseded version (the design allows it: both the
 * edge fold and the fan-out hand out only the newest of what is ready), never repeat one.
 */
/** Each version once, rising. */
const expectRising = (versions: readonly number[]) =>
  expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
const expectSeenOf = (seen: readonly TaskStatus[], projected: readonly TaskStatus[]) => {
  const versions = seen.map((s) => s.version);
  expectRising(versions);
  const projectedVersions = new Set(projected.map((s) => s.version));
  expect(versions.filter((v) => !projectedVersions.has(v))).toEqual([]);
  expect(seen.at(-1)).toEqual(projected.at(-1));
};

/** Waits until the server holds `n` live subscriptions (it listens before it counts one). */
async function untilSubscriptions(n: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { values } = await web.services.metrics.subscriptions.get();
    if ((values[0]?.value ?? 0) === n) return;
    if (Date.now() > deadline) throw new Error(`the server never held ${n} subscription(s)`);
    await sleep(20);
  }
}

beforeAll(async () => {
  system = await startTestSystem();
  // Hundreds of subscriptions at once from this machine, one peer: far past the call rate limit
  // and the subscriptions per peer, which have their own tests (edge-limits.int.test.ts).
  const { PORT: _p, ...env } = system.env({
    STATUS_RESYNC_MS: 60_000,
    TRPC_RATE_LIMIT_BURST: 1_000_000,
    WS_MAX_SUBSCRIPTIONS_PER_PEER: 1_000_000,
  });
  web = await startWebServer({ ...env, port: 0 });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await web?.stop();
  await system?.stop();
});

describe('a typed client over the real transports', () => {
  it('asks for an ingestion over HTTP and reads its status', async () => {
    const result = await client().ingest.request.mutate({ ticker: 'HTTP' });
    expect(result.status).toBe('started');
    if (result.status === 'exists') return;
    await expect(client().ingest.status.query({ taskId: result.taskId })).resolves.toMatchObject({
      status: 'pending',
      ticker: 'HTTP',
    });
  });

  it('reports an unknown task as NOT_FOUND with HTTP 404', async () => {
    const error = await client()
      .ingest.status.query({ taskId: '0190a0f0-0000-7000-8000-00000000dead' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    const data = (error as TRPCClientError<AppRouter>).data;
    expect(data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, appCode: 'NOT_FOUND' });
  });

  it('cancels a running task over HTTP, and answers CONFLICT (HTTP 409) once it has ended', async () => {
    const started = await client().ingest.request.mutate({ ticker: 'STOP' });
    if (started.status === 'exists') throw new Error('expected a new task');
    await expect(client().ingest.cancel.mutate({ taskId: started.taskId })).resolves.toEqual({
      status: 'cancel_requested',
      taskId: started.taskId,
    });
    const [, ...rest] = happyTask(started.taskId, SAMPLE_FILINGS.slice(0, 1));
    await projectEach(rest);
    for (const call of [
      () => client().ingest.cancel.mutate({ taskId: started.taskId }),
      () => client().ingest.retry.mutate({ taskId: started.taskId }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCClientError);
      expect((error as TRPCClientError<AppRouter>).data).toMatchObject({ code: 'CONFLICT', httpStatus: 409 });
    }
  });

  it('streams a task over the WebSocket to its terminal state, then completes', async () => {
    const [requested, ...rest] = twoFilingTask();
    const first = await system.project(requested!);
    const watch = watchTask(client(), first.taskId);
    await watch.waitFor(first.version);
    const projected = [first, ...(await projectEach(rest))];
    expectSeenOf(await watch.done, projected);
  });

  it('many subscriptions on a few sockets, events back to back: every one ends on the terminal state, versions rising', async () => {
    const tasks = Array.from({ length: 4 }, () => twoFilingTask());
    for (const [requested] of tasks) await system.project(requested!);
    // Five sockets: 80 subscriptions each, under WS_MAX_SUBSCRIPTIONS_PER_SOCKET (100).
    const sockets = Array.from({ length: 5 }, () => client());
    const watches = tasks.flatMap(([requested]) =>
      Array.from({ length: 100 }, (_, i) => watchTask(sockets[i % sockets.length]!, requested!.taskId, 60_000)),
    );
    await untilSubscriptions(watches.length);
    // Published, not projected: the edge fold alone brings the statuses, as fast as they come.
    const published = await Promise.all(tasks.map(([, ...rest]) => system.publish(...rest)));
    const seen = await Promise.all(watches.map((w) => w.done));
    seen.forEach((statuses, i) => {
      const versions = statuses.map((s) => s.version);
      expectRising(versions);
      expect(isTerminal(statuses.at(-1)!)).toBe(true);
      expect(versions.at(-1)).toBe(published[Math.floor(i / 100)]!.at(-1));
    });
  });

  it('resumes after the WebSocket drops mid-task: the terminal state arrives and no version goes backwards', async () => {
    const proxy = await startCuttableProxy(Number(new URL(web.url).port));
    try {
      const events = twoFilingTask();
      await system.project(events[0]!);
      const c = client(`http://127.0.0.1:${proxy.port}`, `ws://127.0.0.1:${proxy.port}/api/trpc-ws`);
      const watch = watchTask(c, events[0]!.taskId);
      await watch.waitFor((await system.project(events[1]!)).version);
      proxy.cut();
      await untilSubscriptions(0);
      await projectEach(events.slice(2, -1)); // while the socket is down
      proxy.restore();
      const last = await system.project(events.at(-1)!);
      const seen = await watch.done;
      const versions = seen.map((s) => s.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(new Set(versions).size).toBe(versions.length);
      expect(isTerminal(seen.at(-1)!)).toBe(true);
      expect(versions.at(-1)).toBe(last.version);
    } finally {
      await proxy.close();
    }
  });

  it('sends lastEventId on reconnect: a resumed subscription does not repeat what the client has', async () => {
    const proxy = await startCuttableProxy(Number(new URL(web.url).port));
    try {
      const events = twoFilingTask();
      const [, resolved] = await projectEach(events.slice(0, 2));
      const watch = watchTask(
        client(`http://127.0.0.1:${proxy.port}`, `ws://127.0.0.1:${proxy.port}/api/trpc-ws`),
        events[0]!.taskId,
      );
      await watch.waitFor(resolved!.version);
      proxy.cut();
      await untilSubscriptions(0);
      proxy.restore();
      await untilSubscriptions(1); // reconnected and resubscribed, nothing new yet
      const later = await projectEach(events.slice(2));
      // Had the client not sent lastEventId, the resumed subscription would open with `resolved`
      // again: a repeated version.
      expectSeenOf(await watch.done, [resolved!, ...later]);
    } finally {
      await proxy.close();
    }
  });

  it('refuses a WebSocket from another site (origin check)', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(web.wsUrl, { headers: { origin: 'https://evil.example' } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });

  it('serves /healthz, /readyz and /metrics', async () => {
    expect((await fetch(`${web.url}/healthz`)).status).toBe(200);
    await expect((await fetch(`${web.url}/readyz`)).json()).resolves.toMatchObject({
      ready: true,
      instanceId: web.services.config.SYMBOLOGY_INSTANCE_ID,
      checks: { nats: { ok: true }, postgres: { ok: true } },
      failing: [],
    });
    const metrics = await (await fetch(`${web.url}/metrics`)).text();
    expect(metrics).toMatch(/web_ws_connections \d+/);
    expect(metrics).toMatch(/web_status_messages_sent_total \d+/);
    expect(metrics).toMatch(/web_trpc_procedure_duration_seconds_bucket\{.*path="ingest.request"/);
  });
});

describe('shutdown', () => {
  it('tells connected clients to reconnect before closing their sockets', async () => {
    const { PORT: _p, ...env } = system.env();
    const doomed = await startWebServer({ ...env, port: 0 });
    const ws = new WebSocket(doomed.wsUrl);
    await new Promise((r) => ws.once('open', r));
    const messages: string[] = [];
    ws.on('message', (data) => messages.push(String(data)));
    const closed = new Promise((r) => ws.once('close', r));
    await doomed.stop();
    await closed;
    expect(messages.map((m) => JSON.parse(m) as unknown)).toContainEqual({ id: null, method: 'reconnect' });
  });

  it('refuses new WebSockets once it has told clients to reconnect, so they go to another node', async () => {
    const { PORT: _p, ...env } = system.env();
    const doomed = await startWebServer({ ...env, port: 0 });
    const ws = new WebSocket(doomed.wsUrl);
    await new Promise((r) => ws.once('open', r));
    // A client told to reconnect does so at once (wsLink's first retry has no delay).
    const again = new Promise<number>((resolve) =>
      ws.on('message', (data) => {
        if (!String(data).includes('"reconnect"')) return;
        const next = new WebSocket(doomed.wsUrl);
        next.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        next.on('open', () => resolve(101));
        next.on('error', () => resolve(0));
      }),
    );
    await doomed.stop();
    expect(await again).toBe(503);
  });
});

describe('a web process restarting under a subscribed client', () => {
  it('the typed client resumes on the new process: versions only rise, the terminal state arrives, the subscription completes', async () => {
    const { PORT: _p, ...env } = system.env({ STATUS_RESYNC_MS: 60_000 });
    let process = await startWebServer({ ...env, port: 0 });
    const port = Number(new URL(process.url).port); // the restart binds the port the client knows
    try {
      const [requested, ...rest] = twoFilingTask();
      await system.project(requested!);
      const watch = watchTask(client(process.url, process.wsUrl), requested!.taskId, 60_000);
      await watch.waitFor((await projectEach(rest.slice(0, 3))).at(-1)!.version);
      await process.stop(); // tells the client to reconnect
      process = await startWebServer({ ...env, port });
      const last = (await projectEach(rest.slice(3))).at(-1)!.version;
      const versions = (await watch.done).map((s) => s.version);
      expectRising(versions);
      expect(versions.at(-1)).toBe(last);
    } finally {
      await process.stop();
    }
  });
});

describe('connection limits', () => {
  it('refuses connections past WS_MAX_CONNECTIONS with 503', async () => {
    const { PORT: _p, ...env } = system.env({ WS_MAX_CONNECTIONS: 1 });
    const small = await startWebServer({ ...env, port: 0 });
    const open = (): Promise<WebSocket | number> =>
      new Promise((resolve) => {
        const ws = new WebSocket(small.wsUrl);
        ws.on('open', () => resolve(ws));
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      });
    try {
      const first = await open();
      expect(first).toBeInstanceOf(WebSocket);
      expect(await open()).toBe(503);
      (first as WebSocket).close();
    } finally {
      await small.stop();
    }
  });
});
