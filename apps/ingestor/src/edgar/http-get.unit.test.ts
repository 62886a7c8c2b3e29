import { describe, expect, it } from 'vitest';
import { EdgarError } from './edgar-error';
import { httpGetText, type HttpGetOptions } from './http-get';

const URL_ = 'https://www.sec.gov/Archives/edgar/data/1/000000000125000001/doc.htm';
const CHUNK = 64 * 1024;

/** A body that never ends on its own: 64 KiB chunks for as long as someone reads. */
function endlessBody() {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled += CHUNK;
      controller.enqueue(new Uint8Array(CHUNK).fill(0x61));
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

const options = (response: () => Response, maxBytes?: number): HttpGetOptions => ({
  userAgent: 'Symbology Research ops@symbology.example',
  edgarOrigins: ['https://www.sec.gov'],
  limiter: { acquire: async () => {} },
  fetch: (async () => response()) as typeof globalThis.fetch,
  maxAttempts: 3,
  timeoutMs: 5_000,
  baseDelayMs: 1,
  maxDelayMs: 10,
  sleep: async () => {},
  random: () => 0.5,
  now: () => 0,
  ...(maxBytes === undefined
    ? {}
    : {
        cap: {
          bytes: maxBytes,
          what: 'document',
          setting: 'EDGAR_MAX_DOCUMENT_BYTES',
          consequence: 'its text was not cut',
        },
      }),
});

describe('httpGetText with a byte cap', () => {
  it('given a body under the cap, then the whole text, decoded as UTF-8', async () => {
    const text = await httpGetText(
      URL_,
      options(() => new Response('Caf\u00e9 \u20ac40'), 1_024),
    );
    expect(text).toBe('Caf\u00e9 \u20ac40');
  });

  it('given an endless body, then reading stops just past the cap and the error is document_too_large, not retried', async () => {
    const body = endlessBody();
    let calls = 0;
    const error = await httpGetText(
      URL_,
      options(() => {
        calls++;
        return new Response(body.stream);
      }, 1024 * 1024),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EdgarError);
    expect(error).toMatchObject({ code: 'document_too_large', retryable: false });
    expect((error as Error).message).toMatch(/larger than 1 MB \(EDGAR_MAX_DOCUMENT_BYTES\)/);
    expect(calls).toBe(1);
    // The stream buffers a chunk or two ahead of the reader; nothing near an unbounded read.
    expect(body.pulled()).toBeLessThanOrEqual(1024 * 1024 + 4 * CHUNK);
    expect(body.cancelled()).toBe(true);
  });

  it('given a declared Content-Length over the cap, then it fails before reading the body', async () => {
    const body = endlessBody();
    const response = () => new Response(body.stream, { headers: { 'content-length': String(10 * 1024 * 1024) } });
    await expect(httpGetText(URL_, options(response, 1024 * 1024))).rejects.toMatchObject({
      code: 'document_too_large',
    });
    expect(body.pulled()).toBeLessThanOrEqual(CHUNK);
  });

  it('given a 404 with a large body, then the answer is still not_found', async () => {
    const response = () => new Response('x'.repeat(10_000), { status: 404 });
    await expect(httpGetText(URL_, options(response, 1_024))).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('httpGetText given a 429', () => {
  it('pauses every replica (the shared limiter) for SEC’s Retry-After, also one too long to wait here', async () => {
    for (const retryAfterS of [0, 120]) {
      const pauses: number[] = [];
      const error = await httpGetText(URL_, {
        ...options(() => new Response('slow down', { status: 429, headers: { 'retry-after': String(retryAfterS) } })),
        limiter: { acquire: async () => {}, backOff: async (ms) => void pauses.push(ms) },
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EdgarError);
      expect((error as EdgarError).code).toBe('rate_limited');
      // 120 s is past maxDelayMs: not retried here, yet the other replicas pause for it.
      expect(pauses).toEqual(retryAfterS === 0 ? [expect.any(Number), expect.any(Number)] : [120_000]);
    }
  });
});

describe('httpGetText given a deadline', () => {
  it('begins no retry past it: the last failure is the answer', async () => {
    let calls = 0;
    const error = await httpGetText(URL_, {
      ...options(() => {
        calls++;
        return new Response('busy', { status: 503 });
      }),
      maxAttempts: 4,
      now: () => 1_000,
      deadline: 1_000,
    }).catch((e: unknown) => e);
    expect((error as EdgarError).status).toBe(503);
    expect(calls).toBe(1);
  });
});
