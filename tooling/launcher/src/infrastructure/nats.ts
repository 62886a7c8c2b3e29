import { mkdir } from 'node:fs/promises';
import { NATS_CONF, natsServerBinary, natsServerEnv } from '@symbology/dev-services';
import type { LogSink } from '../output/log-sink';
import { spawnChild, type Child } from '../process/child';
import type { Watchdog } from '../process/watchdog';
import { waitUntilReady } from '../readiness';

export type NatsPlan = { url: string } | { own: { storeDir: string; port: number; monitorPort: number } };

/** Our own nats-server from nats.conf, its JetStream store in `storeDir` (kept across starts). */
export async function startOwnNats(
  own: { storeDir: string; port: number; monitorPort: number },
  logs: LogSink,
  watchdog: Watchdog,
  signal?: AbortSignal,
): Promise<{ url: string; child: Child }> {
  await mkdir(own.storeDir, { recursive: true });
  const child = spawnChild(
    {
      name: 'nats-server',
      command: await natsServerBinary(),
      args: ['-c', NATS_CONF, '-p', String(own.port), '-m', String(own.monitorPort)],
      env: natsServerEnv(own.storeDir),
      // Its start-up banner is noise here; warnings and errors still show.
      onLine: (line) => !line.includes('[INF]') && logs('nats', line),
    },
    watchdog,
  );
  const health = `http://127.0.0.1:${own.monitorPort}/healthz?js-enabled-only=true`;
  try {
    await waitUntilReady(child, health, { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url: `nats://127.0.0.1:${own.port}`, child };
}
