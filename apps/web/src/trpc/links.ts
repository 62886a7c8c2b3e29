import { backoffDelay } from '@symbology/service/backoff';
import { createWSClient, httpBatchLink, splitLink, wsLink, type TRPCLink } from '@trpc/client';
import type { AppRouter } from '@symbology/api';
import { createTransportTracker, type TransportStore } from './transport-state';

export const CLIENT_ID_HEADER = 'x-client-id';

/**
 * 0.5 s, 1 s, 2 s ... capped at 10 s, with jitter (between half and all of it) so that a restarted
 * node is not stampeded. tRPC counts attempts from 0.
 */
export function retryDelayMs(attempt: number): number {
  return backoffDelay(attempt + 1, { baseMs: 500, maxMs: 10_000, jitter: 'equal' });
}

/**
 * A ping after 4 s without a message, and a socket that has not answered it within 2 s is closed
 * (and reopened, resuming subscriptions): a dead connection stops saying "Live" within about 6 s.
 */
export const KEEP_ALIVE = { enabled: true, intervalMs: 4_000, pongTimeoutMs: 2_000 } as const;

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
    keepAlive: KEEP_ALIVE,
  });
  const tracker = createTransportTracker(opts.transport, typeof navigator === 'undefined' || navigator.onLine);
  const watched = wsClient.connectionState.subscribe({ next: (state) => tracker.socket(state) });
  const unwatchNetwork = watchNetwork({
    // The browser knows before any ping does. The socket may still look open (Chromium keeps it
    // through its offline mode), so close it as a missed pong would: tRPC then reconnects with backoff
    // and resubscribes from the last event id, and the badge says "Live" again only once it is open.
    offline() {
      tracker.network(false);
      const connection = wsClient.connection;
      if (connection?.state === 'open') connection.ws.close();
    },
    online: () => tracker.network(true),
  });
  return {
    links: [
      splitLink({ condition: (op) => op.type === 'subscription', true: wsLink({ client: wsClient }), false: http }),
    ],
    close() {
      watched.unsubscribe();
      unwatchNetwork();
      void wsClient.close();
    },
  };
}

function watchNetwork(on: { offline(): void; online(): void }): () => void {
  if (typeof window === 'undefined') return () => {};
  window.addEventListener('offline', on.offline);
  window.addEventListener('online', on.online);
  return () => {
    window.removeEventListener('offline', on.offline);
    window.removeEventListener('online', on.online);
  };
}
