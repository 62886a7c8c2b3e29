import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createSymbologyClient } from '@symbology/client';
import { newTaskId } from '@symbology/contracts';
import { taskEvents } from '@symbology/contracts/testing';
import { createDatabase, freePort } from '@symbology/dev-services';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { exchange, openSocket, uploadThenRead } from '../../test-support/raw-clients';
import { edgeServers, refusals } from '../../test-support/edge-servers';
import type { Env } from '../../env';
import type { RunningWebServer } from '../index';

// The web edge under hostile clients, each guard through a real server over real sockets.

const edge = edgeServers();
const web = edge.web;

const statusInput = (taskId: string) => encodeURIComponent(JSON.stringify({ 0: { taskId } }));

describe('request bodies', () => {
  it('refuses a body over HTTP_MAX_BODY_BYTES with 413 and a short JSON error, declared or chunked', async () => {
    const server = await web({ HTTP_MAX_BODY_BYTES: 64 * 1024 });
    const declared = await exchange(server.url, {
      method: 'POST',
      path: '/api/trpc/ingest.request',
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(5 * 1024 * 1024, 'a'),
    });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({
      error: { message: 'Request body too large (at most 65536 bytes)', data: { code: 'PAYLOAD_TOO_LARGE' } },
    });

    const chunk = Buffer.alloc(16 * 1024, 'a');
    const chunked = await exchange(server.url, {
      method: 'POST',
      path: '/api/trpc/ingest.request',
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: function* () {
        for (let i = 0; i < 3_200; i++) yield chunk; // 50 MB, if the server kept reading
      },
    });
    expect(chunked.status).toBe(413);
    expect(await refusals(server, 'body_too_large')).toBe(2);
    // A normal call still works on the same server.
    const api = createSymbologyClient({ url: server.url, wsUrl: server.wsUrl, clientId: 'after' });
    await expect(api.api.ingest.request.mutate({ ticker: 'BODY' })).resolves.toMatchObject({ ticker: 'BODY' });
    await api.close();
  });

  it('lets a client that uploads its whole body before reading still read its 413 (no reset mid-upload)', async () => {
    const server = await web({ HTTP_MAX_BODY_BYTES: 1024 });
    const body = Buffer.alloc(8 * 1024 * 1024, 'a');
    const request = (framing: string) =>
      `POST /api/trpc/ingest.request HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`;
    const chunked = Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')]);
    const statusLines = await Promise.all([
      uploadThenRead(server.url, request(`Content-Length: ${body.length}`), body),
      uploadThenRead(server.url, request('Transfer-Encoding: chunked'), chunked),
    ]);
    expect(statusLines).toEqual(['HTTP/1.1 413 Payload Too Large', 'HTTP/1.1 413 Payload Too Large']);
  });
});

describe('batches', () => {
  it('refuses an HTTP batch over TRPC_MAX_BATCH_SIZE with 400 before running any call', async () => {
    const server = await web({ TRPC_MAX_BATCH_SIZE: 20 });
    const inputs = (n: number, input: (i: number) => unknown) =>
      JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, input(i)])));
    const refused = await exchange(server.url, {
      method: 'POST',
      path: `/api/trpc/${Array(1_000).fill('ingest.request').join(',')}?batch=1`,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from(inputs(1_000, (i) => ({ ticker: `B${i}` }))),
    });
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({
      error: { message: 'A batch may hold at most 20 calls (this one: 1000)', data: { code: 'BAD_REQUEST' } },
    });
    const calls = (await server.services.metrics.procedureSeconds.get()).values.filter(
      (v) => v.metricName?.endsWith('_count') && v.labels.path === 'ingest.request',
    );
    expect(calls.reduce((sum, v) => sum + v.value, 0)).toBe(0);
    // At the limit: every call runs (each an unknown task: 404s, not a refusal).
    const allowed = await exchange(server.url, {
      path: `/api/trpc/${Array(20).fill('ingest.status').join(',')}?batch=1&input=${encodeURIComponent(
        inputs(20, () => ({ taskId: newTaskId() })),
      )}`,
    });
    expect(JSON.parse(allowed.body)).toHaveLength(20);
    expect(await refusals(server, 'batch_too_large')).toBe(1);
  });

  it('counts the calls of a batch whose commas are percent-encoded (tRPC decodes the path before splitting)', async () => {
    const server = await web({ TRPC_MAX_BATCH_SIZE: 20 });
    const input = encodeURIComponent(JSON.stringify({ 0: { taskId: newTaskId() } }));
    for (const comma of [',', '%2C', '%2c']) {
      const reply = await exchange(server.url, {
        path: `/api/trpc/${Array(200).fill('ingest.status').join(comma)}?batch=1&input=${input}`,
      });
      expect(reply.status).toBe(400);
      expect(JSON.parse(reply.body)).toMatchObject({
        error: { message: 'A batch may hold at most 20 calls (this one: 200)', data: { code: 'BAD_REQUEST' } },
      });
    }
    expect(await refusals(server, 'batch_too_large')).toBe(3);
    const malformed = await exchange(server.url, { path: `/api/trpc/ingest.status%E0%A4%A?batch=1&input=${input}` });
    expect(malformed.status).toBe(400);
    // Encoded commas within the limit are still a batch, answered call by call.
    const allowed = await exchange(server.url, {
      path: `/api/trpc/ingest.status%2Cingest.status?batch=1&input=${encodeURIComponent(
        JSON.stringify({ 0: { taskId: newTaskId() }, 1: { taskId: newTaskId() } }),
      )}`,
    });
    expect(JSON.parse(allowed.body)).toHaveLength(2);
  });
});

describe('slow requests', () => {
  /** Sends `head` and nothing more; resolves with what the server answered once it closed, and when. */
  const sendAndWait = (server: RunningWebServer, head: string) =>
    new Promise<{ answer: string; afterMs: number }>((resolve, reject) => {
      const started = Date.now();
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
      let answer = '';
      socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => resolve({ answer, afterMs: Date.now() - started }));
      socket.write(head);
    });

  it('closes a connection whose headers or body do not arrive within HTTP_HEADERS_TIMEOUT_MS / HTTP_REQUEST_TIMEOUT_MS', async () => {
    const server = await web({ HTTP_HEADERS_TIMEOUT_MS: 500, HTTP_REQUEST_TIMEOUT_MS: 1_500 });
    const [headers, body] = await Promise.all([
      sendAndWait(server, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: '),
      sendAndWait(
        server,
        'POST /api/trpc/ingest.request HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
      ),
    ]);
    expect(headers.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(headers.afterMs).toBeLessThan(5_000);
    expect(body.answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(body.afterMs).toBeGreaterThanOrEqual(1_400);
    expect(body.afterMs).toBeLessThan(5_000);
  });

  it('leaves an open WebSocket alone past HTTP_REQUEST_TIMEOUT_MS and HTTP_SEND_IDLE_TIMEOUT_MS', async () => {
    const server = await web({
      HTTP_HEADERS_TIMEOUT_MS: 300,
      HTTP_REQUEST_TIMEOUT_MS: 500,
      HTTP_SEND_IDLE_TIMEOUT_MS: 500,
    });
    const socket = await openSocket(server.wsUrl);
    try {
      await sleep(2_500);
      socket.send({ id: 1, method: 'query', params: { path: 'ingest.status', input: { taskId: newTaskId() } } });
      expect(await socket.replyTo(1, 'error')).toMatchObject({ error: { data: { code: 'NOT_FOUND' } } });
    } finally {
      socket.close();
    }
  });
});

describe('subscriptions per socket', () => {
  it('refuses subscriptions past WS_MAX_SUBSCRIPTIONS_PER_SOCKET with a clear error, and frees a slot on stop', async () => {
    const server = await web({ WS_MAX_SUBSCRIPTIONS_PER_SOCKET: 3 });
    const tasks = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const taskId = newTaskId();
        await edge.system.project(taskEvents(taskId, { ticker: 'SUBS' }).requested());
        return taskId;
      }),
    );
    const socket = await openSocket(server.wsUrl);
    try {
      for (const id of [1, 2, 3]) socket.subscribe(id, tasks[id - 1]!);
      for (const id of [1, 2, 3]) expect(await socket.replyTo(id)).toMatchObject({ result: { type: 'started' } });
      socket.subscribe(4, tasks[3]!);
      expect(await socket.replyTo(4, 'error')).toMatchObject({
        error: {
          message: 'Too many subscriptions on this connection (at most 3): close some before opening more',
          data: { code: 'TOO_MANY_REQUESTS', appCode: 'LIMIT_EXCEEDED' },
        },
      });
      expect(await refusals(server, 'subscriptions_per_socket')).toBe(1);
      socket.stop(1);
      await expect.poll(async () => (await server.services.metrics.subscriptions.get()).values[0]?.value).toBe(2);
      socket.subscribe(5, tasks[4]!);
      expect(await socket.replyTo(5)).toMatchObject({ result: { type: 'started' } });
    } finally {
      socket.close();
    }
  });
});

describe('subscriptions per peer', () => {
  const peerA = { 'x-forwarded-for': '198.51.100.1' };
  const peerB = { 'x-forwarded-for': '198.51.100.2' };
  const isSnapshot = (r: Record<string, unknown>) => (r.result as { type?: string } | undefined)?.type === 'data';
  /** Whether a subscription on `socket` was served (its snapshot came) or refused (an error came). */
  const outcome = async (socket: Awaited<ReturnType<typeof openSocket>>, id: number, taskId: string) => {
    socket.subscribe(id, taskId);
    return 'error' in (await socket.until(id, (r) => 'error' in r || isSnapshot(r))) ? 'refused' : 'served';
  };

  it.each(['broadcast', 'trpc'] as const)(
    "refuses subscriptions past WS_MAX_SUBSCRIPTIONS_PER_PEER across the peer's sockets (WS_STATUS_SUBSCRIPTIONS=%s); another peer is served; a stop or a closed socket frees its slots",
    async (mode) => {
      const server = await web({
        WS_STATUS_SUBSCRIPTIONS: mode,
        WS_MAX_SUBSCRIPTIONS_PER_SOCKET: 3,
        WS_MAX_SUBSCRIPTIONS_PER_PEER: 4,
        TRUSTED_PROXIES: ['127.0.0.0/8'],
      });
      const taskId = newTaskId();
      await edge.system.project(taskEvents(taskId, { ticker: 'PEER' }).requested());
      const [first, second, other] = await Promise.all([
        openSocket(server.wsUrl, peerA),
        openSocket(server.wsUrl, peerA),
        openSocket(server.wsUrl, peerB),
      ]);
      try {
        for (const id of [1, 2, 3]) expect(await outcome(first, id, taskId)).toBe('served');
        expect(await outcome(second, 1, taskId)).toBe('served');
        second.subscribe(2, taskId);
        expect(await second.replyTo(2, 'error')).toMatchObject({
          error: {
            message:
              'Too many subscriptions from this address (at most 4 across its connections): close some before opening more',
            data: { code: 'TOO_MANY_REQUESTS', appCode: 'LIMIT_EXCEEDED' },
          },
        });
        expect(await refusals(server, 'subscriptions_per_peer')).toBe(1);
        expect(await refusals(server, 'subscriptions_per_socket')).toBe(0);
        for (const id of [1, 2, 3]) expect(await outcome(other, id, taskId)).toBe('served');

        let id = 10;
        first.stop(1);
        await expect.poll(() => outcome(second, ++id, taskId), { timeout: 10_000 }).toBe('served');
        expect(await outcome(second, ++id, taskId)).toBe('refused');
        first.close();
        await expect.poll(() => outcome(second, ++id, taskId), { timeout: 10_000 }).toBe('served');
        // The socket's own cap still holds: its third is the last.
        expect(await outcome(second, ++id, taskId)).toBe('refused');
        expect(await refusals(server, 'subscriptions_per_socket')).toBeGreaterThan(0);
      } finally {
        for (const socket of [first, second, other]) socket.close();
      }
    },
  );
});

describe('the ingest rate limit', () => {
  const ask = (server: RunningWebServer, headers: Record<string, string>) =>
    exchange(server.url, {
      method: 'POST',
      path: '/api/trpc/ingest.request',
      headers: { 'content-type': 'application/json', ...headers },
      body: Buffer.from(JSON.stringify({ ticker: 'LIMIT' })),
    });

  it('keys on the peer: rotating x-client-id and forged X-Forwarded-For from one peer are limited', async () => {
    const server = await web({ INGEST_RATE_LIMIT_BURST: 2, INGEST_RATE_LIMIT_PER_MINUTE: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const reply = await ask(server, { 'x-client-id': `fresh-${i}`, 'x-forwarded-for': `198.51.100.${i}` });
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429, 429, 429]);
    expect(await refusals(server, 'ingest_rate_limited')).toBe(6);
  });

  it('believes X-Forwarded-For from a trusted proxy: each client behind it has its own bucket', async () => {
    const server = await web({
      INGEST_RATE_LIMIT_BURST: 1,
      INGEST_RATE_LIMIT_PER_MINUTE: 1,
      TRUSTED_PROXIES: ['127.0.0.0/8'],
    });
    const behindProxy = (client: string) => ask(server, { 'x-forwarded-for': `203.0.113.66, ${client}` });
    expect((await behindProxy('198.51.100.1')).status).toBe(200);
    expect((await behindProxy('198.51.100.2')).status).toBe(200);
    // The proxy appends the real peer on the right; what the client wrote on the left is not believed.
    expect((await behindProxy('198.51.100.1')).status).toBe(429);
  });
});

describe('the call rate limit', () => {
  // Two peers behind a trusted proxy (this machine), each its own bucket as two addresses are.
  const peerA = { 'x-forwarded-for': '198.51.100.1' };
  const peerB = { 'x-forwarded-for': '198.51.100.2' };
  // Five calls at once, then one every 5 s: refills come slowly enough to count exactly, even on a
  // loaded machine.
  const limited = (overrides: Partial<Env> = {}) =>
    web({
      TRPC_RATE_LIMIT_BURST: 5,
      TRPC_RATE_LIMIT_PER_MINUTE: 12,
      TRUSTED_PROXIES: ['127.0.0.0/8'],
      ...overrides,
    });
  /** An HTTP batch of `n` company lookups (each a cheap query: null for an unknown ticker). */
  const lookups = (server: RunningWebServer, peer: Record<string, string>, n: number) =>
    exchange(server.url, {
      path: `/api/trpc/${Array(n).fill('company.byTicker').join(',')}?batch=1&input=${encodeURIComponent(
        JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { ticker: 'NONE' }]))),
      )}`,
      headers: peer,
    });
  const lookup = (id: number) => ({
    id,
    method: 'query',
    params: { path: 'company.byTicker', input: { ticker: 'NONE' } },
  });
  const refused = {
    error: {
      message: expect.stringMatching(/^Too many requests: try again in [1-5] s$/),
      data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429, appCode: 'RATE_LIMITED' },
    },
  };
  const liveTask = async () => {
    const taskId = newTaskId();
    await edge.system.project(taskEvents(taskId, { ticker: 'RATE' }).requested());
    return taskId;
  };

  it('refuses a peer past TRPC_RATE_LIMIT_* over HTTP with 429 and Retry-After, a batch of N counting N; another peer is served; the first again once its bucket refills', async () => {
    const server = await limited();
    expect((await lookups(server, peerA, 3)).status).toBe(200);
    // Two tokens left: two calls of the next three are served, the third refused.
    const partly = await lookups(server, peerA, 3);
    expect(partly.status).toBe(207);
    expect(JSON.parse(partly.body)).toMatchObject([{ result: { data: null } }, { result: { data: null } }, refused]);

    const over = await lookups(server, peerA, 1);
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toMatch(/^[1-5]$/);
    expect(JSON.parse(over.body)).toMatchObject([refused]);
    // The same peer's WebSocket draws on the same bucket.
    const socketA = await openSocket(server.wsUrl, peerA);
    try {
      socketA.send(lookup(1));
      expect(await socketA.replyTo(1, 'error')).toMatchObject(refused);
    } finally {
      socketA.close();
    }

    const other = await lookups(server, peerB, 5);
    expect(other.status).toBe(200);
    expect(JSON.parse(other.body)).toHaveLength(5);
    expect(await refusals(server, 'call_rate_limited')).toBe(3);

    await expect
      .poll(async () => (await lookups(server, peerA, 1)).status, { timeout: 15_000, interval: 250 })
      .toBe(200);
  });

  it('counts a page request too (its render makes the same queries), not a static file of the build', async () => {
    const server = await limited();
    const page = (path: string) => exchange(server.url, { path, headers: peerA });
    // Five tokens, five pages (no Next.js in this server: 404 once admitted); the sixth is refused.
    for (const path of ['/companies/AAPL', '/companies/AAPL', '/tasks/x', '/', '/companies/MSFT?_rsc=1']) {
      expect((await page(path)).status).toBe(404);
    }
    expect((await page('/_next/static/chunks/main.js')).status).toBe(404);
    expect((await page('/icon.svg')).status).toBe(404);
    const refused = await page('/companies/TSLA');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^[1-5]$/);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { message: expect.stringMatching(/^Too many requests/) } });
    // The same bucket as the peer's calls; another peer is served.
    expect((await lookups(server, peerA, 1)).status).toBe(429);
    expect((await exchange(server.url, { path: '/companies/TSLA', headers: peerB })).status).toBe(404);
  });

  it.each(['broadcast', 'trpc'] as const)(
    'counts WebSocket queries and subscription starts (WS_STATUS_SUBSCRIPTIONS=%s) in the same bucket: TOO_MANY_REQUESTS past it, another peer served, the first again once refilled',
    async (mode) => {
      const server = await limited({ WS_STATUS_SUBSCRIPTIONS: mode });
      const [live, other] = await Promise.all([liveTask(), liveTask()]);
      const socketA = await openSocket(server.wsUrl, peerA);
      const socketB = await openSocket(server.wsUrl, peerB);
      try {
        // One frame of four queries counts four; the subscription takes the fifth token.
        socketA.send([1, 2, 3, 4].map(lookup));
        for (const id of [1, 2, 3, 4]) expect(await socketA.replyTo(id)).toMatchObject({ result: { data: null } });
        socketA.subscribe(5, live);
        expect(await socketA.replyTo(5)).toMatchObject({ result: { type: 'started' } });

        socketA.subscribe(6, live);
        expect(await socketA.replyTo(6, 'error')).toMatchObject(refused);
        socketA.send(lookup(7));
        expect(await socketA.replyTo(7, 'error')).toMatchObject(refused);
        expect((await lookups(server, peerA, 1)).status).toBe(429);
        // Refused before it started: no `started`, no slot held.
        expect(socketA.repliesTo(6).map((r) => Object.keys(r).filter((k) => k === 'result' || k === 'error'))).toEqual([
          ['error'],
        ]);

        socketB.send([1, 2, 3].map(lookup));
        for (const id of [1, 2, 3]) expect(await socketB.replyTo(id)).toMatchObject({ result: { data: null } });
        socketB.subscribe(4, other);
        expect(await socketB.replyTo(4)).toMatchObject({ result: { type: 'started' } });
        expect(await refusals(server, 'call_rate_limited')).toBe(3);

        let id = 100;
        await expect
          .poll(
            async () => {
              socketA.send(lookup(++id));
              return 'result' in (await socketA.until(id, () => true));
            },
            { timeout: 15_000, interval: 250 },
          )
          .toBe(true);
      } finally {
        socketA.close();
        socketB.close();
      }
    },
  );
});

describe('errors never leak internals', () => {
  it('a database outage is 503 UNAVAILABLE with a generic message over HTTP; a WebSocket subscription waits it out', async () => {
    const closedPort = await freePort();
    const server = await web({ DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/gone` });
    const reply = await exchange(server.url, {
      path: `/api/trpc/ingest.status?batch=1&input=${statusInput(newTaskId())}`,
    });
    expect(reply.status).toBe(503);
    const [body] = JSON.parse(reply.body) as Array<{ error: { message: string; data: Record<string, unknown> } }>;
    expect(body!.error).toMatchObject({
      message: 'The service is temporarily unavailable: try again in a moment',
      data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, appCode: 'UNAVAILABLE' },
    });
    expect(body!.error.data.requestId).toEqual(expect.any(String));
    expect(reply.body).not.toMatch(/select|task_id|ECONNREFUSED|127\.0\.0\.1|stack|\.ts:/i);

    // Over the WebSocket the same outage ends nothing: a live subscription waits it out, re-reading
    // with backoff (see watchStatus), and the client is sent no error, let alone its internals.
    const client = createSymbologyClient({ url: server.url, wsUrl: server.wsUrl, clientId: 'ws-outage' });
    try {
      const errors: unknown[] = [];
      const subscription = client.api.ingest.onStatus.subscribe(
        { taskId: newTaskId() },
        { onError: (e) => errors.push(e), onData: () => {} },
      );
      const retries = async () => (await server.services.metrics.statusReadRetries.get()).values[0]?.value ?? 0;
      const deadline = Date.now() + 30_000;
      while ((await retries()) < 3) {
        if (Date.now() > deadline) throw new Error('the subscription never retried its read');
        await sleep(50);
      }
      expect(errors).toEqual([]);
      subscription.unsubscribe();
    } finally {
      await client.close();
    }
  });

  it('a database without our tables (an internal error) is 500 with no SQL text, just the request id', async () => {
    const admin = new URL(edge.system.database.url);
    admin.pathname = '/postgres';
    const empty = await createDatabase(admin.toString(), 'symbology_empty');
    try {
      const server = await web({ DATABASE_URL: empty.url });
      const reply = await exchange(server.url, {
        path: `/api/trpc/ingest.status?batch=1&input=${statusInput(newTaskId())}`,
      });
      expect(reply.status).toBe(500);
      const [body] = JSON.parse(reply.body) as Array<{ error: { message: string; data: { requestId: string } } }>;
      expect(body!.error.message).toBe(`Something went wrong on our side (request ${body!.error.data.requestId})`);
      expect(reply.body).not.toMatch(/select|relation|tasks|task_id|stack/i);
      await edge.stop(server);
    } finally {
      await empty.drop();
    }
  });
});

describe('the Host allow-list (DNS rebinding)', () => {
  const upgrade = (server: RunningWebServer, host: string, origin?: string) =>
    new Promise<number>((resolve) => {
      const ws = new WebSocket(server.wsUrl, { headers: { host, ...(origin ? { origin } : {}) } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('error', () => resolve(-1));
    });

  it('refuses a foreign Host on HTTP and on the WebSocket upgrade with 421, even when Origin matches it', async () => {
    const server = await web();
    const { port } = new URL(server.url);
    const foreign = `rebind.attacker.example:${port}`;
    const api = `/api/trpc/ingest.status?batch=1&input=${statusInput(newTaskId())}`;
    expect((await exchange(server.url, { path: api, headers: { host: foreign } })).status).toBe(421);
    expect(await upgrade(server, foreign, `http://${foreign}`)).toBe(421);
    expect(await refusals(server, 'host_not_allowed')).toBe(2);
    // Local names and IP literals are this machine: allowed; ops routes answer any Host.
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `app.localhost:${port}`]) {
      expect((await exchange(server.url, { path: api, headers: { host } })).status).toBe(404);
      expect(await upgrade(server, host)).toBe(101);
    }
    expect((await exchange(server.url, { path: '/healthz', headers: { host: foreign } })).status).toBe(200);
  });

  it('accepts the names in ALLOWED_HOSTS', async () => {
    const server = await web({ ALLOWED_HOSTS: ['symbology.example.com'] });
    const host = `symbology.example.com:${new URL(server.url).port}`;
    expect(await upgrade(server, host, `http://${host}`)).toBe(101);
    const api = `/api/trpc/ingest.status?batch=1&input=${statusInput(newTaskId())}`;
    expect((await exchange(server.url, { path: api, headers: { host } })).status).toBe(404);
  });
});
