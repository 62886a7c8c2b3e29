import { runMigrations } from '@symbology/db/migrate';
import { createDatabase, freePort, retryOnPortClash, startNatsCluster, startNatsServer } from '@symbology/dev-services';
import { ensureStreams } from '@symbology/service';
import { forkChild } from '../ipc/fork-child';
import { findPids } from '../run/proc-stats';
import type { StartSystem } from '../run/edge';
import type { PublisherConfig } from './publisher-config';
import { spawnApp } from './spawn-app';

export type SymbologyOptions = {
  /** Extra environment per app (--web-env, --projector-env): settings tried without editing the apps. */
  appEnv: { web: Record<string, string>; projector: Record<string, string> };
  /** JetStream `sync_interval` (`always` is nats.conf's). */
  natsSync: string;
  /** 1: one nats-server; 3: a cluster with the streams at R3. */
  natsNodes: number;
};

/**
 * The real system, each part its own process: a nats-server from the repo's nats.conf (or a cluster
 * of them, --nats-nodes 3), a throwaway migrated database, the streams provisioned, the projector,
 * the web server (API and WebSocket only), and the publisher. A fresh one per run, so no run inherits another's stream or memory.
 */
export function symbologySystem(pgAdminUrl: string, options: SymbologyOptions): StartSystem {
  const { appEnv, natsSync, natsNodes } = options;
  const sync = natsSync === 'always' ? {} : { syncInterval: natsSync };
  return async ({ subscribers, shape }) => {
    const stops: Array<() => Promise<unknown>> = [];
    const stop = async () => {
      for (const s of stops.splice(0).reverse()) await s().catch(() => {});
    };
    try {
      const cluster = natsNodes > 1 ? await startNatsCluster({ size: natsNodes, ...sync }) : undefined;
      const single = cluster ? undefined : await startNatsServer(sync);
      const nats = cluster ?? single!;
      stops.push(() => nats.stop());
      // Their CPU is reported per process: one nats-server, or each node of the cluster.
      const natsPids: Record<string, number> = {};
      for (const node of cluster?.nodes ?? [single!]) {
        const pid = node.pid();
        if (pid !== undefined) natsPids[cluster ? `nats-${node.name}` : 'nats-server'] = pid;
      }
      const database = await createDatabase(pgAdminUrl, 'symbology_bench');
      stops.push(() => database.drop());
      await runMigrations(database.url);
      const operator = await nats.connect('operator', 'bench-e2e-provision');
      await ensureStreams(operator, { replicas: natsNodes });
      await operator.close();

      // Each app is told its port: picked here, and picked again if another process takes it first.
      const projector = await retryOnPortClash(async () => {
        const projectorPort = await freePort();
        return spawnApp({
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
      });
      stops.push(() => projector.stop());

      const { web, httpUrl } = await retryOnPortClash(async () => {
        const webPort = await freePort();
        const url = `http://127.0.0.1:${webPort}`;
        const app = await spawnApp({
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
            // The client processes all connect from this machine: one peer to the per-peer caps.
            WS_MAX_CONNECTIONS_PER_PEER: String(subscribers + 100),
            WS_MAX_SUBSCRIPTIONS_PER_PEER: String(subscribers + 100),
            TRPC_RATE_LIMIT_BURST: '1000000',
            ...appEnv.web,
          },
          readyUrl: `${url}/readyz`,
        });
        return { web: app, httpUrl: url };
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

      return {
        edge: { pid: web.pid, httpUrl, wsUrl: `${httpUrl.replace('http', 'ws')}/api/trpc-ws` },
        publisher,
        pids: { projector: projector.pid, publisher: publisher.pid, ...natsPids },
        // A backend's title names its database: `postgres: <user> <database> <client> <state>`.
        processGroups: { postgres: () => findPids((argv) => argv[0]?.includes(` ${database.name} `) ?? false) },
        stop,
      };
    } catch (error) {
      await stop();
      throw error;
    }
  };
}
