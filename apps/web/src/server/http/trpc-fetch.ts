import { appRouter, createContext, type RequestOrigin } from '@symbology/api';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { WS_PATH } from '../../env';
import type { Services } from '../services';
import { refusalBody, retryAfter } from './http-refusal';

export const TRPC_HTTP_PATH = '/api/trpc';
export const CLIENT_ID_HEADER = 'x-client-id';

// tRPC types this as the nested router; at run time it is flat, keyed by the dotted path.
const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;

/** Whether `path` names a subscription procedure (an own key: `constructor` names nothing). */
function isSubscription(path: string): boolean {
  return Object.hasOwn(procedures, path) && procedures[path]!._def.type === 'subscription';
}

/**
 * Queries and mutations over HTTP (the fetch adapter, with batching). A batch holds at most
 * TRPC_MAX_BATCH_SIZE calls: each call is work (a 1,000-mutation batch was otherwise processed
 * in full), so a larger one is refused whole with 400 before any call runs. The calls are counted
 * as tRPC will split them: on the decoded path, where `%2C` is a comma too. An answer of 429 (every
 * call refused by a limit) says when to try again in `Retry-After`, as its errors' `retryAfterMs` do.
 *
 * Subscriptions are refused with 405: they are the WebSocket's, where each holds one of its
 * socket's and its peer's slots. Over HTTP the adapter would serve one as a stream of server-sent
 * events that never ends while the task runs, with no slot held, no cap, and (its answer written
 * whole, node-fetch-bridge.ts) nothing sent: one client could hold any number of them, even after
 * hanging up. Our clients never ask for one over HTTP (their HTTP link polls `ingest.status`).
 */
export async function handleTrpcFetch(req: Request, services: Services, origin: RequestOrigin): Promise<Response> {
  const url = new URL(req.url);
  const max = services.config.TRPC_MAX_BATCH_SIZE;
  const path = decodePath(url.pathname.slice(TRPC_HTTP_PATH.length + 1));
  if (path === undefined) return badRequest('Invalid URL encoding in the procedure path');
  const paths = url.searchParams.get('batch') === '1' ? path.split(',') : [path];
  if (paths.length > max) {
    services.metrics.refused.inc({ reason: 'batch_too_large' });
    return badRequest(`A batch may hold at most ${max} calls (this one: ${paths.length})`);
  }
  const subscription = paths.find(isSubscription);
  if (subscription !== undefined) {
    return refusal(
      405,
      'METHOD_NOT_SUPPORTED',
      `${subscription} is a subscription: open it on the WebSocket (${WS_PATH}), or poll ingest.status over HTTP`,
    );
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
  return refusal(400, 'BAD_REQUEST', message);
}

function refusal(status: number, code: TRPC_ERROR_CODE_KEY, message: string): Response {
  return new Response(refusalBody(status, code, message), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
