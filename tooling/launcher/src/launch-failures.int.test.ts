import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, freePort, type TestDatabase } from '@symbology/dev-services';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildTargets } from './build/build';
import { launchSystem, type LaunchPlan } from './launch-system';
import { StartupError } from './startup-error';

// A start that fails says what it was connecting to or doing and what the person can do: each case
// here runs launchSystem as npm start does, on free ports, against something that does not answer.
describe('a start-up failure names what failed and what to do', () => {
  let dataDir: string;
  let database: TestDatabase;
  const aborts: AbortController[] = [];
  beforeAll(async () => {
    await buildTargets(['launcher']); // the watchdog runs compiled
    database = await createTestDatabase();
  }, 300_000);
  afterEach(async () => {
    for (const abort of aborts.splice(0)) abort.abort(); // the builds launched beside the failed step
    await rm(dataDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await database?.drop();
  });

  async function launch(
    overrides: Pick<LaunchPlan, 'nats' | 'database'>,
  ): Promise<{ error: unknown; lines: string[] }> {
    dataDir = await mkdtemp(join(tmpdir(), 'symbology-launch-'));
    const lines: string[] = [];
    const abort = new AbortController();
    aborts.push(abort);
    const ports = { web: await freePort(), ingestor: await freePort(), projector: await freePort(), mirror: 0 };
    const error = await launchSystem({
      dataDir,
      ports,
      ...overrides,
      logs: (source, line) => lines.push(`${source}: ${line}`),
      signal: abort.signal,
    }).then(
      async (system) => {
        await system.stop();
        return undefined;
      },
      (failure: unknown) => failure,
    );
    return { error, lines };
  }

  it('given DATABASE_URL names a Postgres that does not answer, then it says Postgres at that URL (no password) and DATABASE_URL', async () => {
    const port = await freePort(); // nobody listens on it
    const { error } = await launch({
      nats: { url: 'nats://127.0.0.1:1' },
      database: { url: `postgres://symbology:s3cret@127.0.0.1:${port}/symbology` },
    });

    expect(error).toBeInstanceOf(StartupError);
    const { message, hint } = error as StartupError;
    expect(message).toMatch(
      new RegExp(
        `^connecting to Postgres at postgres://symbology@127\\.0\\.0\\.1:${port}/symbology \\(DATABASE_URL\\): .*ECONNREFUSED`,
      ),
    );
    expect(`${message} ${hint}`).not.toContain('s3cret');
    expect(hint).toMatch(/DATABASE_URL.*or unset DATABASE_URL to use the machine's Postgres.*else an embedded one/);
  });

  it('given NATS_URL names a server that does not answer, then it says NATS at that URL and NATS_URL', async () => {
    const port = await freePort();
    const { error, lines } = await launch({
      nats: { url: `nats://127.0.0.1:${port}` },
      database: { url: database.url },
    });

    expect(lines).toContain(`launcher: using NATS at nats://127.0.0.1:${port}`);
    expect(error).toBeInstanceOf(StartupError);
    const { message, hint } = error as StartupError;
    expect(message).toMatch(
      new RegExp(`^connecting to NATS at nats://127\\.0\\.0\\.1:${port} \\(NATS_URL\\) as operator: `),
    );
    expect(hint).toMatch(/NATS_URL.*or unset NATS_URL to let the launcher start its own nats-server/);
  });
});
