import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';
import { companies, filings, filingSections } from '@symbology/db/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { exchange } from '../../test-support/raw-clients';
import { edgeServers, refusals } from '../../test-support/edge-servers';
import type { RunningWebServer } from '../index';

// What one HTTP client can make the server hold by not reading its answers: the audit's attack,
// batched `filing.sections` GETs whose answers are never read. Each through a real server over
// real sockets.

const edge = edgeServers();
const web = edge.web;

const CIK = '0000000777';
const ACCESSION = '0000000777-25-000001';
const SECTION_CHARS = 200_000;
/** 20 calls of a filing's three sections: about 12 MB, far past what the loopback's kernel buffers hold. */
const batch = `/api/trpc/${Array(20).fill('filing.sections').join(',')}?batch=1&input=${encodeURIComponent(
  JSON.stringify(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i, { accession: ACCESSION }]))),
)}`;
// Peers behind a trusted proxy (this machine), each its own peer as two addresses are.
const proxied = { TRUSTED_PROXIES: ['127.0.0.0/8'] };
const peerA = { 'x-forwarded-for': '198.51.100.1' };
const peerB = { 'x-forwarded-for': '198.51.100.2' };

beforeAll(async () => {
  const { db } = edge.system;
  await db.insert(companies).values({ cik: CIK, name: 'Verbose Corp', tickers: ['VRBS'] });
  await db.insert(filings).values({
    accession: ACCESSION,
    cik: CIK,
    form: '10-K',
    fiscalYear: 2025,
    reportDate: '2025-06-30',
    filingDate: '2025-08-01',
    primaryDocumentUrl: 'https://www.sec.gov/Archives/edgar/data/777/a.htm',
  });
  await db.insert(filingSections).values(
    (['business', 'risk_factors', 'mdna'] as const).map((section) => ({
      cik: CIK,
      accession: ACCESSION,
      section,
      title: section,
      text: 'x'.repeat(SECTION_CHARS),
      charCount: SECTION_CHARS,
    })),
  );
});

/**
 * A GET on a fresh connection whose client reads the head of the answer and then stops reading:
 * the rest stays on the server until it `read`s (all at once, or one chunk per `pauseMs`).
 */
async function getWithoutReading(server: RunningWebServer, path: string, headers: Record<string, string>) {
  const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${head}\r\n`);
  socket.on('error', () => {});
  const first = await new Promise<Buffer>((resolve) => socket.once('data', resolve));
  socket.pause();
  let received = first.length;
  let tail = first.toString('latin1').slice(-16);
  return {
    status: Number(first.toString('latin1').split(' ')[1]),
    /** Reads the rest of the (chunked) answer, pausing `pauseMs` after each chunk; resolves with its size once all came. */
    read: (pauseMs = 0) =>
      new Promise<number>((resolve, reject) => {
        socket.once('close', () => reject(new Error(`closed after ${received} bytes, before the answer's end`)));
        socket.on('data', (chunk: Buffer) => {
          received += chunk.length;
          tail = (tail + chunk.toString('latin1', Math.max(0, chunk.length - 16))).slice(-16);
          if (tail.endsWith('\r\n0\r\n\r\n')) return resolve(received);
          if (pauseMs === 0) return;
          socket.pause();
          setTimeout(() => socket.resume(), pauseMs);
        });
        socket.resume();
      }),
    destroy: () => socket.destroy(),
  };
}

/** How many `filing.sections` calls the server ran. */
async function sectionCalls(server: RunningWebServer): Promise<number> {
  const { values } = await server.services.metrics.procedureSeconds.get();
  return values
    .filter((v) => v.metricName?.endsWith('_count') && v.labels.path === 'filing.sections')
    .reduce((sum, v) => sum + v.value, 0);
}

describe('answers a client does not read', () => {
  it('refuses a peer with more than HTTP_MAX_UNSENT_BYTES_PER_PEER unread with 429 and Retry-After before any work; another peer is served; the first again once it reads', async () => {
    const server = await web({ ...proxied, HTTP_MAX_UNSENT_BYTES_PER_PEER: 4 * 1024 * 1024 });
    const unread = await getWithoutReading(server, batch, peerA);
    expect(unread.status).toBe(200);

    const refused = await exchange(server.url, { path: batch, headers: peerA });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(JSON.parse(refused.body)).toMatchObject({
      error: {
        message: `More than ${4 * 1024 * 1024} bytes unread: read replies before sending more requests`,
        data: { code: 'TOO_MANY_REQUESTS', httpStatus: 429 },
      },
    });
    // A page (or anything else) from that peer alike; none of it ran.
    expect((await exchange(server.url, { path: '/companies/VRBS', headers: peerA })).status).toBe(429);
    expect(await sectionCalls(server)).toBe(20);
    expect(await refusals(server, 'http_send_buffer_full')).toBe(2);

    expect((await exchange(server.url, { path: batch, headers: peerB })).status).toBe(200);

    expect(await unread.read()).toBeGreaterThan(20 * 3 * SECTION_CHARS);
    await expect.poll(async () => (await exchange(server.url, { path: batch, headers: peerA })).status).toBe(200);
    expect(await sectionCalls(server)).toBe(60);
  });

  it('destroys a connection whose answer makes no progress for HTTP_SEND_IDLE_TIMEOUT_MS, which frees its peer', async () => {
    const server = await web({
      ...proxied,
      HTTP_SEND_IDLE_TIMEOUT_MS: 1_000,
      HTTP_MAX_UNSENT_BYTES_PER_PEER: 4 * 1024 * 1024,
    });
    const unread = await getWithoutReading(server, batch, peerA);
    expect(unread.status).toBe(200);
    expect((await exchange(server.url, { path: batch, headers: peerA })).status).toBe(429);

    // Cut: its buffer freed, the peer is served again; the client, reading at last, finds its answer cut short.
    await expect.poll(() => refusals(server, 'http_send_stalled'), { timeout: 10_000 }).toBe(1);
    expect((await exchange(server.url, { path: batch, headers: peerA })).status).toBe(200);
    await expect(unread.read()).rejects.toThrow(/before the answer's end/);
  });

  it('keeps a connection whose client reads slowly, and keep-alive connections, past HTTP_SEND_IDLE_TIMEOUT_MS', async () => {
    const server = await web({ HTTP_SEND_IDLE_TIMEOUT_MS: 2_000 });
    const slow = await getWithoutReading(server, batch, {});
    // One chunk (at most 64 KiB) every 20 ms: 12 MB in no less than 3.7 s, none of it 2 s without progress.
    const started = Date.now();
    expect(await slow.read(20)).toBeGreaterThan(20 * 3 * SECTION_CHARS);
    expect(Date.now() - started).toBeGreaterThan(2_000);
    slow.destroy();

    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = httpRequest(
          `${server.url}/api/trpc/filing.sections?input=${encodeURIComponent(
            JSON.stringify({ accession: ACCESSION }),
          )}`,
          { agent },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
          },
        );
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      expect(await get()).toEqual({ status: 200, reused: true });
      expect(await refusals(server, 'http_send_stalled')).toBe(0);
    } finally {
      agent.destroy();
    }
  });
});
