import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, freePort, retryOnPortClash } from '@symbology/dev-services';
import { fileSink, launchSystem, type RunningSystem } from '@symbology/launcher';

type EdgarMirror = NonNullable<RunningSystem['mirror']>;

export const WEB_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const ARTIFACTS = `${WEB_DIR}test-artifacts/`;

export type WholeSystem = {
  webUrl: string;
  /** Makes every filing document the mirror serves take `ms` longer, so progress can be watched. */
  slowDocuments(ms: number): Promise<void>;
  /** The EDGAR mirror the ingestor reads: inject and clear faults, read its request log. */
  mirror: EdgarMirror;
  stop(): Promise<void>;
};

/**
 * Everything a person's request touches, started by the same launcher as `npm start` (each app its
 * own process running its compiled output, web on the `next build`): nats-server from nats.conf,
 * a migrated throwaway database, the EDGAR mirror on the repo fixtures, projector, ingestor, web.
 * Each process's output goes to test-artifacts/<label>-<source>.log.
 */
export async function startWholeSystem(label: string): Promise<WholeSystem> {
  await mkdir(ARTIFACTS, { recursive: true });
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), `symbology-e2e-${label}-`));
  const logs = fileSink(ARTIFACTS, `${label}-`);
  const cleanUp = async () => {
    await database.drop().catch(() => {});
    await logs.close();
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    // nats-server and the mirror bind ports of their own (0); each service is given one picked
    // for it, and the system is started again on new ones if another process took one first.
    const system = await retryOnPortClash(async () =>
      launchSystem({
        dataDir,
        ports: { web: await freePort(), ingestor: await freePort(), projector: await freePort(), mirror: 0 },
        nats: { own: { storeDir: join(dataDir, 'nats'), port: 0, monitorPort: 0 } },
        database: { url: database.url },
        edgarMirror: { roots: [] },
        serviceEnv: { LOG_LEVEL: 'info' },
        logs,
      }),
    );
    const { mirror } = system;
    if (!mirror) throw new Error('the launcher started no EDGAR mirror');
    return {
      webUrl: system.webUrl,
      mirror,
      slowDocuments: async (ms) => {
        system.mirror?.inject({ pattern: '/Archives/edgar/data/', delayMs: ms });
      },
      stop: async () => {
        await system.stop();
        await cleanUp();
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}
