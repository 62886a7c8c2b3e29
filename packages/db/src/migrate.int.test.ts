import { createTestDatabase, type TestDatabase } from '@symbology/dev-services';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from './migrate';

async function schemaFingerprint(url: string) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    const columns = await sql`
      select table_name, column_name, data_type, is_nullable from information_schema.columns
      where table_schema = 'public' order by table_name, column_name`;
    const applied = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`;
    return {
      columns: columns.map((c) => `${c.table_name}.${c.column_name}:${c.data_type}:${c.is_nullable}`),
      applied: applied[0]?.n,
    };
  } finally {
    await sql.end();
  }
}

describe('migrations on a real Postgres', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('apply to an empty database and create every table, with timestamptz timestamps', async () => {
    await runMigrations(db.url);
    const { columns } = await schemaFingerprint(db.url);
    const tables = new Set(columns.map((c) => c.split('.')[0]));
    for (const table of [
      'tasks',
      'task_filings',
      'projection_checkpoints',
      'dead_letters',
      'companies',
      'filings',
      'financial_facts',
      'filing_sections',
      'edgar_tickers',
    ]) {
      expect(tables).toContain(table);
    }
    expect(columns).toContain('tasks.updated_at:timestamp with time zone:NO');
    expect(columns).toContain('dead_letters.payload:text:NO');
    expect(columns).toContain('edgar_tickers.refreshed_at:timestamp with time zone:NO');
  });

  it('index the ticker map for prefix search without any extension', async () => {
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<
        { indexdef: string }[]
      >`select indexdef from pg_indexes where tablename = 'edgar_tickers' order by indexname`;
      const defs = rows.map((r) => r.indexdef).join('\n');
      expect(defs).toMatch(/\(ticker text_pattern_ops\)/);
      expect(defs).toMatch(/\(lower\(title\) text_pattern_ops\)/);
    } finally {
      await sql.end();
    }
  });

  it('change nothing when run a second time', async () => {
    const before = await schemaFingerprint(db.url);
    await runMigrations(db.url);
    expect(await schemaFingerprint(db.url)).toEqual(before);
  });
});
