import { connect } from 'node:net';
import { newTaskId } from '@symbology/contracts';
import { happyTask, SAMPLE_FILINGS, taskEvents } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { openSocket } from '../../test-support/raw-clients';
import { edgeServers, refusals, wsRejections } from '../../test-support/edge-servers';
import type { RunningWebServer } from '../index';

// What one WebSocket client can make the server hold: calls per frame, unread replies, sockets
// per peer. Each through a real server over real sockets.

const edge = edgeServers();
const web = edge.web;

/** A socket that records every message and how it closed. */
async function rawSocket(wsUrl: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(wsUrl, { headers });
  const messages: string[] = [];
  let bytes = 0;
  ws.on('message', (raw: Buffer) => {
    bytes += raw.length;
    messages.push(raw.toString('utf8'));
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })),
  );
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return { ws, messages, bytes: () => bytes, closed };
}

/** Whether an upgrade is answered 101 or refused (its HTTP status). */
function upgrade(wsUrl: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; ws?: WebSocket }>((resolve) => {
    const ws = new WebSocket(wsUrl, { headers });
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('error', () => resolve({ status: -1 }));
  });
}

const statusQuery = (id: number) => ({
  id,
  method: 'query',
  params: { path: 'ingest.status', input: { taskId: newTaskId() } },
});

describe('calls per frame', () => {
  it('closes a socket with 1008 when one frame carries more than TRPC_MAX_BATCH_SIZE calls, serving none', async () => {
    const server = await web({ TRPC_MAX_BATCH_SIZE: 20 });
    const socket = await rawSocket(server.wsUrl);
    socket.ws.send(JSON.stringify(Array.from({ length: 21 }, (_, i) => statusQuery(i))));
    expect(await socket.closed).toEqual({ code: 1008, reason: 'A message may hold at most 20 calls (this one: 21)' });
    expect(socket.messages.filter((m) => m !== 'PING')).toEqual([]);
    expect(await refusals(server, 'batch_too_large')).toBe(1);
  });

  it('serves a frame of TRPC_MAX_BATCH_SIZE calls, and does not count subscriptions (a reconnecting wsLink resends them all)', async () => {
    const server = await web({ TRPC_MAX_BATCH_SIZE: 5 });
    const socket = await openSocket(server.wsUrl);
    try {
      socket.send(Array.from({ length: 5 }, (_, i) => statusQuery(i + 1)));
      for (let id = 1; id <= 5; id++) {
        expect(await socket.replyTo(id, 'error')).toMatchObject({ error: { data: { code: 'NOT_FOUND' } } });
      }
      const tasks = await Promise.all(
        Array.from({ length: 12 }, async () => {
          const taskId = newTaskId();
          await edge.system.project(taskEvents(taskId, { ticker: 'FRAME' }).requested());
          return taskId;
        }),
      );
      socket.send(
        tasks.map((taskId, i) => ({
          id: 100 + i,
          method: 'subscription',
          params: { path: 'ingest.onStatus', input: { taskId } },
        })),
      );
      for (let i = 0; i < tasks.length; i++) {
        expect(await socket.replyTo(100 + i)).toMatchObject({ result: { type: 'started' } });
      }
      expect(await refusals(server, 'batch_too_large')).toBe(0);
    } finally {
      socket.close();
    }
  });
});

describe('unread replies', () => {
  it('closes a socket whose client does not read once WS_MAX_BUFFERED_BYTES are queued, and sends it nothing more', async () => {
    const maxBuffered = 256 * 1024;
    const server = await web({
      TRPC_MAX_BATCH_SIZE: 20,
      WS_SEND_HIGH_WATER_BYTES: 64 * 1024,
      WS_MAX_BUFFERED_BYTES: maxBuffered,
    });
    const socket = await rawSocket(server.wsUrl);
    socket.ws.pause(); // reads nothing: the replies pile up in the kernel, then on the server
    // Each reply echoes its 2 KB path (no procedure there): ~50 KB of replies per 50 KB frame.
    const path = `nothing.${'x'.repeat(2_000)}`;
    const frame = JSON.stringify(
      Array.from({ length: 20 }, (_, i) => ({ id: i, method: 'query', params: { path, input: null } })),
    );
    // 64 MB of replies asked for: far past what the loopback's kernel buffers hold.
    const frames = 1_300;
    for (let i = 0; i < frames; i++) {
      socket.ws.send(frame);
      if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await expect.poll(() => refusals(server, 'ws_send_buffer_full'), { timeout: 30_000 }).toBe(1);
    socket.ws.resume();
    expect(await socket.closed).toEqual({
      code: 1008,
      reason: `More than ${maxBuffered} bytes unread: read replies before sending`,
    });
    // What reached the client is what the kernel held plus at most the limit and one reply.
    expect(socket.bytes()).toBeLessThan(frames * frame.length * 0.5);
  });

  it('keeps serving a client that reads: status subscriptions on a busy socket end with their terminal state', async () => {
    const server = await web({ WS_SEND_HIGH_WATER_BYTES: 16 * 1024, WS_MAX_BUFFERED_BYTES: 64 * 1024 });
    const socket = await openSocket(server.wsUrl);
    try {
      const tasks = Array.from({ length: 20 }, () => happyTask(newTaskId(), SAMPLE_FILINGS.slice(0, 2)));
      for (const events of tasks) await edge.system.project(events[0]!);
      tasks.forEach((events, i) => socket.subscribe(i + 1, events[0]!.taskId));
      for (const events of tasks) for (const event of events.slice(1)) await edge.system.project(event);
      for (let i = 0; i < tasks.length; i++) {
        expect(await socket.replyTo(i + 1)).toMatchObject({ result: { type: 'started' } });
        const stopped = (r: Record<string, unknown>) => (r.result as { type?: string } | undefined)?.type === 'stopped';
        await socket.until(i + 1, stopped, 'stopped');
        const data = socket.repliesTo(i + 1).filter((r) => (r.result as { type?: string }).type === 'data');
        expect(JSON.stringify(data.at(-1))).toContain('"status":"completed"');
      }
      expect(await refusals(server, 'ws_send_buffer_full')).toBe(0);
    } finally {
      socket.close();
    }
  });
});

describe('sockets per peer', () => {
  it('refuses a peer its WS_MAX_CONNECTIONS_PER_PEER+1th socket with 429, forged X-Forwarded-For or not, and frees the slot on close', async () => {
    const server = await web({ WS_MAX_CONNECTIONS_PER_PEER: 3 });
    const open = await Promise.all([1, 2, 3].map(() => upgrade(server.wsUrl)));
    expect(open.map((o) => o.status)).toEqual([101, 101, 101]);
    expect((await upgrade(server.wsUrl)).status).toBe(429);
    expect((await upgrade(server.wsUrl, { 'x-forwarded-for': '198.51.100.9' })).status).toBe(429);
    expect(await wsRejections(server, 'peer_capacity')).toBe(2);

    open[0]!.ws!.close();
    await expect.poll(async () => (await upgrade(server.wsUrl)).status === 101, { timeout: 10_000 }).toBe(true);
    for (const o of open) o.ws?.close();
  });

  it('counts each client behind a trusted proxy as its own peer', async () => {
    const server = await web({ WS_MAX_CONNECTIONS_PER_PEER: 1, TRUSTED_PROXIES: ['127.0.0.0/8'] });
    const a = await upgrade(server.wsUrl, { 'x-forwarded-for': '198.51.100.1' });
    const b = await upgrade(server.wsUrl, { 'x-forwarded-for': '198.51.100.2' });
    expect([a.status, b.status]).toEqual([101, 101]);
    expect((await upgrade(server.wsUrl, { 'x-forwarded-for': '198.51.100.1' })).status).toBe(429);
    a.ws?.close();
    b.ws?.close();
  });
});

describe('upgrades that go wrong', () => {
  /** Sends an upgrade request on a raw TCP socket; `reset` ms later (if given) resets the connection. */
  const upgrade = (server: RunningWebServer, target: string, extra: string, reset?: number) =>
    new Promise<void>((resolve) => {
      const { port } = new URL(server.url);
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
            `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n${extra}\r\n`,
        );
        if (reset !== undefined) setTimeout(() => socket.resetAndDestroy(), reset);
      });
      socket.on('error', () => {});
      socket.on('close', () => resolve());
      socket.setTimeout(2_000, () => socket.destroy());
    });

  it('survive a request target that does not parse and clients that reset while refused', async () => {
    const server = await web({ WS_ALLOWED_ORIGINS: [] });
    // `new URL` throws on these: an uncaught exception in the upgrade listener ended the process.
    await Promise.all(['//x:99999/api/trpc-ws', '//[/api/trpc-ws'].map((t) => upgrade(server, t, '')));
    // Refused (a foreign Origin), reset by the client while the refusal is written: an 'error'
    // event on a socket Node had left without a listener.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => upgrade(server, '/api/trpc-ws', 'Origin: http://evil.example\r\n', i % 8)),
    );
    // Still serving, both ways.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ok = await openSocket(server.wsUrl);
    ok.close();
  });
});
