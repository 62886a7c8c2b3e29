import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@symbology/dev-services';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from './client';
import { MIGRATIONS_FOLDER, runMigrations } from './migrate';

/** Applies the committed migrations up to and including `tag`, as a deployment of that time did. */
async function migrateUpTo(url: string, tag: string): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'symbology-migrations-'));
  try {
    cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
    const last = journal.entries.findIndex((e) => e.tag === tag);
    expect(last).toBeGreaterThanOrEqual(0);
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.slice(0, last + 1) }));
    const db = createDb(url, { max: 1 });
    try {
      await migrate(db, { migrationsFolder: folder });
    } finally {
      await db.$client.end();
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

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

describe('0003: filings keyed by company and accession', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  it('keeps every stored row, gives parts and sections their company, and lets a co-registrant hold the same report', async () => {
    await migrateUpTo(db.url, '0002_truthful_outcomes');
    const sql = postgres(db.url, { max: 1, onnotice: () => {} });
    try {
      const acc = '0000092122-24-000010';
      await sql`insert into companies (cik, name) values ('0000092122', 'Southern Co'), ('0000041091', 'Georgia Power Co')`;
      await sql`insert into filings (accession, cik, form, fiscal_year, report_date, filing_date, primary_document, primary_document_url)
        values (${acc}, '0000092122', '10-K', 2023, '2023-12-31', '2024-02-15', 'so-20231231.htm', 'https://www.sec.gov/x')`;
      await sql`insert into financial_facts (accession, cik, taxonomy, concept, unit, period, period_end, value)
        values (${acc}, '0000092122', 'us-gaap', 'Revenues', 'USD', '2023-01-01/2023-12-31', '2023-12-31', 25253000000)`;
      await sql`insert into filing_sections (accession, section, title, text, char_count)
        values (${acc}, 'business', 'Item 1. Business', 'Utilities.', 10)`;
      await sql`insert into filing_parts (accession, part, status, size) values (${acc}, 'facts', 'stored', 1), (${acc}, 'business', 'stored', 10)`;

      await runMigrations(db.url);

      expect(await sql`select cik, part from filing_parts order by part`).toEqual([
        { cik: '0000092122', part: 'business' },
        { cik: '0000092122', part: 'facts' },
      ]);
      expect(await sql`select cik, section from filing_sections`).toEqual([{ cik: '0000092122', section: 'business' }]);
      expect(await sql`select cik, value::text from financial_facts`).toEqual([
        { cik: '0000092122', value: '25253000000' },
      ]);
      // The subsidiary's copy of the same report, and its own figure, stand beside the parent's.
      await sql`insert into filings (accession, cik, form, fiscal_year, report_date, filing_date, primary_document, primary_document_url)
        values (${acc}, '0000041091', '10-K', 2023, '2023-12-31', '2024-02-15', 'so-20231231.htm', 'https://www.sec.gov/x')`;
      await sql`insert into financial_facts (accession, cik, taxonomy, concept, unit, period, period_end, value)
        values (${acc}, '0000041091', 'us-gaap', 'Revenues', 'USD', '2023-01-01/2023-12-31', '2023-12-31', 11340000000)`;
      expect(await sql`select cik, value::text from financial_facts order by cik`).toEqual([
        { cik: '0000041091', value: '11340000000' },
        { cik: '0000092122', value: '25253000000' },
      ]);
      // A part names a filing its company holds.
      await expect(
        sql`insert into filing_parts (cik, accession, part, status) values ('0000099999', ${acc}, 'facts', 'stored')`,
      ).rejects.toThrow(/foreign key/);
    } finally {
      await sql.end();
    }
  });
});
