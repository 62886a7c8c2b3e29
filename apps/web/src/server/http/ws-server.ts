import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { appRouter, createContext, statusWireEncoder } from '@symbology/api';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer } from 'ws';
import { WS_PATH } from '../../env';
import type { Services } from '../services';
import { isOriginAllowed } from './origin-check';

export type TrpcWsServer = {
  /** Handles an HTTP upgrade for WS_PATH; returns false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Tells every client to reconnect (to another node), then closes the sockets. */
  close(): Promise<void>;
};

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export function createTrpcWsServer(services: Services): TrpcWsServer {
  const { config, metrics } = services;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.WS_MAX_PAYLOAD_BYTES });
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    // Each status update is serialized once per process, not once per subscriber.
    experimental_encoder: statusWireEncoder,
    keepAlive: { enabled: true, pingMs: config.WS_PING_MS, pongWaitMs: config.WS_PONG_WAIT_MS },
    createContext: ({ req, info }) => {
      const clientId = info.connectionParams?.clientId;
      return createContext(services, clientId, req.socket.remoteAddress);
    },
    onError: ({ error, path }) => {
      if (error.code === 'INTERNAL_SERVER_ERROR') services.logger.error({ err: error, path }, 'subscription failed');
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
        refuse(socket, 403, 'Forbidden');
        return true;
      }
      if (wss.clients.size >= config.WS_MAX_CONNECTIONS) {
        metrics.wsRejected.inc({ reason: 'capacity' });
        refuse(socket, 503, 'Service Unavailable');
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
