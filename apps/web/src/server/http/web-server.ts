import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { callWait, tooManyCalls } from '@symbology/api';
import { WS_PATH, type Env, type PublicConfig } from '../../env';
import type { Services } from '../services';
import { setRuntime } from '../runtime';
import { closeServices, createServices } from '../services';
import { BodyTooLargeError, closeAfterBody, readBodyWithin } from './body-limit';
import { createPeerResolver } from './client-address';
import { handleOps } from './health';
import { createHostAllowList } from './host-allow-list';
import { limitHttpSends } from './http-send-limits';
import { pathOf } from './request-path';
import { retryAfter, sendRefusal } from './http-refusal';
import { startNextApp, type NextApp } from './next-app';
import { sendFetchResponse, toFetchRequest } from './node-fetch-bridge';
import { CLIENT_ID_HEADER, handleTrpcFetch, TRPC_HTTP_PATH } from './trpc-fetch';
import { createTrpcWsServer, refuseUpgrade } from './ws-server';

export type RunningWebServer = {
  /** http://host:port */
  url: string;
  /** ws://host:port/api/trpc-ws */
  wsUrl: string;
  services: Services;
  stop(): Promise<void>;
};

/**
 * One node http server on one port: /healthz, /readyz, /metrics, tRPC over HTTP on /api/trpc,
 * the tRPC WebSocket on /api/trpc-ws (upgrade), and everything else through Next.js (pages).
 * With `WEB_NEXT_MODE=off` there is no Next.js: the API without the UI.
 *
 * The edge guards, before any work: a Host not allowed (DNS rebinding) is refused with 421 on
 * HTTP and upgrades alike; a body over HTTP_MAX_BODY_BYTES with 413; the ops routes answer any
 * Host, since probes and scrapers address the process by whatever name or IP reaches it. A peer
 * with more than HTTP_MAX_UNSENT_BYTES_PER_PEER of answers unread is refused with 429, and a
 * connection whose answer makes no progress for HTTP_SEND_IDLE_TIMEOUT_MS is destroyed.
 */
export async function startWebServerWith(config: Env): Promise<RunningWebServer> {
  const services = await createServices(config);
  const mode = config.WEB_NEXT_MODE ?? (config.NODE_ENV === 'production' ? 'prod' : 'dev');
  const publicConfig: PublicConfig = {
    apiUrl: config.WEB_PUBLIC_API_URL,
    wsUrl: config.WEB_PUBLIC_WS_URL,
    wsEnabled: config.WEB_PUBLIC_WS_ENABLED,
  };
  const resolvePeer = createPeerResolver(config.TRUSTED_PROXIES);
  const isHostAllowed = createHostAllowList(config.ALLOWED_HOSTS, config.HOST);
  const ws = createTrpcWsServer(services, resolvePeer);
  const admitSends = limitHttpSends({
    maxUnsentBytesPerPeer: config.HTTP_MAX_UNSENT_BYTES_PER_PEER,
    onRefused: (reason) => services.metrics.refused.inc({ reason }),
  });
  let nextApp: NextApp | undefined;
  let origin = '';

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const path = pathOf(req.url);
    if (path === undefined) return sendRefusal(res, 400, 'BAD_REQUEST', 'The request target is not a valid path');
    if (await handleOps(path, res, services)) return;
    if (!isHostAllowed(req.headers.host)) {
      services.metrics.refused.inc({ reason: 'host_not_allowed' });
      return sendRefusal(res, 421, 'FORBIDDEN', 'This server does not answer for that host name');
    }
    const peer = resolvePeer(req.socket.remoteAddress, req.headers['x-forwarded-for']);
    if (!admitSends(peer, res)) {
      return sendRefusal(
        res,
        429,
        'TOO_MANY_REQUESTS',
        `More than ${config.HTTP_MAX_UNSENT_BYTES_PER_PEER} bytes unread: read replies before sending more requests`,
        retryAfter(1_000),
      );
    }
    if (path.startsWith(`${TRPC_HTTP_PATH}/`)) return serveTrpc(req, res, peer);
    if (Number(req.headers['content-length'] ?? 0) > config.HTTP_MAX_BODY_BYTES) return refuseBody(req, res);
    if (rendersPage(path)) {
      // A page's render makes the queries a client's calls would (as the server's own calls), so
      // the page request counts against its peer's call rate instead.
      const wait = callWait({ callLimiter: services.callLimiter, peer, metrics: services.metrics });
      if (wait > 0) return sendRefusal(res, 429, 'TOO_MANY_REQUESTS', tooManyCalls(wait), retryAfter(wait));
    }
    if (nextApp) return nextApp.handle(req, res);
    res.writeHead(404).end();
  };
  const serveTrpc = async (req: IncomingMessage, res: ServerResponse, peer: string | undefined) => {
    let body: Buffer | undefined;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      try {
        body = await readBodyWithin(req, config.HTTP_MAX_BODY_BYTES);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return refuseBody(req, res);
        throw error;
      }
    }
    const clientId = req.headers[CLIENT_ID_HEADER];
    const response = await handleTrpcFetch(toFetchRequest(req, origin, body), services, {
      clientId: typeof clientId === 'string' ? clientId : undefined,
      peer,
    });
    return sendFetchResponse(response, res);
  };
  const refuseBody = (req: IncomingMessage, res: ServerResponse) => {
    services.metrics.refused.inc({ reason: 'body_too_large' });
    sendRefusal(res, 413, 'PAYLOAD_TOO_LARGE', `Request body too large (at most ${config.HTTP_MAX_BODY_BYTES} bytes)`);
    closeAfterBody(req);
  };
  // A client must finish its headers, then its request, in bounded time (Node's defaults are 60 s
  // and 300 s: a slow sender held a connection that long). Checked every second rather than every
  // 30 s. An upgraded WebSocket is no longer an HTTP request: these do not reach it.
  // A client must also take its answer: `server.timeout` (below) is the idle time after which a
  // connection whose answer is stuck is destroyed (http-send-limits.ts).
  const timeouts = {
    headersTimeout: config.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
    connectionsCheckingInterval: 1_000,
  };
  const server = createServer(timeouts, (req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      services.logger.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    // Node has taken its own 'error' listener off a socket it hands to 'upgrade': one reset by its
    // client while we answer would be an unhandled 'error' event, and a throw here an uncaught
    // exception. Either would end the process, for every user.
    socket.on('error', () => socket.destroy());
    try {
      if (!isHostAllowed(req.headers.host)) {
        services.metrics.refused.inc({ reason: 'host_not_allowed' });
        return refuseUpgrade(socket, 421, 'Misdirected Request');
      }
      if (ws.handleUpgrade(req, socket, head)) return;
      // Next takes upgrades for its dev server's hot reload only. It answers no other (in
      // production none at all) and leaves the socket open, past every HTTP timeout and outside
      // the WebSocket limits: one client could hold any number of them.
      if (nextApp && mode === 'dev' && pathOf(req.url)?.startsWith('/_next/')) {
        nextApp.upgrade(req, socket, head).catch(() => socket.destroy());
      } else refuseUpgrade(socket, 404, 'Not Found');
    } catch (err) {
      services.logger.warn({ err, url: req.url }, 'upgrade refused: it could not be handled');
      refuseUpgrade(socket, 400, 'Bad Request');
    }
  });
  // The client checks liveness itself (keepAlive), so idle HTTP keep-alive sockets need not linger.
  server.keepAliveTimeout = 5_000;
  server.timeout = config.HTTP_SEND_IDLE_TIMEOUT_MS;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.PORT, config.HOST, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  origin = `http://${host}:${port}`;
  if (mode !== 'off') {
    setRuntime({ services, publicConfig });
    nextApp = await startNextApp(mode, config.HOST, port);
  }
  services.logger.info({ url: origin, ws: `${origin.replace('http', 'ws')}${WS_PATH}`, mode }, 'web server listening');

  return {
    url: origin,
    wsUrl: `${origin.replace(/^http/, 'ws')}${WS_PATH}`,
    services,
    async stop() {
      await ws.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await nextApp?.close();
      if (mode !== 'off') setRuntime(undefined);
      await closeServices(services);
    },
  };
}

/** A request Next renders (a page, or its RSC payload), not a static file of the build. */
function rendersPage(path: string): boolean {
  return !path.startsWith('/_next/') && !/\.[a-z0-9]+$/i.test(path);
}
