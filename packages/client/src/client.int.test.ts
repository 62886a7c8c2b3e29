import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createSymbologyClient, type SymbologyClient } from './client';

type Message = { id: number; method: string; params?: { path: string; input: unknown } };

/**
 * A WebSocket server speaking tRPC's subscription wire by hand, so that the test sees every
 * message the typed client sends: it starts each `ingest.onStatus`, sends one data frame and,
 * for the task `ends`, ends it itself with `stopped`, as the API does after the terminal state.
 */
async function startWireServer() {
  const received: Message[] = [];
  const waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const send = (ws: WebSocket, message: object) => ws.send(JSON.stringify(message));
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      for (const message of [JSON.parse(String(data)) as Message | Message[]].flat()) {
        received.push(message);
        for (const w of waiters.filter((w) => w.match(message))) w.resolve(message);
        if (message.method !== 'subscription') continue;
        const ends = JSON.stringify(message.params).includes('"ends"');
        send(ws, { id: message.id, result: { type: 'started' } });
        send(ws, { id: message.id, result: { type: 'data', id: '1', data: { id: '1', data: { version: 1 } } } });
        if (ends) send(ws, { id: message.id, result: { type: 'stopped' } });
      }
    });
  });
  await once(wss, 'listening');
  return {
    url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
    received,
    next: (match: (m: Message) => boolean) =>
      new Promise<Message>((resolve) => {
        const seen = received.find(match);
        if (seen) resolve(seen);
        else waiters.push({ match, resolve });
      }),
    close: () => new Promise<void>((resolve) => wss.close(() => resolve())),
  };
}

let server: Awaited<ReturnType<typeof startWireServer>>;
let client: SymbologyClient;
beforeAll(async () => {
  server = await startWireServer();
  client = createSymbologyClient({ url: 'http://127.0.0.1:1', wsUrl: server.url });
});
afterAll(async () => {
  await client?.close();
  await server?.close();
});

describe('the typed client over the WebSocket (patched @trpc/client)', () => {
  it('does not answer the server’s `stopped` with a `subscription.stop`, and still sends one when it leaves itself', async () => {
    const watch = (taskId: string) => {
      let complete!: () => void;
      const completed = new Promise<void>((resolve) => (complete = resolve));
      const data: unknown[] = [];
      const sub = client.api.ingest.onStatus.subscribe(
        { taskId },
        { onData: (d) => data.push(d), onComplete: () => complete() },
      );
      return { sub, completed, data };
    };
    // The server ends the first subscription.
    const ended = watch('ends');
    await ended.completed;
    expect(ended.data).toHaveLength(1);
    // A second one is the marker: the socket keeps order, so a `subscription.stop` of the first
    // would have arrived before it.
    const open = watch('stays');
    const second = await server.next((m) => m.method === 'subscription' && m !== server.received[0]);
    const first = server.received[0]!;
    expect(server.received.slice(0, server.received.indexOf(second))).toEqual([first]);
    // The client leaving a subscription the server still holds tells the server.
    open.sub.unsubscribe();
    await expect(server.next((m) => m.method === 'subscription.stop')).resolves.toMatchObject({ id: second.id });
    expect(server.received.filter((m) => m.method === 'subscription.stop').map((m) => m.id)).toEqual([second.id]);
  });
});
