import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ensureStreams } from '@symbology/contracts';
import { runMigrations } from '@symbology/db/migrate';
import {
  createTestDatabase,
  freePort,
  REPO_ROOT,
  startNatsServer,
  type RunningNatsServer,
  type TestDatabase,
} from '@symbology/dev-services';
import { childEnv } from '../env';
import { firstJsonLine, spawnTsx, waitForOk, type SpawnedApp } from './spawn-app';

export const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = `${WEB_DIR}test-artifacts/`;

export type WholeSystem = {
  webUrl: string;
  /** Makes every filing document the mirror serves take `ms` longer, so progress can be watched. */
  slowDocuments(ms: number): Promise<void>;
  stop(): Promise<void>;
};

/** Builds the web app with `next build` (about 20-40 s here): the tests then run the production server. */
export async function buildWeb(): Promise<void> {
  await promisify(execFile)(process.execPath, [`${WEB_DIR}node_modules/next/dist/bin/next`, 'build'], {
    cwd: WEB_DIR,
    env: childEnv({ NEXT_TELEMETRY_DISABLED: '1' }),
    maxBuffer: 16 << 20,
  });
}

/**
 * Everything a person's request touches, each app as its own process: nats-server from nats.conf,
 * a migrated throwaway database, the EDGAR mirror on the repo fixtures, the projector, the
 * ingestor and the web server (production build).
 */
export async function startWholeSystem(label: string): Promise<WholeSystem> {
  await mkdir(ARTIFACTS, { recursive: true });
  const nats: RunningNatsServer = await startNatsServer();
  const database: TestDatabase = await createTestDatabase();
  await runMigrations(database.url);
  const op = await nats.connect('operator');
  await ensureStreams(op);
  await op.close();
  const apps: SpawnedApp[] = [];
  const stop = async () => {
    for (const app of apps.reverse()) await app.stop();
    await database.drop().catch(() => {});
    await nats.stop();
  };
  try {
    const natsEnv = (role: 'ingestor' | 'projector' | 'web') => {
      const c = nats.credentials(role);
      return {
        NATS_URL: c.servers,
        NATS_USER: c.user,
        NATS_PASSWORD: c.pass,
        DATABASE_URL: database.url,
        LOG_LEVEL: 'info',
      };
    };
    const mirror = spawnTsx(`${REPO_ROOT}tooling/edgar-mirror/src/main.ts`, {
      cwd: `${REPO_ROOT}tooling/edgar-mirror`,
      env: {},
      logFile: `${ARTIFACTS}${label}-edgar-mirror.log`,
    });
    apps.push(mirror);
    const urls = await firstJsonLine<{ url: string; wwwUrl: string; dataUrl: string }>(mirror.child);

    const projectorPort = await freePort();
    const projector = spawnTsx(`${REPO_ROOT}apps/projector/src/main.ts`, {
      cwd: `${REPO_ROOT}apps/projector`,
      env: { ...natsEnv('projector'), HTTP_PORT: String(projectorPort) },
      logFile: `${ARTIFACTS}${label}-projector.log`,
    });
    apps.push(projector);
    const ingestorPort = await freePort();
    const ingestor = spawnTsx(`${REPO_ROOT}apps/ingestor/src/main.ts`, {
      cwd: `${REPO_ROOT}apps/ingestor`,
      env: {
        ...natsEnv('ingestor'),
        HTTP_PORT: String(ingestorPort),
        EDGAR_WWW_URL: urls.wwwUrl,
        EDGAR_DATA_URL: urls.dataUrl,
        SEC_USER_AGENT: 'Symbology e2e test e2e@example.com',
      },
      logFile: `${ARTIFACTS}${label}-ingestor.log`,
    });
    apps.push(ingestor);
    const webPort = await freePort();
    const web = spawnTsx(`${WEB_DIR}src/server/main.ts`, {
      cwd: WEB_DIR,
      env: {
        ...natsEnv('web'),
        PORT: String(webPort),
        NODE_ENV: 'production',
        WEB_NEXT_MODE: 'prod',
        NEXT_TELEMETRY_DISABLED: '1',
      },
      logFile: `${ARTIFACTS}${label}-web.log`,
    });
    apps.push(web);
    await waitForOk(`http://127.0.0.1:${projectorPort}/readyz`, 'projector', projector.child);
    await waitForOk(`http://127.0.0.1:${ingestorPort}/readyz`, 'ingestor', ingestor.child);
    const webUrl = `http://127.0.0.1:${webPort}`;
    await waitForOk(`${webUrl}/readyz`, 'web', web.child);
    const slowDocuments = async (ms: number) => {
      const res = await fetch(`${urls.url}/_mirror/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ pattern: '/Archives/edgar/data/', delayMs: ms }),
      });
      if (!res.ok) throw new Error(`mirror refused the fault: ${res.status} ${await res.text()}`);
    };
    return { webUrl, slowDocuments, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
