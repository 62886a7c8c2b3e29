import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { passwordOf, REPO_ROOT } from '@symbology/dev-services';
import type { LogSink } from './output/log-sink';
import { spawnChild, type Child } from './process/child';
import type { Watchdog } from './process/watchdog';
import { waitUntilReady } from './readiness';

export type ServiceName = 'projector' | 'ingestor' | 'web';
/** Started in this order, stopped in the reverse one. */
export const SERVICE_ORDER: readonly ServiceName[] = ['projector', 'ingestor', 'web'];

export type Infrastructure = {
  natsUrl: string;
  databaseUrl: string;
  /** The EDGAR mirror's www / data URLs when the ingestor reads recorded responses. */
  edgar?: { wwwUrl: string; dataUrl: string };
};

export type RunningService = { name: ServiceName; url: string; pid: number; instanceId: string; child: Child };

type ServiceDefinition = {
  dir: string;
  entry: string;
  env(infra: Infrastructure, port: number): Record<string, string>;
};

const connection = (infra: Infrastructure, role: ServiceName): Record<string, string> => ({
  NATS_URL: infra.natsUrl,
  NATS_USER: role,
  NATS_PASSWORD: passwordOf(role),
  DATABASE_URL: infra.databaseUrl,
});

/** Each service's compiled entry (pnpm build) and the environment the launcher gives it. */
const SERVICES: Record<ServiceName, ServiceDefinition> = {
  projector: {
    dir: 'apps/projector',
    entry: 'dist/main.js',
    env: (infra, port) => ({ ...connection(infra, 'projector'), HTTP_PORT: String(port) }),
  },
  ingestor: {
    dir: 'apps/ingestor',
    entry: 'dist/main.js',
    env: (infra, port) => ({
      ...connection(infra, 'ingestor'),
      HTTP_PORT: String(port),
      ...(infra.edgar
        ? {
            EDGAR_WWW_URL: infra.edgar.wwwUrl,
            EDGAR_DATA_URL: infra.edgar.dataUrl,
            SEC_USER_AGENT: process.env.SEC_USER_AGENT ?? 'Symbology Demo demo@symbology.invalid',
          }
        : {}),
    }),
  },
  web: {
    dir: 'apps/web',
    entry: 'dist/server.js',
    env: (infra, port) => ({
      ...connection(infra, 'web'),
      PORT: String(port),
      WEB_NEXT_MODE: 'prod',
      NEXT_TELEMETRY_DISABLED: '1',
    }),
  },
};

/**
 * Runs a service's compiled output with a fresh SYMBOLOGY_INSTANCE_ID and waits until /readyz
 * answers 200 with that id, so "ready" is this child's answer and nobody else's.
 */
export async function startService(
  name: ServiceName,
  port: number,
  infra: Infrastructure,
  options: { extraEnv?: Record<string, string> | undefined; logs: LogSink; watchdog: Watchdog; signal?: AbortSignal },
): Promise<RunningService> {
  const definition = SERVICES[name];
  const instanceId = randomUUID();
  const child = spawnChild(
    {
      name,
      command: process.execPath,
      args: ['--enable-source-maps', definition.entry],
      cwd: join(REPO_ROOT, definition.dir),
      env: {
        ...process.env,
        ...options.extraEnv,
        ...definition.env(infra, port),
        NODE_ENV: 'production',
        SYMBOLOGY_INSTANCE_ID: instanceId,
      },
      onLine: (line) => options.logs(name, line),
    },
    options.watchdog,
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(child, `${url}/readyz`, { instanceId, signal: options.signal });
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { name, url, pid: child.pid, instanceId, child };
}
