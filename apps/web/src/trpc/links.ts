import { backoffDelay } from '@symbology/service/backoff';
import { createWSClient, httpBatchLink, splitLink, wsLink, type TRPCLink } from '@trpc/client';
import type { AppRouter } from '@symbology/api';
import type { TransportStore } from './transport-state';

export const CLIENT_ID_HEADER = 'x-client-id';

/**
 * 0.5 s, 1 s, 2 s ... capped at 10 s, with jitter (between half and all of it) so that a restarted
 * node is not stampeded. tRPC counts attempts from 0.
 */
export function retryDelayMs(attempt: number): number {
  return backoffDelay(attempt + 1, { baseMs: 500, maxMs: 10_000, jitter: 'equal' });
}

export type LinkOptions = { apiUrl: string; wsUrl: string; clientId: string; transport: TransportStore };

/** Subscriptions over the WebSocket, everything else batched over HTTP. */
export function createLinks(opts: LinkOptions): { links: TRPCLink<AppRouter>[]; close(): void } {
  const http = httpBatchLink<AppRouter>({ url: opts.apiUrl, headers: () => ({ [CLIENT_ID_HEADER]: opts.clientId }) });
  if (!opts.transport.wsEnabled) {
    return { links: [http], close: () => {} };
  }
  const wsClient = createWSClient({
    url: opts.wsUrl,
    connectionParams: () => ({ clientId: opts.clientId }),
    retryDelayMs,
    keepAlive: { enabled: true, intervalMs: 10_000, pongTimeoutMs: 3_000 },
  });
  const watched = wsClient.connectionState.subscribe({
    next(state) {
      if (state.state === 'pending') opts.transport.set('live');
      else opts.transport.set(state.error ? 'polling' : 'reconnecting');
    },
  });
  return {
    links: [
      splitLink({ condition: (op) => op.type === 'subscription', true: wsLink({ client: wsClient }), false: http }),
    ],
    close() {
      watched.unsubscribe();
      void wsClient.close();
    },
  };
}
