import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsServerBinary } from './nats-binary';
import { resolvePostgresServer, TEST_PG_ENV } from './postgres';

/**
 * Runs once before any test: installs nats-server 2.10+ if missing and finds (or starts) the
 * Postgres the tests create their throwaway databases on. Workers inherit the env it sets.
 */
export default async function setup(): Promise<() => Promise<void>> {
  await natsServerBinary();
  const server = await resolvePostgresServer(join(tmpdir(), 'symbology-test-postgres'));
  process.env[TEST_PG_ENV] = server.adminUrl;
  return () => server.stop();
}
