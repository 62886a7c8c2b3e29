import { backoffDelay } from '@symbology/service';
import { parseRetryAfterMs } from './retry-after';
import { EdgarError } from './edgar-error';
import { isFollowedRedirect, redirectTarget } from './redirect-target';
import type { RequestLimiter } from './request-limiter';

export type RequestObservation = { url: string; status: number | null; ms: number; attempt: number };

/** The part of a pino logger the client uses. */
export type EdgarLogger = {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
};

export type HttpGetOptions = {
  userAgent: string;
  /** The origins of EDGAR_WWW_URL and EDGAR_DATA_URL: the only places a redirect is followed to. */
  edgarOrigins: readonly string[];
  limiter: RequestLimiter;
  fetch: typeof globalThis.fetch;
  maxAttempts: number;
  timeoutMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  logger?: EdgarLogger;
  onRequest?: (observation: RequestObservation) => void;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  /** Stop reading a body past `cap.bytes` (counted after gzip is unpacked): `document_too_large`. */
  cap?: ByteCap;
  /** No retry begins past this time (epoch ms, `now`'s clock): the last failure is the answer. */
  deadline?: number;
};

/** A body's size cap, with what was read and which setting caps it, for the message. */
export type ByteCap = { bytes: number; what: string; setting: string; consequence: string };

type Attempt<T> = { ok: true; body: T } | { ok: false; error: EdgarError };
type Answer<T> = Attempt<T> | { ok: 'redirect'; status: number; location: string };

/** Reads a response's body whole; undefined once it passes `maxBytes` (reading stops there). */
type BodyReader<T> = (response: Response, maxBytes: number | undefined) => Promise<T | undefined>;

/**
 * GETs a URL as text, waiting on the limiter before every request and retrying what may pass
 * (429, 403, 5xx, network errors, timeouts) with backoff. 404 and other 4xx are answers, not failures
 * of the network, so they are not retried. A redirect within EDGAR's origins is followed
 * (followRedirects); a retry starts again from `url`, since a 302 or 307 holds for one request only.
 */
export function httpGetText(url: string, options: HttpGetOptions): Promise<string> {
  return httpGet(url, options, readText);
}

/**
 * GETs a URL as httpGetText does, as bytes: for a body read in a worker thread, where one owned
 * buffer is transferred (not copied) and decoded, so this thread never holds it as a string.
 */
export function httpGetBytes(url: string, options: HttpGetOptions): Promise<Uint8Array> {
  return httpGet(url, options, readBytes);
}

async function httpGet<T>(url: string, options: HttpGetOptions, read: BodyReader<T>): Promise<T> {
  let last: EdgarError | undefined;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    const result = await followRedirects(url, attempt, options, read);
    if (result.ok) return result.body;
    last = result.error;
    if (!last.retryable || attempt === options.maxAttempts) break;
    const jitter = backoffDelay(attempt, {
      baseMs: options.baseDelayMs,
      maxMs: options.maxDelayMs,
      jitter: 'full',
      random: options.random,
    });
    const delay = Math.max(jitter, last.retryAfterMs ?? 0);
    // SEC counts our requests across replicas: a 429 slows them all, not just this one, also when
    // its wait is too long to hold this request for (the others would keep asking meanwhile).
    if (last.code === 'rate_limited') await options.limiter.backOff?.(delay);
    if (last.retryAfterMs !== undefined && last.retryAfterMs > options.maxDelayMs) break;
    if (options.deadline !== undefined && options.now() + delay >= options.deadline) break;
    options.logger?.warn(
      { url, attempt, status: last.status, delayMs: delay, code: last.code },
      'EDGAR request failed; retrying',
    );
    await options.sleep(delay);
  }
  throw (
    last ?? new EdgarError('unreachable', `No request was made to ${url} (maxAttempts < 1)`, { url, retryable: true })
  );
}

/**
 * One attempt: the request, then each redirect it is answered with whose target is on a configured
 * EDGAR origin (redirectTarget), up to MAX_REDIRECTS. Each request sent waits on the limiter and has
 * its own timeout and size cap.
 */
async function followRedirects<T>(
  url: string,
  attempt: number,
  options: HttpGetOptions,
  read: BodyReader<T>,
): Promise<Attempt<T>> {
  const chain = [url];
  for (;;) {
    const from = chain.at(-1) ?? url;
    await options.limiter.acquire();
    const answer = await requestOnce(from, attempt, options, read);
    if (answer.ok !== 'redirect') return answer;
    const to = redirectTarget(chain, answer.status, answer.location, options.edgarOrigins);
    if (to instanceof EdgarError) return { ok: false, error: to };
    options.logger?.info(
      { from, to, status: answer.status, attempt },
      `EDGAR redirect followed (HTTP ${answer.status}): ${from} -> ${to}`,
    );
    chain.push(to);
  }
}

async function requestOnce<T>(
  url: string,
  attempt: number,
  options: HttpGetOptions,
  read: BodyReader<T>,
): Promise<Answer<T>> {
  const started = performance.now();
  const observe = (status: number | null) =>
    options.onRequest?.({ url, status, ms: Math.round(performance.now() - started), attempt });
  let response: Response;
  let body: T | undefined;
  try {
    response = await options.fetch(url, {
      headers: { 'User-Agent': options.userAgent, 'Accept-Encoding': 'gzip, deflate' },
      signal: AbortSignal.timeout(options.timeoutMs),
      // Followed by hand, and only to EDGAR's own origins (followRedirects): fetch would carry our
      // User-Agent (the operator's email) to whatever host a redirect names, and store that host's
      // answer as EDGAR's, without the limiter or the size cap.
      redirect: 'manual',
    });
    // Read the body inside the try: a connection cut mid-body is a network error too.
    body = await read(response, options.cap?.bytes);
  } catch (cause) {
    observe(null);
    return { ok: false, error: networkError(url, options.timeoutMs, cause) };
  }
  observe(response.status);
  const location = response.headers.get('location');
  if (isFollowedRedirect(response.status) && location) return { ok: 'redirect', status: response.status, location };
  if (!response.ok) return { ok: false, error: statusError(url, response, options.now()) };
  // Undefined only when reading stopped at the cap.
  if (body === undefined) return { ok: false, error: tooLarge(url, options.cap!) };
  return { ok: true, body };
}

/**
 * The body as text, or undefined once it passes maxBytes: reading stops there and the connection
 * is cancelled, so a 1 GB document costs maxBytes of memory, not a gigabyte. A declared length
 * over the cap fails before reading (when not compressed, since then it counts other bytes).
 */
async function readText(response: Response, maxBytes: number | undefined): Promise<string | undefined> {
  if (maxBytes === undefined) return response.text();
  if (await declaredTooLarge(response, maxBytes)) return undefined;
  if (!response.body) return '';
  const decoder = new TextDecoder();
  const parts: string[] = [];
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    if (bytes > maxBytes) return undefined; // leaving the loop early cancels the stream
    parts.push(decoder.decode(chunk, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}

/**
 * The body as one buffer of its own (exactly its length, so it can be transferred to a worker
 * thread), or undefined once it passes maxBytes, as readText.
 */
async function readBytes(response: Response, maxBytes: number | undefined): Promise<Uint8Array | undefined> {
  if (maxBytes !== undefined && (await declaredTooLarge(response, maxBytes))) return undefined;
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  for await (const chunk of response.body) {
    bytes += chunk.byteLength;
    if (maxBytes !== undefined && bytes > maxBytes) return undefined; // leaving the loop early cancels the stream
    chunks.push(chunk);
  }
  const whole = new Uint8Array(bytes);
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.byteLength;
  }
  return whole;
}

/** A declared length over the cap (not compressed: then it counts other bytes); the body is cancelled unread. */
async function declaredTooLarge(response: Response, maxBytes: number): Promise<boolean> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (response.headers.has('content-encoding') || !(declared > maxBytes)) return false;
  await response.body?.cancel();
  return true;
}

/** Not retryable: the same bytes would come back. */
function tooLarge(url: string, limit: ByteCap): EdgarError {
  const mb = (limit.bytes / 1024 / 1024).toFixed(limit.bytes < 1024 * 1024 ? 2 : 0);
  return new EdgarError(
    'document_too_large',
    `The ${limit.what} at ${url} is larger than ${mb} MB (${limit.setting}), so it was not read and ${limit.consequence}`,
    { url, retryable: false },
  );
}

function networkError(url: string, timeoutMs: number, cause: unknown): EdgarError {
  const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
  const message = timedOut
    ? `EDGAR did not answer ${url} within ${timeoutMs} ms`
    : `Could not reach EDGAR at ${url}: ${cause instanceof Error ? cause.message : String(cause)}`;
  return new EdgarError('unreachable', message, { url, retryable: true, cause });
}

function statusError(url: string, response: Response, nowMs: number): EdgarError {
  const status = response.status;
  if (status === 404) {
    return new EdgarError('not_found', `EDGAR has no document at ${url} (HTTP 404)`, { url, status, retryable: false });
  }
  if (status >= 300 && status < 400) {
    // A redirect with nowhere to go, or a 300/304/305: a deliberate answer that asking again would
    // bring back, so not retryable. (A redirect with a Location never reaches here.)
    const location = response.headers.get('location');
    const why = location
      ? `(to ${location}), which is not a redirect the ingestor follows`
      : 'and no Location header to follow';
    return new EdgarError('upstream', `EDGAR answered ${url} with HTTP ${status} ${why}, so nothing was read`, {
      url,
      status,
      retryable: false,
    });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), nowMs);
    const wait = retryAfterMs === undefined ? '' : `; it asked us to wait ${Math.ceil(retryAfterMs / 1000)} s`;
    return new EdgarError('rate_limited', `EDGAR is rate-limiting our requests (HTTP 429 for ${url})${wait}`, {
      url,
      status,
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status >= 500) {
    const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), nowMs);
    return new EdgarError('upstream', `EDGAR failed to serve ${url} (HTTP ${status}); try again later`, {
      url,
      status,
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
  }
  if (status === 403) return forbidden(url, response, nowMs);
  return new EdgarError('upstream', `EDGAR refused ${url} (HTTP ${status})`, { url, status, retryable: false });
}

/** How long SEC blocks a client past its fair-access rate ("Request Rate Threshold Exceeded"). */
const SEC_RATE_BLOCK_MS = 10 * 60_000;

/**
 * SEC answers 403 both to a client over its fair-access rate, blocked for about ten minutes, and to
 * one whose User-Agent does not declare who asks. The first passes with time, and the answer does
 * not say which it is: a rate limit (`rate_limited`, retryable), waited out for SEC's block unless
 * a Retry-After says otherwise, so the request is not repeated into the block.
 */
function forbidden(url: string, response: Response, nowMs: number): EdgarError {
  const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), nowMs) ?? SEC_RATE_BLOCK_MS;
  return new EdgarError(
    'rate_limited',
    `EDGAR refused ${url} (HTTP 403). SEC does so for about ${SEC_RATE_BLOCK_MS / 60_000} minutes once requests exceed its fair-access rate, and to every request while SEC_USER_AGENT does not declare who is asking (a name and an email); a later attempt may succeed`,
    { url, status: 403, retryable: true, retryAfterMs },
  );
}
