import type { AppRouter } from '@symbology/api';
import { backoffDelay } from '@symbology/service/backoff';
import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink, type TRPCClient } from '@trpc/client';
import WebSocket from 'ws';

export type SymbologyClientOptions = {
  /** The web app's base URL, e.g. http://127.0.0.1:3000. */
  url: string;
  /** Its tRPC WebSocket, e.g. ws://127.0.0.1:3000/api/trpc-ws. */
  wsUrl: string;
  /** Sent as x-client-id: per-client rate limits key on it. */
  clientId?: string;
  onWsState?: (state: 'open' | 'closed' | 'error') => void;
};

/** `api` is the typed tRPC proxy (`api.ingest.request.mutate(...)`); `close()` ends the WebSocket. */
export type SymbologyClient = { api: TRPCClient<AppRouter>; close(): Promise<void> };

/**
 * The typed client of the Symbology API: queries and mutations over HTTP (batched),
 * subscriptions over the WebSocket with keepalive and reconnect backoff.
 */
export function createSymbologyClient(options: SymbologyClientOptions): SymbologyClient {
  const headers = options.clientId ? { 'x-client-id': options.clientId } : undefined;
  const wsClient = createWSClient({
    url: options.wsUrl,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    lazy: { enabled: true, closeMs: 1_000 },
    keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 5_000 },
    retryDelayMs: (attempt) => backoffDelay(attempt + 1, { baseMs: 500, maxMs: 10_000 }), // tRPC counts from 0
    onOpen: () => options.onWsState?.('open'),
    onClose: () => options.onWsState?.('closed'),
    onError: () => options.onWsState?.('error'),
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({ url: `${options.url.replace(/\/$/, '')}/api/trpc`, headers }),
      }),
    ],
  });
  return { api: client, close: () => wsClient.close() };
}
