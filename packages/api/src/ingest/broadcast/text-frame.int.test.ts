import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { textFrame } from './text-frame';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A server that, once a client connects, runs `send` with the WebSocket and its connection. */
async function serve(send: (ws: WebSocket, connection: NodeJS.WritableStream) => void): Promise<string> {
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer();
  http.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => send(ws, socket)));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  closers.push(() => new Promise((resolve) => http.close(resolve)));
  closers.push(async () => wss.clients.forEach((ws) => ws.terminate()));
  return `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

/** Connects and collects `count` messages, as text, failing on a binary one. */
async function receive(url: string, count: number): Promise<string[]> {
  const ws = new WebSocket(url);
  closers.push(async () => ws.terminate());
  const messages: string[] = [];
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('close', (code) => reject(new Error(`closed (${code}) after ${messages.length} messages`)));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return reject(new Error('a binary message'));
      messages.push(String(data));
      if (messages.length === count) resolve(messages);
    });
  });
}

describe('textFrame', () => {
  it('frames payloads of every length class, in order with what ws.send writes on the same socket', async () => {
    // 1- and 2-byte characters: the length in the header is in bytes. Lengths around the 7-bit,
    // 16-bit and 64-bit length forms.
    const payloads = [2, 125, 126, 127, 65_535, 65_536, 200_001].map((bytes) =>
      Buffer.from(`é${'x'.repeat(bytes - 2)}`),
    );
    const expected = payloads.flatMap((p, i) => [p.toString(), `sent by ws ${i}`]);
    const url = await serve((ws, connection) =>
      payloads.forEach((payload, i) => {
        connection.write(textFrame(payload));
        ws.send(`sent by ws ${i}`);
      }),
    );
    expect(await receive(url, expected.length)).toEqual(expected);
  });

  it('builds a payload’s frame once', () => {
    const payload = Buffer.from('{"id":1}');
    expect(textFrame(payload)).toBe(textFrame(payload));
    expect(textFrame(Buffer.from('{"id":1}'))).not.toBe(textFrame(payload));
  });
});
