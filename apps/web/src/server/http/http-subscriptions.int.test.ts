import { connect } from 'node:net';
import { newTaskId } from '@symbology/contracts';
import { taskEvents } from '@symbology/contracts/testing';
import { describe, expect, it } from 'vitest';
import { edgeServers } from '../../test-support/edge-servers';
import type { RunningWebServer } from '../index';

// Subscriptions are the WebSocket's: over HTTP, tRPC's fetch adapter would serve one as a
// never-ending stream (server-sent events) with none of the socket's caps. Each through a real
// server over real sockets.

const edge = edgeServers();

/** Sends `request` on a fresh connection; resolves with the status line once it comes, or `null` after `waitMs`; then hangs up. */
function statusLineOf(server: RunningWebServer, request: string, waitMs = 2_000): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    let answer = '';
    const done = (line: string | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(line);
    };
    const timer = setTimeout(() => done(null), waitMs);
    socket.on('error', () => done(null));
    socket.on('data', (c: Buffer) => {
      answer += c.toString('latin1');
      if (answer.includes('\r\n\r\n')) done(answer.split('\r\n')[0]!);
    });
    socket.write(request);
  });
}

async function activeSubscriptions(server: RunningWebServer): Promise<number> {
  return (await server.services.metrics.subscriptions.get()).values[0]?.value ?? 0;
}

describe('subscriptions over HTTP', () => {
  it('are refused at once with 405 and a pointer to the WebSocket; clients that hang up leave no subscription behind', async () => {
    const server = await edge.web();
    const { taskId } = await edge.system.project(taskEvents(newTaskId(), { ticker: 'HTTPS' }).requested());
    const input = encodeURIComponent(JSON.stringify({ taskId }));
    const batchInput = encodeURIComponent(JSON.stringify({ 0: { taskId }, 1: { taskId } }));
    const requests = [
      `GET /api/trpc/ingest.onStatus?input=${input} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      `GET /api/trpc/ingest.onStatus?input=${input} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`,
      `GET /api/trpc/ingest.status,ingest.onStatus?batch=1&input=${batchInput} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
      `GET /api/trpc/ingest.status%2Cingest.onStatus?batch=1&input=${batchInput} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`,
    ];
    for (const request of requests) expect(await statusLineOf(server, request)).toMatch(/^HTTP\/1\.1 405 /);

    // A client opening them by the hundred and hanging up: nothing may stay subscribed.
    await Promise.all(Array.from({ length: 200 }, () => statusLineOf(server, requests[0]!, 1_000)));
    expect(await activeSubscriptions(server)).toBe(0);

    const res = await fetch(`${server.url}/api/trpc/ingest.onStatus?input=${input}`);
    const body = (await res.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.data.code).toBe('METHOD_NOT_SUPPORTED');
    expect(body.error.message).toMatch(/WebSocket/);

    // Queries on the same path prefix are served as before.
    const status = await fetch(`${server.url}/api/trpc/ingest.status?input=${input}`);
    expect(status.status).toBe(200);
  });
});
