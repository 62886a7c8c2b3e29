import { createTRPCClient, createWSClient, httpBatchLink, splitLink, wsLink } from '@trpc/client';
import { WebSocket } from 'ws';
import type { AppRouter } from '../server/root';

export type TypedClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** The client a Node program (CLI, another service) would use: HTTP batch + WebSocket subscriptions. */
export function createTypedClient(httpUrl: string, wsUrl: string, clientId = 'test-client') {
  const wsClient = createWSClient({
    url: wsUrl,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: { clientId },
    retryDelayMs: () => 100,
    keepAlive: { enabled: true, intervalMs: 2_000, pongTimeoutMs: 1_000 },
  });
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: wsLink({ client: wsClient }),
        false: httpBatchLink({ url: `${httpUrl}/api/trpc`, headers: { 'x-client-id': clientId } }),
      }),
    ],
  });
  return { client, wsClient, close: () => wsClient.close() };
}
