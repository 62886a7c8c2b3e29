import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEdgarMirror, type EdgarMirror } from './edgar-mirror';
import { FIXTURES_DIR, SHARED_DIR, hasShared } from './test-data';

type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer };

/** A raw GET that sends the path exactly as written (fetch would normalise "..") and does not decompress. */
function rawGet(mirror: EdgarMirror, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { hostname, port } = new URL(mirror.url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const SUBMISSIONS = '/data.sec.gov/submissions/CIK0009999999.json';
const fixtureBytes = (path: string) => readFileSync(join(FIXTURES_DIR, path));

describe('EDGAR mirror over real HTTP', () => {
  let mirror: EdgarMirror;
  const logDir = mkdtempSync(join(tmpdir(), 'edgar-mirror-'));
  const logFile = join(logDir, 'requests.jsonl');

  beforeAll(async () => {
    mirror = await startEdgarMirror({ roots: [FIXTURES_DIR, SHARED_DIR], logFile });
  });
  afterEach(() => {
    mirror.clearFaults();
    mirror.clearRequests();
  });
  afterAll(async () => {
    await mirror.close();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('given a recorded file, when requested under its host, then served byte for byte with its content type', async () => {
    const res = await rawGet(mirror, SUBMISSIONS);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body.equals(fixtureBytes('data.sec.gov/submissions/CIK0009999999.json'))).toBe(true);
    const doc = await rawGet(mirror, '/www.sec.gov/Archives/edgar/data/9999999/000999999926000004/symb-20251231.htm');
    expect(doc.headers['content-type']).toBe('text/html');
  });

  it('given a client accepting gzip, when requested, then the body is gzip and unzips to the file', async () => {
    const res = await rawGet(mirror, SUBMISSIONS, { 'accept-encoding': 'gzip, deflate' });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).equals(fixtureBytes('data.sec.gov/submissions/CIK0009999999.json'))).toBe(true);
  });

  it('given an absent file, when requested, then 404 with a JSON message', async () => {
    const res = await rawGet(mirror, '/data.sec.gov/submissions/CIK0009999996.json');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body.toString())).toEqual({
      error: 'not_found',
      message: 'No recorded EDGAR response for /data.sec.gov/submissions/CIK0009999996.json',
    });
  });

  it.each([
    '/data.sec.gov/../../../../etc/passwd',
    '/data.sec.gov/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
    '/data.sec.gov/..%2f..%2f..%2fetc%2fpasswd',
    '/www.sec.gov/..%5c..%5cetc%5cpasswd',
    '/README.md',
  ])('given a path outside the mirrored hosts (%s), when requested, then 404', async (path) => {
    const res = await rawGet(mirror, path);
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('root:');
  });

  it('given no roots, when started, then it serves the repo fixtures', async () => {
    const fixturesOnly = await startEdgarMirror({});
    try {
      const res = await rawGet(fixturesOnly, SUBMISSIONS);
      expect(res.status).toBe(200);
      expect(res.body.equals(fixtureBytes('data.sec.gov/submissions/CIK0009999999.json'))).toBe(true);
    } finally {
      await fixturesOnly.close();
    }
  });

  it('given a 429 fault for one request, when requested twice, then 429 with Retry-After, then the file', async () => {
    mirror.inject({ pattern: 'CIK0009999999', status: 429, retryAfter: 7, times: 1 });
    const first = await rawGet(mirror, SUBMISSIONS);
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect((await rawGet(mirror, SUBMISSIONS)).status).toBe(200);
  });

  it('given a 302 fault with a Location header, when requested, then 302 with that Location, then the file', async () => {
    const location = '/data.sec.gov/submissions/CIK0009999998.json';
    mirror.inject({ pattern: SUBMISSIONS, status: 302, headers: { Location: location }, times: 1 });
    const first = await rawGet(mirror, SUBMISSIONS);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe(location);
    expect((await rawGet(mirror, SUBMISSIONS)).status).toBe(200);
    expect(mirror.requests().map((r) => [r.status, r.fault])).toEqual([
      [302, 'status'],
      [200, undefined],
    ]);
  });

  it('given fault headers over the admin endpoint, when one is not a header or has no status, then 400 with the reason', async () => {
    const post = (rule: unknown) =>
      fetch(`${mirror.url}/_mirror/faults`, { method: 'POST', body: JSON.stringify(rule) });
    const message = async (res: Response) => ((await res.json()) as { message: string }).message;
    const ok = await post({ pattern: 'x', status: 301, headers: { Location: '/www.sec.gov/y' } });
    expect(ok.status).toBe(201);
    const splitting = await post({ pattern: 'x', status: 302, headers: { Location: '/a\r\nSet-Cookie: x=1' } });
    expect(splitting.status).toBe(400);
    expect(await message(splitting)).toContain('a header value holds no control character');
    const badName = await post({ pattern: 'x', status: 302, headers: { 'Bad Name': 'v' } });
    expect(badName.status).toBe(400);
    expect(await message(badName)).toContain('Invalid key in record\n  → at headers["Bad Name"]');
    const noStatus = await post({ pattern: 'x', delayMs: 1, headers: { Location: '/y' } });
    expect(noStatus.status).toBe(400);
    expect(await message(noStatus)).toContain('headers are sent with a status');
  });

  it('given a 500 fault matched by regex, when requested, then 500 only for matching paths', async () => {
    mirror.inject({ pattern: 'companyfacts/CIK\\d+\\.json$', regex: true, status: 500 });
    expect((await rawGet(mirror, '/data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json')).status).toBe(500);
    expect((await rawGet(mirror, SUBMISSIONS)).status).toBe(200);
  });

  it('given a delay fault, when requested, then the answer comes no sooner than the delay', async () => {
    mirror.inject({ pattern: SUBMISSIONS, delayMs: 150, times: 1 });
    const started = performance.now();
    expect((await rawGet(mirror, SUBMISSIONS)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('given a truncate fault, when requested with gzip accepted, then half the body, plain, with a matching length', async () => {
    mirror.inject({ pattern: SUBMISSIONS, truncate: true });
    const res = await rawGet(mirror, SUBMISSIONS, { 'accept-encoding': 'gzip' });
    const full = fixtureBytes('data.sec.gov/submissions/CIK0009999999.json');
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.equals(full.subarray(0, Math.floor(full.length / 2)))).toBe(true);
  });

  it('given faults set over the admin endpoint, when listed, used and cleared, then they behave as the programmatic ones', async () => {
    const post = await fetch(`${mirror.url}/_mirror/faults`, {
      method: 'POST',
      body: JSON.stringify({ pattern: 'CIK0009999999', status: 503, times: 2 }),
    });
    expect(post.status).toBe(201);
    const bad = await fetch(`${mirror.url}/_mirror/faults`, { method: 'POST', body: JSON.stringify({ pattern: 'x' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain('a fault needs an action');
    expect((await rawGet(mirror, SUBMISSIONS)).status).toBe(503);
    const listed = (await (await fetch(`${mirror.url}/_mirror/faults`)).json()) as {
      faults: Array<{ remaining: number }>;
    };
    expect(listed.faults.map((f) => f.remaining)).toEqual([1]);
    expect((await fetch(`${mirror.url}/_mirror/faults`, { method: 'DELETE' })).status).toBe(200);
    expect((await rawGet(mirror, SUBMISSIONS)).status).toBe(200);
  });

  it('given some requests, when the log is read (API, admin endpoint, JSONL file), then each has time, method, path, status, duration', async () => {
    const before = Date.now();
    mirror.inject({ pattern: 'missing', status: 500, times: 1 });
    await rawGet(mirror, SUBMISSIONS);
    await rawGet(mirror, '/data.sec.gov/missing.json');
    const entries = mirror.requests();
    expect(entries.map((e) => [e.method, e.path, e.status, e.fault])).toEqual([
      ['GET', SUBMISSIONS, 200, undefined],
      ['GET', '/data.sec.gov/missing.json', 500, 'status'],
    ]);
    expect(entries[0]?.time).toBeGreaterThanOrEqual(before);
    expect(entries[0]?.durationMs).toBeGreaterThanOrEqual(0);
    const viaAdmin = (await (await fetch(`${mirror.url}/_mirror/requests`)).json()) as { requests: unknown[] };
    expect(viaAdmin.requests).toEqual(entries);
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string });
    expect(lines.at(-1)?.path).toBe('/data.sec.gov/missing.json');
  });

  it.skipIf(!hasShared)(
    'given two roots with company_tickers.json, when requested, then both sets of tickers are served',
    async () => {
      const res = await rawGet(mirror, '/www.sec.gov/files/company_tickers.json');
      const tickers = Object.values(JSON.parse(res.body.toString()) as Record<string, { ticker: string }>).map(
        (t) => t.ticker,
      );
      expect(tickers.slice(0, 5)).toEqual(['SYMB', 'FLKY', 'NOAR', 'SYMB-B', 'NRTH']);
      expect(tickers).toContain('AAPL');
      expect(tickers).toHaveLength(9616);
    },
  );

  it.skipIf(!hasShared)(
    'given the second root, when a real recording is requested, then it is served from there',
    async () => {
      const res = await rawGet(mirror, '/data.sec.gov/submissions/CIK0000320193.json');
      expect(res.status).toBe(200);
      expect(res.body.equals(readFileSync(join(SHARED_DIR, 'data.sec.gov/submissions/CIK0000320193.json')))).toBe(true);
    },
  );
});
