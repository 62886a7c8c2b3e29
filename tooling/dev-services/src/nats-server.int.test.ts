import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './free-port';
import { NATS_CLUSTER_CONF, NATS_CLUSTER_NAME } from './nats-cluster';
import { startNatsServer, type RunningNatsServer } from './nats-server';

type Varz = {
  jetstream?: { config?: { sync_always?: boolean; sync_interval?: number } };
  cluster?: { name?: string };
};

let server: RunningNatsServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const varz = async (s: RunningNatsServer) => (await (await fetch(`${s.monitorUrl}/varz`)).json()) as Varz;
const jetstreamConfig = async (s: RunningNatsServer) => (await varz(s)).jetstream?.config;

describe('startNatsServer: the JetStream sync policy', () => {
  it('runs nats.conf as written: fsync before every acknowledgement', async () => {
    server = await startNatsServer();
    expect(await jetstreamConfig(server)).toMatchObject({ sync_always: true });
  });

  it('runs with another sync_interval when asked (a benchmark of the fsync cost)', async () => {
    server = await startNatsServer({ syncInterval: '2m' });
    const config = await jetstreamConfig(server);
    expect(config?.sync_always ?? false).toBe(false);
    expect(config?.sync_interval).toBe(120_000_000_000);
  });

  it('gives a cluster node the sync_interval (nats-cluster.conf takes it from the nats.conf it includes)', async () => {
    // One node routed to itself: the configuration is what is under test, not a quorum.
    const clusterPort = await freePort();
    server = await startNatsServer({
      configFile: NATS_CLUSTER_CONF,
      extraArgs: ['--routes', `nats-route://127.0.0.1:${clusterPort}`],
      extraEnv: { SYMBOLOGY_NATS_CLUSTER_PORT: String(clusterPort) },
      syncInterval: '2m',
    });
    const vars = await varz(server);
    expect(vars.cluster?.name).toBe(NATS_CLUSTER_NAME);
    expect(vars.jetstream?.config?.sync_interval).toBe(120_000_000_000);
  });

  it('refuses a value that is not a sync_interval', async () => {
    await expect(startNatsServer({ syncInterval: 'sometimes' })).rejects.toThrow(/not a sync_interval/);
  });
});
