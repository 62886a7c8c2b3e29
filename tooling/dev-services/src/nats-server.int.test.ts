import { afterEach, describe, expect, it } from 'vitest';
import { startNatsServer, type RunningNatsServer } from './nats-server';

type Varz = { jetstream?: { config?: { sync_always?: boolean; sync_interval?: number } } };

let server: RunningNatsServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const jetstreamConfig = async (s: RunningNatsServer) =>
  ((await (await fetch(`${s.monitorUrl}/varz`)).json()) as Varz).jetstream?.config;

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

  it('refuses a value that is not a sync_interval', async () => {
    await expect(startNatsServer({ syncInterval: 'sometimes' })).rejects.toThrow(/not a sync_interval/);
  });
});
