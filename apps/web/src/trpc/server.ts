import { appRouter, createContext, type AppRouter } from '@symbology/api';
import { dehydrate, QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { cache } from 'react';
import { getRuntime } from '~/server/runtime';

/**
 * For server components only: the API called in-process (no HTTP hop) through the same router and
 * context the transports use, writing into one React Query cache per request. A page prefetches
 * what it shows, then hands the cache to the client components with `<HydrationBoundary
 * state={dehydrated()}>`: they render with data on the server and need no loading round trip.
 */
export const getQueryClient = cache(
  () => new QueryClient({ defaultOptions: { queries: { staleTime: 30_000, retry: false } } }),
);

/**
 * Server renders are attributed to one client id, and are the server's own calls: no peer's call
 * rate counts them (they have no peer here); the page request that caused them took its peer's
 * token instead (web-server.ts).
 */
const SERVER_RENDER = 'server-render';

export const serverTrpc = cache(() =>
  createTRPCOptionsProxy<AppRouter>({
    router: appRouter,
    ctx: () => createContext(getRuntime().services, { clientId: SERVER_RENDER, peer: undefined, inProcess: true }),
    queryClient: getQueryClient,
  }),
);

/** The request's prefetched queries, for a `HydrationBoundary`. */
export const dehydrated = () => dehydrate(getQueryClient());
