import { sql } from 'drizzle-orm';
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
