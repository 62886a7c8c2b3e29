import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WS_PATH, type Env, type PublicConfig } from '../../env';
import type { Services } from '../services';
import { setRuntime } from '../runtime';
import { closeServices, createServices } from '../services';
import { handleOps } from './health';
import { startNextApp, type NextApp } from './next-app';
import { sendFetchResponse, toFetchRequest } from './node-fetch-bridge';
import { handleTrpcFetch, TRPC_HTTP_PATH } from './trpc-fetch';
import { createTrpcWsServer } from './ws-server';

export type RunningWebServer = {
  /** http://host:port */
  url: string;
  /** ws://host:port/api/trpc-ws */
  wsUrl: string;
  services: Services;
  stop(): Promise<void>;
};

/**
 * One node http server on one port: /healthz, /readyz, /metrics, the tRPC WebSocket on
 * /api/trpc-ws (upgrade), and everything else through Next.js (pages and the /api/trpc route
 * handler). With `WEB_NEXT_MODE=off` it serves /api/trpc itself: the API without the UI.
 */
export async function startWebServerWith(config: Env): Promise<RunningWebServer> {
  const services = await createServices(config);
  const mode = config.WEB_NEXT_MODE ?? (config.NODE_ENV === 'production' ? 'prod' : 'dev');
  const publicConfig: PublicConfig = {
    apiUrl: config.WEB_PUBLIC_API_URL,
    wsUrl: config.WEB_PUBLIC_WS_URL,
    wsEnabled: config.WEB_PUBLIC_WS_ENABLED,
  };
  const ws = createTrpcWsServer(services);
  let nextApp: NextApp | undefined;
  let origin = '';

  const onRequest = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (await handleOps(path, res, services)) return;
    if (nextApp) return nextApp.handle(req, res);
    if (path.startsWith(`${TRPC_HTTP_PATH}/`)) {
      return sendFetchResponse(
        await handleTrpcFetch(toFetchRequest(req, origin), services, req.socket.remoteAddress),
        res,
      );
    }
    res.writeHead(404).end();
  };
  const server = createServer((req, res) => {
    onRequest(req, res).catch((err: unknown) => {
      services.logger.error({ err, url: req.url }, 'request failed');
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.on('upgrade', (req, socket, head) => {
    if (ws.handleUpgrade(req, socket, head)) return;
    if (nextApp) void nextApp.upgrade(req, socket, head);
    else socket.destroy();
  });
  // The client checks liveness itself (keepAlive), so idle HTTP keep-alive sockets need not linger.
  server.keepAliveTimeout = 5_000;

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
