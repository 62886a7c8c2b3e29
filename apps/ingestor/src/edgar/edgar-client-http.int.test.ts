import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEdgarClient, DEFAULT_MAX_JSON_BYTES, type EdgarClientOptions } from './edgar-client';
import { unlimited } from './request-limiter';

/** Real HTTP (node's fetch, real gzip, real redirects) against two local hosts: EDGAR and another. */
describe('EDGAR client over real HTTP', () => {
  let edgarHost: Server;
  let otherHost: Server;
  let edgarUrl = '';
  let otherUrl = '';
  const otherRequests: Array<{ url: string; userAgent: string | undefined }> = [];
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
      if (url.includes('/companyfacts/')) {
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
});
