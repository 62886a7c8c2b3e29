import { appRouter, createContext, type RequestOrigin } from '@symbology/api';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Services } from '../services';
import { refusalBody, retryAfter } from './http-refusal';

export const TRPC_HTTP_PATH = '/api/trpc';
export const CLIENT_ID_HEADER = 'x-client-id';

/**
 * Queries and mutations over HTTP (the fetch adapter, with batching). A batch holds at most
 * TRPC_MAX_BATCH_SIZE calls: each call is work (a 1,000-mutation batch was otherwise processed
 * in full), so a larger one is refused whole with 400 before any call runs. The calls are counted
 * as tRPC will split them: on the decoded path, where `%2C` is a comma too. An answer of 429 (every
 * call refused by a limit) says when to try again in `Retry-After`, as its errors' `retryAfterMs` do.
 */
export async function handleTrpcFetch(req: Request, services: Services, origin: RequestOrigin): Promise<Response> {
  const url = new URL(req.url);
  const max = services.config.TRPC_MAX_BATCH_SIZE;
  if (url.searchParams.get('batch') === '1') {
    const path = decodePath(url.pathname.slice(TRPC_HTTP_PATH.length + 1));
    if (path === undefined) return badRequest('Invalid URL encoding in the procedure path');
    const calls = path.split(',').length;
    if (calls > max) {
      services.metrics.refused.inc({ reason: 'batch_too_large' });
      return badRequest(`A batch may hold at most ${max} calls (this one: ${calls})`);
    }
  }
  return fetchRequestHandler({
    endpoint: TRPC_HTTP_PATH,
    req,
    router: appRouter,
    createContext: () => createContext(services, origin),
    // tRPC's own check, on the path it decodes itself: a backstop should the two ever disagree.
    maxBatchSize: max,
    responseMeta: ({ data }) => ({ headers: batchRetryAfter(data) }),
  });
}

type Answer = { result: unknown } | { error: { data: { httpStatus: number; retryAfterMs: number | null } } };

/**
 * `Retry-After`, in whole seconds, when every call was refused by a limit that says when to try
 * again (the answer is then 429): the longest of their waits. None otherwise, nor for a streamed
 * answer (its calls are not known when the headers go).
 */
function batchRetryAfter(answers: readonly Answer[]): Record<string, string> {
  let longestMs = 0;
  for (const answer of answers) {
    if (!('error' in answer)) return {};
    const { httpStatus, retryAfterMs } = answer.error.data;
    if (httpStatus !== 429 || retryAfterMs === null) return {};
    longestMs = Math.max(longestMs, retryAfterMs);
  }
  return answers.length === 0 ? {} : retryAfter(longestMs);
}

function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function badRequest(message: string): Response {
  return new Response(refusalBody(400, 'BAD_REQUEST', message), {
    status: 400,
    headers: { 'content-type': 'application/json' },
  });
}
