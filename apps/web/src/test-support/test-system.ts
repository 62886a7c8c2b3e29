import { startTestSystem as startApiTestSystem, type TestSystem as ApiTestSystem } from '@symbology/api/testing';
import { loadEnv, type Env } from '../env';

/**
 * The api's test system (real nats-server and Postgres; `project` folds events with the real
 * `evolve` and writes them with the read model's writer) plus this app's configuration for it.
 */
export type TestSystem = ApiTestSystem & {
  /** apps/web's env pointing at this system, as the web NATS user; no Next.js, any free port. */
  env(overrides?: Partial<Env>): Env;
};

export async function startTestSystem(): Promise<TestSystem> {
  const system = await startApiTestSystem();
  const web = system.nats.credentials('web');
  return {
    ...system,
    env: (overrides = {}) => ({
      ...loadEnv({}),
      NATS_URL: web.servers,
      NATS_PASSWORD: web.pass,
      DATABASE_URL: system.database.url,
      LOG_LEVEL: 'silent',
      PORT: 0,
      WEB_NEXT_MODE: 'off',
      ...overrides,
    }),
  };
}
