import { mkdir } from 'node:fs/promises';
import { NATS_CONF, natsPortArgs, natsServerBinary, natsServerEnv, readNatsPorts } from '@symbology/dev-services';
import type { LogSink } from '../output/log-sink';
import { spawnChild, type Child } from '../process/child';
import type { Watchdog } from '../process/watchdog';
import { waitUntilReady } from '../readiness';

/** Port 0: whatever free port nats-server binds itself (the tests' choice: no port picked beforehand). */
export type OwnNats = { storeDir: string; port: number; monitorPort: number };

export type NatsPlan = { url: string } | { own: OwnNats };

export type RunningNats = { url: string; port: number; monitorPort: number; child: Child };

/**
 * Our own nats-server from nats.conf, its JetStream store in `storeDir` (kept across starts), on the
 * ports it was given or, for a 0, on the ones it bound and wrote to its ports file there.
 */
export async function startOwnNats(
  own: OwnNats,
  logs: LogSink,
  watchdog: Watchdog,
  signal?: AbortSignal,
): Promise<RunningNats> {
  await mkdir(own.storeDir, { recursive: true });
  // npm start's ports are the person's (4333, 8333): a ports file only when nats-server chooses.
  const chosen = own.port === 0 || own.monitorPort === 0;
  const child = spawnChild(
    {
      name: 'nats-server',
      command: await natsServerBinary(),
      args: [
        '-c',
        NATS_CONF,
        ...(chosen
          ? natsPortArgs({ client: own.port, monitor: own.monitorPort }, own.storeDir)
          : ['-p', String(own.port), '-m', String(own.monitorPort)]),
      ],
      env: natsServerEnv(own.storeDir),
      // Its start-up banner is noise here; warnings and errors still show.
      onLine: (line) => !line.includes('[INF]') && logs('nats', line),
    },
    watchdog,
  );
  try {
    const bound = chosen
      ? await readNatsPorts(own.storeDir, child.pid, () => child.exit() === undefined)
      : { client: own.port, monitor: own.monitorPort };
    const health = `http://127.0.0.1:${bound.monitor}/healthz?js-enabled-only=true`;
    await waitUntilReady(child, health, { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
    return { url: `nats://127.0.0.1:${bound.client}`, port: bound.client, monitorPort: bound.monitor, child };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
