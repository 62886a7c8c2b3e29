import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { appRouter, createContext, isServerFault, statusWireEncoder, SubscriptionSlots } from '@symbology/api';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { WS_PATH } from '../../env';
import type { Services } from '../services';
import type { PeerResolver } from './client-address';
import { isOriginAllowed } from './origin-check';

export type TrpcWsServer = {
  /** Handles an HTTP upgrade for WS_PATH; returns false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Tells every client to reconnect (to another node), then closes the sockets. */
  close(): Promise<void>;
};

/** Answers an upgrade request with a plain HTTP error and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * tRPC over WebSocket. Each connection gets one context (tRPC creates it once per socket), so
 * it carries the connection's subscription budget (WS_MAX_SUBSCRIPTIONS_PER_SOCKET); frames are
 * capped at WS_MAX_PAYLOAD_BYTES (`ws` closes the socket with 1009 past it).
 */
export function createTrpcWsServer(services: Services, resolvePeer: PeerResolver): TrpcWsServer {
  const { config, metrics } = services;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.WS_MAX_PAYLOAD_BYTES });
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    // Each status update is serialized once per process, not once per subscriber.
    experimental_encoder: statusWireEncoder,
    keepAlive: { enabled: true, pingMs: config.WS_PING_MS, pongWaitMs: config.WS_PONG_WAIT_MS },
    createContext: ({ req, info }) =>
      createContext(services, {
        clientId: info.connectionParams?.clientId,
        peer: resolvePeer(req.socket.remoteAddress, req.headers['x-forwarded-for']),
        subscriptionSlots: new SubscriptionSlots(config.WS_MAX_SUBSCRIPTIONS_PER_SOCKET),
      }),
    // The client gets a generic message for a server fault (see the api's error formatter); the
    // detail is logged here under the connection's request id. Refusals are not logged: a client
    // could otherwise write 10,000 error lines with one message.
    onError: ({ error, path, ctx }) => {
      if (isServerFault(error))
        (ctx?.logger ?? services.logger).error({ err: error.cause ?? error, path }, 'subscription failed');
    },
  });
  wss.on('connection', (ws) => {
    metrics.wsConnections.inc();
    ws.once('close', () => metrics.wsConnections.dec());
  });

  return {
    handleUpgrade(req, socket, head) {
      if (new URL(req.url ?? '/', 'http://x').pathname !== WS_PATH) return false;
      if (!isOriginAllowed(req, config.WS_ALLOWED_ORIGINS)) {
        metrics.wsRejected.inc({ reason: 'origin' });
        refuseUpgrade(socket, 403, 'Forbidden');
        return true;
      }
      if (wss.clients.size >= config.WS_MAX_CONNECTIONS) {
        metrics.wsRejected.inc({ reason: 'capacity' });
        refuseUpgrade(socket, 503, 'Service Unavailable');
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
      return true;
    },
    async close() {
      handler.broadcastReconnectNotification();
      // Give the notification a moment to leave before the sockets go.
      await new Promise((r) => setTimeout(r, 100));
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
