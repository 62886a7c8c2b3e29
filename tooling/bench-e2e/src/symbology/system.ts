import { runMigrations } from '@symbology/db/migrate';
import { createDatabase, freePort, startNatsServer } from '@symbology/dev-services';
import { ensureStreams } from '@symbology/service';
import { forkChild } from '../ipc/fork-child';
import { findPid } from '../run/proc-stats';
import type { StartSystem } from '../run/edge';
import type { PublisherConfig } from './publisher-config';
import { spawnApp } from './spawn-app';

/** Extra environment per app (--web-env, --projector-env): settings tried without editing the apps. */
export type SymbologyAppEnv = { web: Record<string, string>; projector: Record<string, string> };

/**
 * The real system, each part its own process: a nats-server from the repo's nats.conf, a throwaway
 * migrated database, the streams provisioned, the projector, the web server (API and WebSocket
 * only), and the publisher. A fresh one per run, so no run inherits another's stream or memory.
 */
export function symbologySystem(pgAdminUrl: string, appEnv: SymbologyAppEnv, natsSync = 'always'): StartSystem {
  return async ({ subscribers, shape }) => {
    const stops: Array<() => Promise<unknown>> = [];
    const stop = async () => {
      for (const s of stops.splice(0).reverse()) await s().catch(() => {});
    };
    try {
      const nats = await startNatsServer(natsSync === 'always' ? {} : { syncInterval: natsSync });
      stops.push(() => nats.stop());
      const database = await createDatabase(pgAdminUrl, 'symbology_bench');
      stops.push(() => database.drop());
      await runMigrations(database.url);
      const operator = await nats.connect('operator', 'bench-e2e-provision');
      await ensureStreams(operator);
      await operator.close();

      const projectorPort = await freePort();
      const projector = await spawnApp({
        name: 'projector',
        dir: 'apps/projector',
        entry: 'src/main.ts',
        env: {
          NATS_URL: nats.url,
          NATS_PASSWORD: nats.credentials('projector').pass,
          DATABASE_URL: database.url,
          HTTP_PORT: String(projectorPort),
          LOG_LEVEL: 'warn',
          ...appEnv.projector,
        },
        readyUrl: `http://127.0.0.1:${projectorPort}/readyz`,
      });
      stops.push(() => projector.stop());

      const webPort = await freePort();
      const httpUrl = `http://127.0.0.1:${webPort}`;
      const web = await spawnApp({
        name: 'web',
        dir: 'apps/web',
        entry: 'src/server/main.ts',
        env: {
          NODE_ENV: 'production',
          PORT: String(webPort),
          NATS_URL: nats.url,
          NATS_PASSWORD: nats.credentials('web').pass,
          DATABASE_URL: database.url,
          WEB_NEXT_MODE: 'off',
          LOG_LEVEL: 'warn',
          WS_MAX_CONNECTIONS: String(subscribers + 100),
          ...appEnv.web,
        },
        readyUrl: `${httpUrl}/readyz`,
      });
      stops.push(() => web.stop());

      const config: PublisherConfig = {
        natsUrl: nats.url,
        credentials: {
          web: nats.credentials('web'),
          ingestor: nats.credentials('ingestor'),
          subscriber: nats.credentials('subscriber'),
        },
        shape,
      };
      const publisher = forkChild('symbology-publisher', new URL('./publisher-process.ts', import.meta.url), config);
      stops.push(() => publisher.stop());
      await publisher.next('ready', 60_000);

      const natsPid = await findPid((argv) => argv[0]!.endsWith('nats-server') && argv.includes(String(nats.port)));
      return {
        edge: { pid: web.pid, httpUrl, wsUrl: `${httpUrl.replace('http', 'ws')}/api/trpc-ws` },
        publisher,
        pids: { projector: projector.pid, publisher: publisher.pid, ...(natsPid ? { 'nats-server': natsPid } : {}) },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  };
}
