import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations } from '@symbology/db/migrate';
import { createDatabase, startEmbeddedPostgres, type EmbeddedPostgresServer } from '@symbology/dev-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestMany, startChaosSystem, waitFor, type ChaosSystem } from './chaos-system';

const OUTAGE_MS = 20_000;

describe('Postgres stopped for 20 s mid-load (a throwaway server of its own)', () => {
  let chaos: ChaosSystem;
  let pg: EmbeddedPostgresServer;
  const dataDir = join(tmpdir(), `symbology-chaos-pg-${randomBytes(4).toString('hex')}`);
  beforeAll(async () => {
    [chaos, pg] = await Promise.all([startChaosSystem(), startEmbeddedPostgres(dataDir)]);
  });
  afterAll(async () => {
    await chaos?.stop();
    await pg?.stop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  });

  it('every service recovers by itself: all tasks end, nothing lost or doubled, verify passes', async () => {
    const database = await createDatabase(pg.adminUrl, 'symbology_chaos');
    await runMigrations(database.url);
    chaos.spawn('projector', {}, database.url);
    chaos.spawn('ingestor', {}, database.url);
    chaos.mirror.inject({ pattern: '/Archives/', delayMs: 300 });
    const tasks = await requestMany(chaos, 12);
    await waitFor('work under way', 60_000, async () =>
      (await chaos.events()).some((e) => e.type === 'FilingCompleted' && tasks.includes(e.taskId)) ? true : undefined,
    );
    await pg.stop();
    const during = await requestMany(chaos, 4);
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    await pg.start();
    const backAt = Date.now();
    const all = [...tasks, ...during];
    await chaos.waitTerminal(all, 120_000);
    const report = await chaos.report('postgres-outage', all, database.url);
    // The outage is the system's, not the tasks': none ends failed for running out of deliveries.
    const interrupted = (await chaos.events()).filter(
      (e) => all.includes(e.taskId) && e.type === 'IngestFailed' && e.data.error.code === 'internal_error',
    );
    console.log(
      `chaos postgres-outage: every task terminal and projected ${Date.now() - backAt} ms after Postgres came back`,
    );
    expect(report).toMatchObject({ lost: 0, duplicates: 0, terminal: all.length, verify: 'ok' });
    expect(interrupted.map((e) => e.taskId)).toEqual([]);
    for (const service of chaos.services) expect(service.process.exitCode).toBeNull();
  });
});
