import { readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openSocket } from '../../test-support/raw-clients';
import { edgeServers } from '../../test-support/edge-servers';
import type { RunningWebServer } from '../index';

// WebSocket upgrades for paths other than the tRPC socket's, on a server with its pages (Next.js,
// dev mode: no build needed). Through a real server over real sockets.

const edge = edgeServers();

// Next's dev server rewrites next-env.d.ts to point at its own types: put the committed one back.
const NEXT_ENV = fileURLToPath(new URL('../../../next-env.d.ts', import.meta.url));
const committedNextEnv = readFileSync(NEXT_ENV, 'utf8');
afterAll(() => writeFileSync(NEXT_ENV, committedNextEnv));

/** An upgrade request for `target` on a raw socket: resolves with what came back once it closed, or `undefined` if it was still open after `waitMs`. */
function upgrade(server: RunningWebServer, target: string, waitMs: number): Promise<string | undefined> {
  const { port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      ),
    );
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, waitMs);
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

describe('upgrades for other paths', () => {
  it('are refused with 404 and closed at once, not left open past every timeout; the tRPC socket still opens', async () => {
    const server = await edge.web({
      WEB_NEXT_MODE: 'dev',
      HTTP_REQUEST_TIMEOUT_MS: 1_000,
      HTTP_HEADERS_TIMEOUT_MS: 1_000,
    });
    const targets = ['/', '/companies/SYMB', '/no-such-page', '/api/trpc', '/api/trpc-ws-not'];
    // Waits well past HTTP_REQUEST_TIMEOUT_MS: Next took these and neither answered nor closed them.
    const answers = await Promise.all(targets.map((t) => upgrade(server, t, 4_000)));
    for (const [i, answer] of answers.entries()) expect(answer, targets[i]).toMatch(/^HTTP\/1\.1 404 /);
    const ok = await openSocket(server.wsUrl);
    ok.close();
  });
});
