import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  appRouter,
  createContext,
  isServerFault,
  peerKey,
  PeerSubscriptionSlots,
  SocketSubscriptions,
  StatusBroadcaster,
  statusWireEncoder,
  SubscriptionSlots,
  type TrpcContext,
} from '@symbology/api';
import type { TRPCError } from '@trpc/server';
import { applyWSSHandler } from '@trpc/server/adapters/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { WS_PATH } from '../../env';
import type { Services } from '../services';
import type { PeerResolver } from './client-address';
import { isOriginAllowed } from './origin-check';
import { pathOf } from './request-path';
import { limitSocket } from './ws-socket-limits';

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
 * it carries the connection's subscription budget (WS_MAX_SUBSCRIPTIONS_PER_SOCKET, within its
 * peer's WS_MAX_SUBSCRIPTIONS_PER_PEER across all the peer's sockets); frames are
 * capped at WS_MAX_PAYLOAD_BYTES (`ws` closes the socket with 1009 past it), and at
 * TRPC_MAX_BATCH_SIZE calls, and a socket queuing more than WS_MAX_BUFFERED_BYTES is closed
 * (`limitSocket`). One peer holds at most WS_MAX_CONNECTIONS_PER_PEER of the sockets.
 */
export function createTrpcWsServer(services: Services, resolvePeer: PeerResolver): TrpcWsServer {
  const { config, metrics } = services;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.WS_MAX_PAYLOAD_BYTES });
  // The client gets a generic message for a server fault (see the api's error formatter); the
  // detail is logged here under the connection's request id. Refusals are not logged: a client
  // could otherwise write 10,000 error lines with one message.
  const onError = ({ error, path, ctx }: { error: TRPCError; path?: string; ctx?: TrpcContext }) => {
    if (isServerFault(error))
      (ctx?.logger ?? services.logger).error({ err: error.cause ?? error, path }, 'subscription failed');
  };
  // The connection each WebSocket was upgraded on: status frames are written to it whole.
  const connections = new WeakMap<WebSocket, Duplex>();
  const statusSubscriptions = serveStatusSubscriptions(services, onError, (ws) => connections.get(ws));
  const peerSubscriptions = new PeerSubscriptionSlots(config.WS_MAX_SUBSCRIPTIONS_PER_PEER);
  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    // Each status update is serialized once per process, not once per subscriber.
    experimental_encoder: statusWireEncoder,
    keepAlive: { enabled: true, pingMs: config.WS_PING_MS, pongWaitMs: config.WS_PONG_WAIT_MS },
    createContext: ({ req, res, info }) => {
      const peer = resolvePeer(req.socket.remoteAddress, req.headers['x-forwarded-for']);
      const ctx = createContext(services, {
        clientId: info.connectionParams?.clientId,
        peer,
        subscriptionSlots: new SubscriptionSlots(config.WS_MAX_SUBSCRIPTIONS_PER_SOCKET, peerSubscriptions.of(peer)),
      });
      statusSubscriptions?.opened(res, ctx);
      return ctx;
    },
    onError,
  });
  wss.on('connection', (ws) => {
    metrics.wsConnections.inc();
    ws.once('close', () => metrics.wsConnections.dec());
    const admit = limitSocket(ws, {
      maxCallsPerFrame: config.TRPC_MAX_BATCH_SIZE,
      maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
      onRefused: (reason) => metrics.refused.inc({ reason }),
    });
    const route = statusSubscriptions?.route(ws);
    // The socket's one message gate: the limits first, then the status routing, then tRPC.
    const emit = ws.emit.bind(ws);
    ws.emit = (event: string | symbol, ...args: unknown[]): boolean => {
      if (event !== 'message') return emit(event, ...args);
      const [data, isBinary] = args;
      if (!admit(data, isBinary)) return true;
      if (!route || isBinary !== false || !Buffer.isBuffer(data)) return emit(event, ...args);
      const rest = route(data);
      return rest === undefined ? true : emit(event, rest, false);
    };
  });
  // Open sockets by peer key: counted when `ws` hands over the socket (synchronously, within
  // handleUpgrade, so two upgrades cannot both pass the check), uncounted when it closes.
  const perPeer = new Map<string, number>();

  // Set once clients are told to reconnect: wsLink retries at once, and must reach another node
  // rather than this one, which is about to cut the socket it would open.
  let closing = false;
  return {
    handleUpgrade(req, socket, head) {
      if (pathOf(req.url) !== WS_PATH) return false;
      if (closing) {
        metrics.wsRejected.inc({ reason: 'closing' });
        refuseUpgrade(socket, 503, 'Service Unavailable');
        return true;
      }
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
      const peer = peerKey(resolvePeer(req.socket.remoteAddress, req.headers['x-forwarded-for']));
      if ((perPeer.get(peer) ?? 0) >= config.WS_MAX_CONNECTIONS_PER_PEER) {
        metrics.wsRejected.inc({ reason: 'peer_capacity' });
        refuseUpgrade(socket, 429, 'Too Many Requests');
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        perPeer.set(peer, (perPeer.get(peer) ?? 0) + 1);
        ws.once('close', () => {
          const left = (perPeer.get(peer) ?? 1) - 1;
          if (left > 0) perPeer.set(peer, left);
          else perPeer.delete(peer);
        });
        connections.set(ws, socket);
        wss.emit('connection', ws, req);
      });
      return true;
    },
    async close() {
      closing = true;
      handler.broadcastReconnectNotification();
      // Give the notification a moment to leave before the sockets go.
      await new Promise((r) => setTimeout(r, 100));
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

type StatusSubscriptionRouting = {
  /** tRPC created the socket's context: its status subscriptions can be served. */
  opened(ws: WebSocket, ctx: TrpcContext): void;
  /**
   * The socket's router: takes its `ingest.onStatus` messages for the broadcast (undefined: all of
   * the message was answered) and gives back what is left for tRPC.
   */
  route(ws: WebSocket): (data: Buffer) => Buffer | undefined;
};

/**
 * `ingest.onStatus` served beside tRPC's handler (WS_STATUS_SUBSCRIPTIONS=broadcast): each status
 * is serialized once and written to every subscribed socket, without tRPC's per-subscription
 * iterator and envelope (docs/decisions.md). The socket's 'message' events pass through `take`
 * first; what it does not answer reaches tRPC's handler unchanged. Until tRPC has created the
 * context (a client sending connectionParams first), every message goes to tRPC.
 */
function serveStatusSubscriptions(
  services: Services,
  onError: (opts: { error: TRPCError; path: string; ctx: TrpcContext }) => void,
  connectionOf: (ws: WebSocket) => Duplex | undefined,
): StatusSubscriptionRouting | undefined {
  if (services.config.WS_STATUS_SUBSCRIPTIONS !== 'broadcast') return undefined;
  const broadcaster = new StatusBroadcaster(services);
  const highWaterBytes = services.config.WS_SEND_HIGH_WATER_BYTES;
  const bySocket = new WeakMap<WebSocket, SocketSubscriptions>();
  return {
    opened(ws, ctx) {
      // Frames are written to the connection whole only while `ws` compresses nothing (it then
      // queues its own frames); this server does not negotiate permessage-deflate.
      const connection = ws.extensions === '' ? connectionOf(ws) : undefined;
      bySocket.set(ws, new SocketSubscriptions(ws, ctx, { broadcaster, highWaterBytes, onError }, connection));
    },
    route(ws) {
      ws.once('close', () => bySocket.get(ws)?.close());
      return (data) => {
        const subscriptions = bySocket.get(ws);
        if (!subscriptions) return data;
        const text = data.toString('utf8');
        const rest = subscriptions.take(text);
        if (rest === undefined) return undefined;
        return rest === text ? data : Buffer.from(rest);
      };
    },
  };
}
