import { afterAll, beforeAll } from 'vitest';
import type { Env } from '../env';
import { startWebServer, type RunningWebServer } from '../server/index';
import { startTestSystem, type TestSystem } from './test-system';

/** Web servers on one test system, for the tests of the edge's guards; each file gets its own. */
export type EdgeServers = {
  /** The system (real nats-server and Postgres) the servers run on; set once `beforeAll` ran. */
  readonly system: TestSystem;
  /** A web server with these settings on a free port, without Next.js; stopped after the file. */
  web(overrides?: Partial<Env>): Promise<RunningWebServer>;
  /** Stops a server before the others (one whose database goes away, say). */
  stop(server: RunningWebServer): Promise<void>;
};

/** Registers the file's `beforeAll` / `afterAll`: the system starts first and stops last. */
export function edgeServers(): EdgeServers {
  let system: TestSystem | undefined;
  const servers: RunningWebServer[] = [];
  beforeAll(async () => {
    system = await startTestSystem();
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await system?.stop();
  });
  const started = (): TestSystem => {
    if (!system) throw new Error('edgeServers: used before beforeAll started the test system');
    return system;
  };
  return {
    get system() {
      return started();
    },
    web: async (overrides = {}) => {
      const { PORT: _p, ...env } = started().env(overrides);
      const server = await startWebServer({ ...env, port: 0 });
      servers.push(server);
      return server;
    },
    stop: async (server) => {
      servers.splice(servers.indexOf(server), 1);
      await server.stop();
    },
  };
}

/** How often `server` refused a request or call for `reason` (`web_requests_refused_total`). */
export async function refusals(server: RunningWebServer, reason: string): Promise<number> {
  const { values } = await server.services.metrics.refused.get();
  return values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

/** How often `server` refused a WebSocket upgrade for `reason` (`web_ws_rejected_total`). */
export async function wsRejections(server: RunningWebServer, reason: string): Promise<number> {
  const { values } = await server.services.metrics.wsRejected.get();
  return values.find((v) => v.labels.reason === reason)?.value ?? 0;
}
