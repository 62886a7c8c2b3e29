import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createEdgarClient,
  DEFAULT_MAX_JSON_BYTES,
  DEFAULT_MAX_LIST_BYTES,
  type EdgarClientOptions,
} from './edgar-client';
import { unlimited } from './request-limiter';
import { FIXTURES_DIR, readText } from './test-data';

/** Real HTTP (node's fetch, real gzip, real redirects) against two local hosts: EDGAR and another. */
describe('EDGAR client over real HTTP', () => {
  let edgarHost: Server;
  let otherHost: Server;
  let edgarUrl = '';
  let otherUrl = '';
  const otherRequests: Array<{ url: string; userAgent: string | undefined }> = [];
  const edgarRequests: Array<{ url: string; userAgent: string | undefined }> = [];
  const FOLDER = '/www.sec.gov/Archives/edgar/data/320193/000032019324000123';
  const SUBMISSIONS = readText(FIXTURES_DIR, 'data.sec.gov/submissions/CIK0009999999.json');
  const KIB = 1024;
  // companyfacts of 8 MiB unpacked that is a few KiB on the wire.
  const factsBomb = gzipSync(
    Buffer.concat([
      Buffer.from('{"cik":320193,"entityName":"X","facts":{},"pad":"'),
      Buffer.alloc(8 * 1024 * KIB, 0x20),
      Buffer.from('"}'),
    ]),
    { level: 9 },
  );

  const listen = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
    const server = createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  };

  beforeAll(async () => {
    const other = await listen((req, res) => {
      otherRequests.push({ url: req.url ?? '', userAgent: req.headers['user-agent'] });
      res.end('<html><body><p>Not EDGAR</p></body></html>');
    });
    otherHost = other.server;
    otherUrl = other.url;
    const edgar = await listen((req, res) => {
      const url = req.url ?? '';
      edgarRequests.push({ url, userAgent: req.headers['user-agent'] });
      const moved = (location: string) => {
        res.writeHead(url.includes('submissions') ? 301 : 302, { location });
        res.end();
      };
      // Redirects within this host: relative and absolute, a chain into another host, a loop, an endless chain.
      if (url === `${FOLDER}/moved.htm`) return moved('/www.sec.gov/Archives/new-home/moved.htm');
      if (url === '/data.sec.gov/submissions/CIK0009999999.json') {
        return moved(`${edgarUrl}/data.sec.gov/submissions/renamed/CIK0009999999.json`);
      }
      if (url === `${FOLDER}/leaves.htm`) return moved('/www.sec.gov/Archives/on-the-way.htm');
      if (url === '/www.sec.gov/Archives/on-the-way.htm') return moved(`${otherUrl}/internal/secret`);
      if (url === `${FOLDER}/loop-a.htm`) return moved('loop-b.htm');
      if (url === `${FOLDER}/loop-b.htm`) return moved('loop-a.htm');
      const endless = /\/endless-(\d+)\.htm$/.exec(url);
      if (endless) return moved(`endless-${Number(endless[1]) + 1}.htm`);
      if (url === '/www.sec.gov/Archives/new-home/moved.htm') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html><body><p>Moved 10-K</p></body></html>');
      }
      if (url === '/data.sec.gov/submissions/renamed/CIK0009999999.json') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(SUBMISSIONS);
      }
      // The same 8 MiB as a company's filing list (parsed on the event loop, so capped lower).
      if (url.includes('/companyfacts/') || url === '/data.sec.gov/submissions/CIK0000320193.json') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        return res.end(factsBomb);
      }
      if (url.includes('/redirect') || url.includes('company_tickers')) {
        res.writeHead(302, { location: `${otherUrl}/internal/secret` });
        return res.end();
      }
      res.writeHead(404);
      res.end();
    });
    edgarHost = edgar.server;
    edgarUrl = edgar.url;
  });
  beforeEach(() => {
    edgarRequests.length = 0;
    otherRequests.length = 0;
  });
  afterAll(async () => {
    await Promise.all([edgarHost, otherHost].map((s) => new Promise((resolve) => s?.close(resolve))));
  });

  const client = (overrides: Partial<EdgarClientOptions> = {}) =>
    createEdgarClient({
      wwwUrl: `${edgarUrl}/www.sec.gov`,
      dataUrl: `${edgarUrl}/data.sec.gov`,
      userAgent: 'Symbology Tests ops@symbology.example',
      limiter: unlimited,
      maxAttempts: 3,
      timeoutMs: 5_000,
      baseDelayMs: 1,
      sleep: async () => {},
      ...overrides,
    });

  it('given a small gzip companyfacts that unpacks past EDGAR_MAX_JSON_BYTES, then document_too_large, not retried, naming the setting', async () => {
    const requests: number[] = [];
    const edgar = client({ maxJsonBytes: 1024 * KIB, onRequest: (o) => requests.push(o.attempt) });
    const error = await edgar.companyFacts('320193').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'document_too_large', retryable: false });
    expect((error as Error).message).toMatch(
      /^The JSON response at .*companyfacts\/CIK0000320193\.json is larger than 1 MB \(EDGAR_MAX_JSON_BYTES\), so it was not read and asking again would bring the same bytes$/,
    );
    expect(requests).toEqual([1]);
  });

  it('given a filing list past EDGAR_MAX_LIST_BYTES, then document_too_large naming it, while companyfacts of that size is read', async () => {
    // A list is parsed on the event loop: 256 MB of `{}` there takes the process down; companyfacts is read in a worker.
    const edgar = client({ maxListBytes: 1024 * KIB });
    const error = await edgar.submissions('320193').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'document_too_large', retryable: false });
    expect((error as Error).message).toMatch(/is larger than 1 MB \(EDGAR_MAX_LIST_BYTES\)/);
    expect((await edgar.companyFacts('320193')).bytes.byteLength).toBeGreaterThan(8 * 1024 * KIB);
    expect(DEFAULT_MAX_LIST_BYTES).toBe(16 * 1024 * KIB);
  });

  it('given no JSON cap set, then the default one applies (256 MiB), not an unbounded read', () => {
    expect(DEFAULT_MAX_JSON_BYTES).toBe(256 * 1024 * 1024);
  });

  it('given a 302 to another host, then it is not followed: no request there, an upstream error saying where it pointed', async () => {
    const requests: number[] = [];
    const edgar = client({ onRequest: (o) => requests.push(o.attempt) });
    for (const call of [
      () => edgar.document('320193', '0000320193-24-000123', 'redirect.htm'),
      () => edgar.tickers(),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'upstream', status: 302, retryable: false });
      expect((error as Error).message).toContain(`to ${otherUrl}/internal/secret (HTTP 302)`);
      expect((error as Error).message).toContain('does not follow redirects');
    }
    expect(requests).toEqual([1, 1]);
    expect(otherRequests).toEqual([]);
  });

  /** A client whose limiter counts the permissions it grants. */
  const counted = () => {
    let acquired = 0;
    const edgar = client({ limiter: { acquire: async () => void acquired++ } });
    return { edgar, acquired: () => acquired };
  };
  const userAgents = () => edgarRequests.map((r) => r.userAgent);

  it('given a 302 to another path on the EDGAR host, then it is followed and the document read, one limiter permission per request', async () => {
    const { edgar, acquired } = counted();
    const doc = await edgar.document('320193', '0000320193-24-000123', 'moved.htm');
    expect(doc).toEqual({
      url: `${edgarUrl}${FOLDER}/moved.htm`,
      text: '<html><body><p>Moved 10-K</p></body></html>',
    });
    expect(edgarRequests.map((r) => r.url)).toEqual([
      `${FOLDER}/moved.htm`,
      '/www.sec.gov/Archives/new-home/moved.htm',
    ]);
    expect(userAgents()).toEqual(['Symbology Tests ops@symbology.example', 'Symbology Tests ops@symbology.example']);
    expect(acquired()).toBe(2);
  });

  it('given a 301 to an absolute URL on the EDGAR host, then the JSON there is read', async () => {
    const { edgar, acquired } = counted();
    expect((await edgar.submissions('9999999')).name).toBe('Symbology Test Corp');
    expect(edgarRequests.map((r) => r.url)).toEqual([
      '/data.sec.gov/submissions/CIK0009999999.json',
      '/data.sec.gov/submissions/renamed/CIK0009999999.json',
    ]);
    expect(acquired()).toBe(2);
  });

  it('given a redirect within EDGAR that then points to another host, then that hop is refused: no request there', async () => {
    const error = await client()
      .document('320193', '0000320193-24-000123', 'leaves.htm')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream', status: 302, retryable: false });
    expect((error as Error).message).toBe(
      `EDGAR redirected ${edgarUrl}${FOLDER}/leaves.htm -> ${edgarUrl}/www.sec.gov/Archives/on-the-way.htm to ${otherUrl}/internal/secret (HTTP 302); the ingestor does not follow redirects off the hosts of EDGAR_WWW_URL and EDGAR_DATA_URL (${edgarUrl}), so nothing was read from there`,
    );
    expect(edgarRequests).toHaveLength(2);
    expect(otherRequests).toEqual([]);
  });

  it('given a redirect loop, then an upstream error naming the chain, not retried', async () => {
    const { edgar, acquired } = counted();
    const error = await edgar.document('320193', '0000320193-24-000123', 'loop-a.htm').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream', status: 302, retryable: false });
    const [a, b] = [`${edgarUrl}${FOLDER}/loop-a.htm`, `${edgarUrl}${FOLDER}/loop-b.htm`];
    expect((error as Error).message).toBe(`EDGAR redirected in a loop (${a} -> ${b} -> ${a}), so nothing was read`);
    expect(edgarRequests).toHaveLength(2);
    expect(acquired()).toBe(2);
  });

  it('given redirects that never end, then an upstream error after 3 hops (4 requests), naming the chain, not retried', async () => {
    const { edgar, acquired } = counted();
    const error = await edgar.document('320193', '0000320193-24-000123', 'endless-1.htm').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'upstream', status: 302, retryable: false });
    const chain = [1, 2, 3, 4, 5].map((n) => `${edgarUrl}${FOLDER}/endless-${n}.htm`).join(' -> ');
    expect((error as Error).message).toBe(
      `EDGAR redirected ${edgarUrl}${FOLDER}/endless-1.htm more than 3 times (${chain}), so nothing was read`,
    );
    expect(edgarRequests.map((r) => r.url)).toEqual([1, 2, 3, 4].map((n) => `${FOLDER}/endless-${n}.htm`));
    expect(acquired()).toBe(4);
  });
});
