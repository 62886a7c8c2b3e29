import { arrayContains, eq, sql } from 'drizzle-orm';
import { companies, type Database } from '@symbology/db';
import { upsertOnChange } from './excluded';

export type CompanyRow = typeof companies.$inferInsert;

/** Inserts or refreshes one company by CIK; the same profile twice writes nothing. */
export async function upsertCompany(db: Database, row: CompanyRow): Promise<void> {
  await db
    .insert(companies)
    .values(row)
    .onConflictDoUpdate({
      target: companies.cik,
      ...upsertOnChange(
        'companies',
        {
          name: 'name',
          tickers: 'tickers',
          exchanges: 'exchanges',
          sic: 'sic',
          sicDescription: 'sic_description',
          fiscalYearEnd: 'fiscal_year_end',
          entityType: 'entity_type',
          stateOfIncorporation: 'state_of_incorporation',
        },
        { updatedAt: sql`now()` },
      ),
    });
}

/** The stored company listed under `ticker`, if any: a retry or refresh starts from it. */
export async function readCompanyByTicker(
  db: Database,
  ticker: string,
): Promise<typeof companies.$inferSelect | undefined> {
  const [row] = await db
    .select()
    .from(companies)
    .where(arrayContains(companies.tickers, [ticker]))
    .limit(1);
  return row;
}

/** Records that EDGAR's filing list for the company was read at `at` (never moves it back). */
export async function markChecked(db: Database, cik: string, at: Date): Promise<void> {
  await db
    .update(companies)
    .set({ checkedAt: sql`greatest(${companies.checkedAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(companies.cik, cik));
}
