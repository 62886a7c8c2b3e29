import { createTestDatabase, type TestDatabase } from '@symbology/dev-services';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from './client';

/**
 * The driver as patched (patches/postgres@3.4.9.patch): a connection whose backend dies must fail
 * its queries, not crash the process (an exception thrown from a setImmediate, which no caller can
 * catch) nor leave a query waiting forever. Seen in the Postgres-outage chaos test; rerun here on
 * one connection, its backend ended with pg_terminate_backend.
 */
describe('a connection whose backend dies mid-query', () => {
  let database: TestDatabase;
  let admin: postgres.Sql;
  beforeAll(async () => {
    database = await createTestDatabase();
    admin = postgres(database.url, { max: 1, onnotice: () => {} });
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  // Each round races the socket's 'error' and 'close' differently: the crash and the hang came in
  // about one round in two unpatched.
  it.each(Array.from({ length: 6 }, (_, i) => i + 1))(
    'round %i: its queries fail with CONNECTION_CLOSED and the pool goes on',
    async () => {
      const db = createDb(database.url, { max: 2 });
      try {
        const reserved = await db.$client.reserve();
        const [row] = await reserved<{ pid: number }[]>`select pg_backend_pid() as pid`;
        const running = reserved`select pg_sleep(5)`.catch((error: { code?: string }) => error.code);
        await expect
          .poll(
            async () =>
              (await admin`select 1 from pg_stat_activity where pid = ${row!.pid} and state = 'active'`).length,
          )
          .toBe(1);
        await admin`select pg_terminate_backend(${row!.pid})`;
        expect(['CONNECTION_CLOSED', 'ECONNRESET']).toContain(await running);
        // Written to the dying socket, or after it is gone: rejected either way, never left waiting.
        await expect(reserved`select 1`).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
        expect(await db.$client`select 1 as one`).toEqual([{ one: 1 }]);
      } finally {
        await db.$client.end({ timeout: 1 });
      }
    },
    15_000,
  );
});
