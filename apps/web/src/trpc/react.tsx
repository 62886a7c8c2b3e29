'use client';

import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
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

/** Query cache, tRPC client and WebSocket for the page; created in the browser only. */
export function TRPCReactProvider({ config, children }: { config: unknown; children: ReactNode }) {
  const [client, setClient] = useState<Client | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let created: Client;
    try {
      created = createClient(config);
    } catch (e) {
      setError((e as Error).message);
      return;
    }
    setClient(created);
    return () => created.close();
  }, [config]);
  if (error)
    return (
      <p role="alert" className="config-error">
        {error}
      </p>
    );
  if (!client) return null;
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
