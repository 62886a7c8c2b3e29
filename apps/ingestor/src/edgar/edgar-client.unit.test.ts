import { describe, expect, it } from 'vitest';
import { createEdgarClient, type EdgarClientOptions } from './edgar-client';
import { EdgarError } from './edgar-error';
import type { RequestObservation } from './http-get';
import { FIXTURES_DIR, readText } from './test-data';

type Reply = Response | Error;

/** A fetch that answers from a script, one reply per call, and records what was asked. */
function scriptedFetch(replies: Reply[]) {
  const calls: Array<{ url: string; headers: Headers; signal: AbortSignal | null | undefined }> = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers), signal: init?.signal });
    const reply = replies.shift();
    if (!reply) throw new Error('no scripted reply left');
    if (reply instanceof Error) throw reply;
    return reply;
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const json = (body: string, status = 200, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });

function client(replies: Reply[], overrides: Partial<EdgarClientOptions> = {}) {
  const scripted = scriptedFetch(replies);
  const sleeps: number[] = [];
  const observations: RequestObservation[] = [];
  let acquired = 0;
  const edgar = createEdgarClient({
    wwwUrl: 'https://www.sec.gov/',
    dataUrl: 'https://data.sec.gov',
    userAgent: 'Symbology Research ops@symbology.example',
    limiter: { acquire: async () => void acquired++ },
    maxAttempts: 4,
    timeoutMs: 5_000,
    fetch: scripted.fetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    now: () => Date.parse('2026-03-05T11:20:00Z'),
    onRequest: (o) => observations.push(o),
    ...overrides,
  });
  return { edgar, calls: scripted.calls, sleeps, observations, acquired: () => acquired };
}

const SYMB_SUBMISSIONS = readText(FIXTURES_DIR, 'data.sec.gov/submissions/CIK0009999999.json');

async function caught(promise: Promise<unknown>): Promise<EdgarError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof EdgarError)) throw new Error(`expected an EdgarError, got ${String(error)}`);
  return error;
}

describe('EDGAR client requests', () => {
  it('when submissions are fetched, then the padded-CIK URL, the User-Agent, gzip and a timeout signal are sent', async () => {
    const { edgar, calls } = client([json(SYMB_SUBMISSIONS)]);
    const submissions = await edgar.submissions(9999999);
    expect(submissions.name).toBe('Symbology Test Corp');
    expect(calls[0]?.url).toBe('https://data.sec.gov/submissions/CIK0009999999.json');
    expect(calls[0]?.headers.get('user-agent')).toBe('Symbology Research ops@symbology.example');
    expect(calls[0]?.headers.get('accept-encoding')).toBe('gzip, deflate');
    expect(calls[0]?.signal).toBeInstanceOf(AbortSignal);
  });

  it('when each endpoint is called, then it builds the EDGAR URL for it', async () => {
    const { edgar, calls } = client([
      json('{"0":{"cik_str":9999999,"ticker":"SYMB","title":"Symbology Test Corp"}}'),
      json('{"accessionNumber":[],"filingDate":[],"form":[]}'),
      json('{"cik":9999999,"entityName":"Symbology Test Corp","facts":{}}'),
      new Response('<html>10-K</html>'),
    ]);
    expect(await edgar.tickers()).toEqual([{ cik: '0009999999', ticker: 'SYMB', title: 'Symbology Test Corp' }]);
    await edgar.submissionsPage('CIK0009999999-submissions-001.json');
    await edgar.companyFacts('0009999999');
    const doc = await edgar.document('0009999999', '0009999999-26-000004', 'symb-20251231.htm');
    expect(doc).toEqual({
      url: 'https://www.sec.gov/Archives/edgar/data/9999999/000999999926000004/symb-20251231.htm',
      text: '<html>10-K</html>',
    });
    expect(calls.map((c) => c.url)).toEqual([
      'https://www.sec.gov/files/company_tickers.json',
      'https://data.sec.gov/submissions/CIK0009999999-submissions-001.json',
      'https://data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json',
      'https://www.sec.gov/Archives/edgar/data/9999999/000999999926000004/symb-20251231.htm',
    ]);
  });

  it("when a primary document would leave the filing's folder, then nothing is fetched: not_found, not retryable", async () => {
    const { edgar, calls } = client([new Response('<html>another company</html>')]);
    for (const doc of ['../../1318605/000162828025003063/tsla-20241231.htm', '//evil.example/x', 'a/../../b.htm']) {
      const error = await caught(edgar.document('320193', '0000320193-24-000123', doc));
      expect(error).toMatchObject({ code: 'not_found', retryable: false });
      expect(error.message).toContain("not a file inside the filing's folder");
      expect(edgar.documentUrl('320193', '0000320193-24-000123', doc)).toBe(
        'https://www.sec.gov/Archives/edgar/data/320193/000032019324000123/',
      );
    }
    expect(calls).toHaveLength(0);
  });

  it('when company_tickers.json holds odd entries, then the others are returned and the skipped logged once', async () => {
    const warnings: Array<Record<string, unknown>> = [];
    const { edgar } = client(
      [
        json(
          '{"0":{"cik_str":9999999,"ticker":"SYMB","title":"Symbology Test Corp"},"1":{"cik_str":null,"ticker":"","title":"X"}}',
        ),
      ],
      { logger: { info: () => {}, warn: (details) => warnings.push(details) } },
    );
    expect(await edgar.tickers()).toEqual([{ cik: '0009999999', ticker: 'SYMB', title: 'Symbology Test Corp' }]);
    expect(warnings).toMatchObject([{ skipped: 1 }]);
  });

  it('when a page name is not an EDGAR page file, then it is refused before any request', async () => {
    const { edgar, calls } = client([]);
    await expect(edgar.submissionsPage('../../etc/passwd')).rejects.toThrow(RangeError);
    expect(calls).toHaveLength(0);
  });
});

describe('EDGAR client retries', () => {
  it('when EDGAR answers 429 with Retry-After then 200, then it waits as asked, asks the limiter before each attempt, and succeeds', async () => {
    const { edgar, sleeps, acquired, observations } = client([
      json('{}', 429, { 'retry-after': '3' }),
      json(SYMB_SUBMISSIONS),
    ]);
    await edgar.submissions('9999999');
    expect(sleeps).toEqual([3_000]);
    expect(acquired()).toBe(2);
    expect(observations.map((o) => [o.status, o.attempt])).toEqual([
      [429, 1],
      [200, 2],
    ]);
  });

  it('when Retry-After is an HTTP date, then it waits until then', async () => {
    const { edgar, sleeps } = client([
      json('{}', 503, { 'retry-after': 'Thu, 05 Mar 2026 11:20:10 GMT' }),
      json(SYMB_SUBMISSIONS),
    ]);
    await edgar.submissions('9999999');
    expect(sleeps).toEqual([10_000]);
  });

  it('when 5xx and network errors persist, then exponential full-jitter waits and an "upstream" error after maxAttempts', async () => {
    const { edgar, sleeps, calls } = client([
      new TypeError('fetch failed'),
      json('', 500),
      json('', 502),
      json('', 503),
    ]);
    const error = await caught(edgar.companyFacts('9999999'));
    expect(calls).toHaveLength(4);
    expect(sleeps).toEqual([250, 500, 1_000]);
    expect(error).toMatchObject({ code: 'upstream', retryable: true, status: 503 });
    expect(error.message).toBe(
      'EDGAR failed to serve https://data.sec.gov/api/xbrl/companyfacts/CIK0009999999.json (HTTP 503); try again later',
    );
  });

  it('when every attempt is a network error, then "unreachable", retryable, keeping the cause', async () => {
    const cause = new TypeError('fetch failed');
    const { edgar } = client([cause, cause, cause, cause]);
    const error = await caught(edgar.tickers());
    expect(error).toMatchObject({
      code: 'unreachable',
      retryable: true,
      url: 'https://www.sec.gov/files/company_tickers.json',
    });
    expect(error.cause).toBe(cause);
  });

  it('when the request times out, then the message says how long it waited', async () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const { edgar } = client([timeout], { maxAttempts: 1 });
    expect((await caught(edgar.tickers())).message).toBe(
      'EDGAR did not answer https://www.sec.gov/files/company_tickers.json within 5000 ms',
    );
  });

  it('when a real fetch exceeds timeoutMs, then it is aborted', async () => {
    const slow = (async (_url: string, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
      )) as typeof globalThis.fetch;
    const { edgar } = client([], { fetch: slow, timeoutMs: 20, maxAttempts: 1 });
    expect((await caught(edgar.tickers())).code).toBe('unreachable');
  });

  it('when 429 persists, then "rate_limited", retryable, with the last Retry-After for the caller', async () => {
    const { edgar } = client(
      [429, 429].map(() => json('', 429, { 'retry-after': '1' })),
      { maxAttempts: 2 },
    );
    expect(await caught(edgar.tickers())).toMatchObject({
      code: 'rate_limited',
      retryable: true,
      retryAfterMs: 1_000,
      status: 429,
    });
  });

  it('when Retry-After is longer than maxDelayMs, then it gives up at once rather than hammering', async () => {
    const { edgar, calls, sleeps } = client([json('', 429, { 'retry-after': '600' })], { maxDelayMs: 30_000 });
    expect(await caught(edgar.tickers())).toMatchObject({ code: 'rate_limited', retryAfterMs: 600_000 });
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe('EDGAR client errors that are answers', () => {
  it('when the document is absent (404), then "not_found" at once, not retried, with a message naming the URL', async () => {
    const { edgar, calls } = client([new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 })]);
    const error = await caught(edgar.document('9999998', '0009999998-25-000003', 'flky-20250630.htm'));
    expect(calls).toHaveLength(1);
    expect(error).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
    expect(error.message).toBe(
      'EDGAR has no document at https://www.sec.gov/Archives/edgar/data/9999998/000999999825000003/flky-20250630.htm (HTTP 404)',
    );
  });

  it('when EDGAR refuses with 403, then "rate_limited", retryable after SEC’s 10-minute block, not asked again into it, naming both causes', async () => {
    const { edgar, calls, sleeps } = client([new Response('Request Rate Threshold Exceeded', { status: 403 })], {
      maxDelayMs: 30_000,
    });
    const error = await caught(edgar.tickers());
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: 403, retryAfterMs: 600_000 });
    expect(error.message).toMatch(/HTTP 403.*fair-access rate.*SEC_USER_AGENT/);
    expect(calls).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('when EDGAR refuses with 403 and a Retry-After, then that wait is honoured and the request retried', async () => {
    const { edgar, calls, sleeps } = client([
      new Response('Request Rate Threshold Exceeded', { status: 403, headers: { 'retry-after': '2' } }),
      json(SYMB_SUBMISSIONS),
    ]);
    await edgar.submissions('9999999');
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([2_000]);
  });

  it('when the JSON is cut off, then "malformed", retryable (a truncated body may be whole next time)', async () => {
    const { edgar } = client([json(SYMB_SUBMISSIONS.slice(0, 500))]);
    const error = await caught(edgar.submissions('9999999'));
    expect(error).toMatchObject({ code: 'malformed', retryable: true });
    expect(error.message).toMatch(
      /^EDGAR's response from https:\/\/data\.sec\.gov\/submissions\/CIK0009999999\.json is not valid JSON \(500 bytes; truncated\?\)$/,
    );
  });

  it('when the JSON has the wrong shape, then "malformed", not retryable, naming the field', async () => {
    const { edgar } = client([
      json('{"cik":"0009999999","name":"X","filings":{"recent":{"accessionNumber":"1","filingDate":[],"form":[]}}}'),
    ]);
    const error = await caught(edgar.submissions('9999999'));
    expect(error).toMatchObject({ code: 'malformed', retryable: false });
    expect(error.message).toContain('filings.recent.accessionNumber: Invalid input: expected array, received string');
  });
});

describe('EDGAR client redirects', () => {
  const redirect = (status: number, location?: string) =>
    new Response(null, { status, headers: location === undefined ? {} : { location } });
  const SUBMISSIONS_URL = 'https://data.sec.gov/submissions/CIK0009999999.json';

  it('when EDGAR moves a path to its other configured host, then it is followed: limiter, User-Agent, size cap and log for each request', async () => {
    const infos: Array<{ details: Record<string, unknown>; message: string }> = [];
    const logger = {
      info: (details: Record<string, unknown>, message: string) => infos.push({ details, message }),
      warn: () => {},
    };
    const { edgar, calls, observations, acquired } = client(
      [redirect(301, 'https://www.sec.gov/moved/CIK0009999999.json'), json(SYMB_SUBMISSIONS)],
      { logger },
    );
    expect((await edgar.submissions('9999999')).name).toBe('Symbology Test Corp');
    expect(calls.map((c) => c.url)).toEqual([SUBMISSIONS_URL, 'https://www.sec.gov/moved/CIK0009999999.json']);
    expect(calls.map((c) => c.headers.get('user-agent'))).toEqual([
      'Symbology Research ops@symbology.example',
      'Symbology Research ops@symbology.example',
    ]);
    expect(calls[1]?.signal).toBeInstanceOf(AbortSignal);
    expect(acquired()).toBe(2);
    expect(observations.map((o) => [o.url, o.status, o.attempt])).toEqual([
      [SUBMISSIONS_URL, 301, 1],
      ['https://www.sec.gov/moved/CIK0009999999.json', 200, 1],
    ]);
    expect(infos).toEqual([
      {
        details: { from: SUBMISSIONS_URL, to: 'https://www.sec.gov/moved/CIK0009999999.json', status: 301, attempt: 1 },
        message: `EDGAR redirect followed (HTTP 301): ${SUBMISSIONS_URL} -> https://www.sec.gov/moved/CIK0009999999.json`,
      },
    ]);
  });

  it('when the target fails with a 503, then the retry backs off and starts again from the URL asked for', async () => {
    const { edgar, calls, sleeps } = client([
      redirect(302, '/submissions/moved.json'),
      json('', 503),
      redirect(302, '/submissions/moved.json'),
      json(SYMB_SUBMISSIONS),
    ]);
    await edgar.submissions('9999999');
    expect(calls.map((c) => c.url)).toEqual([
      SUBMISSIONS_URL,
      'https://data.sec.gov/submissions/moved.json',
      SUBMISSIONS_URL,
      'https://data.sec.gov/submissions/moved.json',
    ]);
    expect(sleeps).toEqual([250]);
  });

  it('when the target is past the JSON cap, then document_too_large as for the URL asked for', async () => {
    const { edgar } = client([redirect(307, '/big.json'), json('x'.repeat(2_000))], { maxListBytes: 1_000 });
    const error = await caught(edgar.submissions('9999999'));
    expect(error).toMatchObject({ code: 'document_too_large', retryable: false });
    expect(error.message).toContain('https://data.sec.gov/big.json');
  });

  it('when the target is another scheme, port or host than the configured ones, then it is refused before any request there', async () => {
    for (const target of [
      'http://data.sec.gov/x.json',
      'https://data.sec.gov:8443/x.json',
      'https://sec.gov.example/x.json',
    ]) {
      const { edgar, calls, acquired } = client([redirect(302, target)]);
      const error = await caught(edgar.submissions('9999999'));
      expect(error).toMatchObject({ code: 'upstream', status: 302, retryable: false, url: SUBMISSIONS_URL });
      expect(error.message).toBe(
        `EDGAR redirected ${SUBMISSIONS_URL} to ${target} (HTTP 302); the ingestor does not follow redirects off the hosts of EDGAR_WWW_URL and EDGAR_DATA_URL (https://www.sec.gov, https://data.sec.gov), so nothing was read from there`,
      );
      expect(calls).toHaveLength(1);
      expect(acquired()).toBe(1);
    }
  });

  it('when a redirect names no Location, or is a 300, then "upstream", not retried, nothing followed', async () => {
    for (const [reply, why] of [
      [redirect(308), 'and no Location header to follow'],
      [redirect(300, '/other.json'), '(to /other.json), which is not a redirect the ingestor follows'],
    ] as const) {
      const status = reply.status;
      const { edgar, calls } = client([reply]);
      const error = await caught(edgar.submissions('9999999'));
      expect(error).toMatchObject({ code: 'upstream', status, retryable: false });
      expect(error.message).toBe(`EDGAR answered ${SUBMISSIONS_URL} with HTTP ${status} ${why}, so nothing was read`);
      expect(calls).toHaveLength(1);
    }
  });
});
