import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { edgeServers } from '../../test-support/edge-servers';
import type { RunningWebServer } from '../index';

// Request targets Node's parser lets through but a URL cannot hold (`//x:99999/…`, `//[/…`):
// the client's mistake, to be answered as such. Through a real server over real sockets.

const edge = edgeServers();

/** Sends one GET for `target` on a raw socket; resolves with the status line and body once answered. */
function get(server: RunningWebServer, target: string): Promise<{ statusLine: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    let answer = '';
    socket.on('error', reject);
    socket.on('data', (c: Buffer) => {
      answer += c.toString('latin1');
      const [head, body = ''] = answer.split('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(head!)?.[1];
      if (length !== undefined && Buffer.byteLength(body) >= Number(length)) {
        socket.destroy();
        resolve({ statusLine: head!.split('\r\n')[0]!, body });
      }
    });
    socket.on('close', () => resolve({ statusLine: answer.split('\r\n')[0]!, body: '' }));
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

describe('request targets that do not parse', () => {
  it('are answered 400 with a JSON error, not 500, and write no error to the log', async () => {
    const server = await edge.web();
    const logged = vi.spyOn(server.services.logger, 'error');
    for (const target of [
      '//[/api/trpc/ingest.status',
      '//x:99999/api/trpc/ingest.status',
      '//[/',
      '//x:99999/healthz',
    ]) {
      const { statusLine, body } = await get(server, target);
      expect(statusLine, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(body)).toMatchObject({ error: { data: { code: 'BAD_REQUEST' } } });
    }
    expect(logged).not.toHaveBeenCalled();
    // A target that parses is served as before.
    expect((await get(server, '/healthz')).statusLine).toMatch(/^HTTP\/1\.1 200 /);
  });
});
