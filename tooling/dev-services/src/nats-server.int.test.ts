import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from './free-port';
import { NATS_CLUSTER_CONF, NATS_CLUSTER_NAME } from './nats-cluster';
import { startNatsServer, type RunningNatsServer } from './nats-server';

type Varz = {
  jetstream?: { config?: { sync_always?: boolean; sync_interval?: number } };
  cluster?: { name?: string };
};

// What freePort() hands out next, when a test sets it: a port another process took meanwhile.
const picked = vi.hoisted(() => ({ next: [] as number[] }));
vi.mock('./free-port', async (importOriginal) => {
  const real = await importOriginal<{ freePort(): Promise<number> }>();
  return { freePort: async () => picked.next.shift() ?? real.freePort() };
});

let server: RunningNatsServer | undefined;
const squatters: Server[] = [];
afterEach(async () => {
  picked.next.length = 0;
  await server?.stop();
  server = undefined;
  for (const s of squatters.splice(0)) await new Promise((resolve) => s.close(resolve));
});

/** Another process's listener on 127.0.0.1, on a port of its own. */
async function squat(): Promise<number> {
  const squatter = createServer();
  squatters.push(squatter);
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  return (squatter.address() as { port: number }).port;
}

describe('startNatsServer: its ports', () => {
  it('binds ports of its own, so a free port taken by another process meanwhile cannot stop it; a restart keeps them', async () => {
    const taken = await squat();
    picked.next.push(taken, taken);

    server = await startNatsServer();

    expect(server.port).not.toBe(taken);
    expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
    const before = { url: server.url, monitorUrl: server.monitorUrl };
    await server.restart();
    expect({ url: server.url, monitorUrl: server.monitorUrl }).toEqual(before);
    expect((await fetch(`${server.monitorUrl}/healthz`)).status).toBe(200);
    const nc = await server.connect('operator');
    await nc.close();
  });
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
