import { appRouter, createContext, type RequestOrigin } from '@symbology/api';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Services } from '../services';
import { refusalBody } from './http-refusal';

export const TRPC_HTTP_PATH = '/api/trpc';
export const CLIENT_ID_HEADER = 'x-client-id';

/**
 * Queries and mutations over HTTP (the fetch adapter, with batching). A batch holds at most
 * TRPC_MAX_BATCH_SIZE calls: each call is work (a 1,000-mutation batch was otherwise processed
 * in full), so a larger one is refused whole with 400 before any call runs.
 */
export async function handleTrpcFetch(req: Request, services: Services, origin: RequestOrigin): Promise<Response> {
  const url = new URL(req.url);
  const max = services.config.TRPC_MAX_BATCH_SIZE;
  if (url.searchParams.get('batch') === '1') {
    const calls = url.pathname.slice(TRPC_HTTP_PATH.length + 1).split(',').length;
    if (calls > max) {
      services.metrics.refused.inc({ reason: 'batch_too_large' });
      return new Response(
        refusalBody(400, 'BAD_REQUEST', `A batch may hold at most ${max} calls (this one: ${calls})`),
        {
          status: 400,
          headers: { 'content-type': 'application/json' },
        },
      );
    }
  }
  return fetchRequestHandler({
    endpoint: TRPC_HTTP_PATH,
    req,
    router: appRouter,
    createContext: () => createContext(services, origin),
  });
}
