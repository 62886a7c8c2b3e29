import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { WebSocket } from 'ws';

// Clients that send exactly what a hostile script would: no library between the test and the wire.

/** A raw HTTP exchange, so that Host and body framing are exactly what a hostile client sends. */
export function exchange(
  url: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | (() => Iterable<Buffer>);
  },
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          // Answered: stop sending what is left of the body, as a client reading the answer would.
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    const { body } = options;
    if (typeof body === 'function') {
      // Chunked, no Content-Length: the server only learns the size by reading. Stop writing once
      // the server has answered (it discards what it reads after its refusal).
      const chunks = body()[Symbol.iterator]();
      const pump = () => {
        for (let next = chunks.next(); !next.done; next = chunks.next()) {
          if (req.destroyed || req.socket?.destroyed) return;
          if (!req.write(next.value)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    } else req.end(body);
  });
}

/**
 * A client that sends its whole request before it reads a byte of the answer, as simple upload
 * scripts do: the raw bytes of `head` and `body` go out first, then whatever the server sent is
 * read until it closes. Resolves with the status line, or rejects with the socket error (a reset
 * mid-upload is EPIPE or ECONNRESET here).
 */
export function uploadThenRead(url: string, head: string, body: Buffer): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('error', reject);
    socket.write(head);
    socket.write(body, () => {
      socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
      socket.on('end', () => resolve(answer.split('\r\n')[0] ?? ''));
      socket.resume();
    });
    socket.pause();
  });
}

/** A raw tRPC WebSocket client: what a script can do, not what our client library would. */
export async function openSocket(wsUrl: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(wsUrl, { headers });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const replies = new Map<number, Array<Record<string, unknown>>>();
  const waiters = new Map<number, Array<() => void>>();
  ws.on('message', (raw) => {
    if (String(raw) === 'PING') return void ws.send('PONG'); // tRPC's keepalive
    const msg = JSON.parse(String(raw)) as { id: number } & Record<string, unknown>;
    replies.set(msg.id, [...(replies.get(msg.id) ?? []), msg]);
    for (const wake of waiters.get(msg.id) ?? []) wake();
    waiters.delete(msg.id);
  });
  /** The first reply to call `id` that `matches`; waits up to 30 s. */
  const until = async (
    id: number,
    matches: (reply: Record<string, unknown>) => boolean,
    what = 'matching reply',
  ): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const reply = replies.get(id)?.find(matches);
      if (reply) return reply;
      if (Date.now() > deadline) throw new Error(`no ${what} for call ${id}`);
      await new Promise<void>((resolve) => {
        waiters.set(id, [...(waiters.get(id) ?? []), resolve]);
        setTimeout(resolve, 1_000);
      });
    }
  };
  /** The first reply to call `id` that has `key` (`result` or `error`). */
  const replyTo = (id: number, key: 'result' | 'error' = 'result') => until(id, (r) => key in r, key);
  return {
    /** Sends one message (or a batch) as it is. */
    send: (message: unknown) => ws.send(JSON.stringify(message)),
    /** Every reply to call `id` so far, in arrival order. */
    repliesTo: (id: number) => replies.get(id) ?? [],
    until,
    subscribe: (id: number, taskId: string) =>
      ws.send(JSON.stringify({ id, method: 'subscription', params: { path: 'ingest.onStatus', input: { taskId } } })),
    stop: (id: number) => ws.send(JSON.stringify({ id, method: 'subscription.stop' })),
    replyTo,
    close: () => ws.close(),
  };
}
