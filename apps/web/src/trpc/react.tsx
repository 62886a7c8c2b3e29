'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, TRPCClientError, type TRPCLink } from '@trpc/client';
import { observable } from '@trpc/server/observable';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { PublicConfigSchema, resolvePublicUrls } from '~/public-config';
import type { AppRouter } from '@symbology/api';
import { browserClientId } from './client-id';
import { createLinks } from './links';
import { createTransportStore, useTransportValue, type Transport, type TransportStore } from './transport-state';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

const TransportContext = createContext<TransportStore>(createTransportStore(true));
export const useTransport = (): Transport => useTransportValue(useContext(TransportContext));
export const useWsEnabled = (): boolean => useContext(TransportContext).wsEnabled;

type Client = {
  queryClient: QueryClient;
  trpcClient: ReturnType<typeof createTRPCClient<AppRouter>>;
  transport: TransportStore;
  close(): void;
};

function createClient(raw: unknown): Client {
  const parsed = PublicConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `Invalid web client configuration (WEB_PUBLIC_API_URL / WEB_PUBLIC_WS_URL): ${parsed.error.message}`,
    );
  }
  const urls = resolvePublicUrls(parsed.data, window.location);
  const transport = createTransportStore(parsed.data.wsEnabled);
  const { links, close } = createLinks({ ...urls, clientId: browserClientId(), transport });
  const queryClient = new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: 2 } } });
  return { queryClient, trpcClient: createTRPCClient<AppRouter>({ links }), transport, close };
}

/**
 * During the server render queries come prefetched from the page (HydrationBoundary) and nothing is
 * fetched through the client: a call reaching this link is a bug, said plainly.
 */
const serverRenderLink: TRPCLink<AppRouter> =
  () =>
  ({ op }) =>
    observable((observer) => {
      observer.error(new TRPCClientError(`${op.path} was called during the server render; prefetch it in the page`));
    });

function createServerRenderClient(): Client {
  return {
    queryClient: new QueryClient({ defaultOptions: { queries: { staleTime: 5_000, retry: false } } }),
    trpcClient: createTRPCClient<AppRouter>({ links: [serverRenderLink] }),
    transport: createTransportStore(true),
    close: () => {},
  };
}

/** One per page load: the WebSocket and the cache outlive client-side navigations. */
let browserClient: { config: string; client: Client } | undefined;

function clientFor(config: unknown): Client {
  if (typeof window === 'undefined') return createServerRenderClient();
  const key = JSON.stringify(config);
  if (browserClient?.config !== key) {
    browserClient?.client.close();
    browserClient = { config: key, client: createClient(config) };
  }
  return browserClient.client;
}

/**
 * Query cache, tRPC client and WebSocket for the page. The server renders with a cache of its own
 * (filled by the page's prefetch); the browser's is created on its first render, so the hydrated
 * markup matches and the page needs no loading round trip.
 */
export function TRPCReactProvider({ config, children }: { config: unknown; children: ReactNode }) {
  const [created] = useState(() => {
    try {
      return { client: clientFor(config) };
    } catch (e) {
      return { error: (e as Error).message };
    }
  });
  if ('error' in created)
    return (
      <p role="alert" className="config-error">
        {created.error}
      </p>
    );
  const { client } = created;
  return (
    <TransportContext.Provider value={client.transport}>
      <QueryClientProvider client={client.queryClient}>
        <TRPCProvider trpcClient={client.trpcClient} queryClient={client.queryClient}>
          {children}
        </TRPCProvider>
      </QueryClientProvider>
    </TransportContext.Provider>
  );
}
