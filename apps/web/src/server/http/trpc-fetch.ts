import { appRouter, createContext } from '@symbology/api';
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { Services } from '../services';

export const TRPC_HTTP_PATH = '/api/trpc';
export const CLIENT_ID_HEADER = 'x-client-id';

/** Queries and mutations over HTTP; the App Router route handler and the API-only server share it. */
export function handleTrpcFetch(req: Request, services: Services, remoteAddress?: string): Promise<Response> {
  return fetchRequestHandler({
    endpoint: TRPC_HTTP_PATH,
    req,
    router: appRouter,
    createContext: () =>
      createContext(
        services,
        req.headers.get(CLIENT_ID_HEADER) ?? undefined,
        remoteAddress ?? req.headers.get('x-forwarded-for') ?? undefined,
      ),
  });
}
