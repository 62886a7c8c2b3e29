import { startEdgarMirror, type EdgarMirror } from '@symbology/edgar-mirror';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEdgarClient } from './edgar-client';
import { unlimited } from './request-limiter';

// The EDGAR client over real HTTP against the mirror (tooling/edgar-mirror), with faults injected.
describe('EDGAR client against the EDGAR mirror', () => {
  let mirror: EdgarMirror;
  const client = (maxAttempts: number) =>
    createEdgarClient({
      wwwUrl: mirror.wwwUrl,
      dataUrl: mirror.dataUrl,
      userAgent: 'Test test@example.com',
      limiter: unlimited,
      maxAttempts,
      timeoutMs: 5_000,
      baseDelayMs: 1,
    });

  beforeAll(async () => {
    mirror = await startEdgarMirror({});
  });
  afterEach(() => {
    mirror.clearFaults();
    mirror.clearRequests();
  });
  afterAll(async () => {
    await mirror.close();
  });

  it('given EDGAR rate-limits once, when the submissions are read, then the client waits and gets them', async () => {
    mirror.inject({ pattern: 'CIK0009999999', status: 429, retryAfter: 0, times: 1 });
    expect((await client(3).submissions('9999999')).name).toBe('Symbology Test Corp');
    expect(mirror.requests().map((r) => r.status)).toEqual([429, 200]);
  });

  it('given the mirror redirects submissions to another path of its own, then the client follows it and reads the JSON there', async () => {
    mirror.inject({
      pattern: 'CIK0009999998.json',
      status: 301,
      headers: { Location: '/data.sec.gov/submissions/CIK0009999999.json' },
    });
    expect((await client(1).submissions('9999998')).name).toBe('Symbology Test Corp');
    expect(mirror.requests().map((r) => [r.path, r.status])).toEqual([
      ['/data.sec.gov/submissions/CIK0009999998.json', 301],
      ['/data.sec.gov/submissions/CIK0009999999.json', 200],
    ]);
  });

  it('given the mirror redirects a request to itself, then a loop error, not retried', async () => {
    mirror.inject({ pattern: 'CIK0009999999', status: 307, headers: { Location: 'CIK0009999999.json' } });
    await expect(client(3).submissions('9999999')).rejects.toMatchObject({
      code: 'upstream',
      status: 307,
      retryable: false,
      message: expect.stringContaining('EDGAR redirected in a loop') as unknown,
    });
    expect(mirror.requests()).toHaveLength(1);
  });

  it('given a truncate fault, when the client reads the JSON, then a retryable "malformed" error', async () => {
    mirror.inject({ pattern: 'CIK0009999999', truncate: true });
    await expect(client(1).submissions('9999999')).rejects.toMatchObject({ code: 'malformed', retryable: true });
  });
});
