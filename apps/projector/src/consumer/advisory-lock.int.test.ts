import { createDatabase, MACHINE_POSTGRES_URL, TEST_PG_ENV, type TestDatabase } from '@symbology/dev-services';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockHolder, tryAdvisoryLock, WRITER_LOCK } from './advisory-lock';

describe('advisory locks on a Postgres server shared by several databases', () => {
  const databases: TestDatabase[] = [];
  const clients: postgres.Sql[] = [];
  beforeAll(async () => {
    const adminUrl = process.env[TEST_PG_ENV] ?? MACHINE_POSTGRES_URL;
    for (let i = 0; i < 2; i++) databases.push(await createDatabase(adminUrl, 'symbology_lock'));
    for (const db of databases) clients.push(postgres(db.url, { max: 2, onnotice: () => {} }));
  });
  afterAll(async () => {
    for (const sql of clients) await sql.end();
    for (const db of databases) await db.drop();
  });

  it("sees only its own database's holder: another deployment's lock of the same name is neither named nor in the way", async () => {
    const [mine, theirs] = clients as [postgres.Sql, postgres.Sql];
    const held = await tryAdvisoryLock(theirs, WRITER_LOCK);
    try {
      expect(held).toBeDefined();
      expect(await lockHolder(theirs, WRITER_LOCK)).toMatch(/^pid \d+/);
      expect(await lockHolder(mine, WRITER_LOCK)).toBeUndefined();
      const ours = await tryAdvisoryLock(mine, WRITER_LOCK);
      expect(ours).toBeDefined();
      expect(await ours!.stillHeld()).toBe(true);
      await ours!.release();
    } finally {
      await held?.release();
    }
  });
});
