import { eq, sql } from 'drizzle-orm';
import { companies, type Database, type StoredCompany } from '@symbology/db';
import { upsertOnChange } from './excluded';

export type CompanyRow = typeof companies.$inferInsert;

/** A stored value a refresh keeps when EDGAR's new answer has none (null or ""). */
const keepStored = (column: string) => `coalesce(excluded."${column}", "companies"."${column}")`;
/** Tickers and exchanges (they line up) stay as stored when EDGAR now lists no ticker at all. */
const keepStoredListing = (column: string) =>
  `case when cardinality("companies"."tickers") > 0 then "companies"."${column}" else excluded."${column}" end`;

/**
 * Inserts or refreshes one company by CIK and answers the row as stored; the same profile twice
 * writes nothing. A refresh never empties what the company is found by: when EDGAR lists no ticker
 * (delisted, acquired), the stored tickers stay, or, for a company stored without any, the ticker
 * the request resolved through (`resolvedThrough`); a ticker that changed (FB -> META) is taken.
 * A profile field EDGAR now leaves empty keeps its stored value.
 */
export async function upsertCompany(db: Database, row: CompanyRow, resolvedThrough?: string): Promise<StoredCompany> {
  const listed = (row.tickers?.length ?? 0) > 0;
  const values = listed || !resolvedThrough ? row : { ...row, tickers: [resolvedThrough], exchanges: [''] };
  const [written] = await db
    .insert(companies)
    .values(values)
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
        {
          ...(listed ? {} : { tickers: keepStoredListing('tickers'), exchanges: keepStoredListing('exchanges') }),
          sic: keepStored('sic'),
          sicDescription: keepStored('sic_description'),
          fiscalYearEnd: keepStored('fiscal_year_end'),
          entityType: keepStored('entity_type'),
          stateOfIncorporation: keepStored('state_of_incorporation'),
        },
      ),
    })
    .returning();
  if (written) return written;
  // Nothing changed, so nothing was written (or returned): the stored row is the profile.
  const [stored] = await db.select().from(companies).where(eq(companies.cik, row.cik)).limit(1);
  if (!stored) throw new Error(`company ${row.cik} is neither written nor stored`);
  return stored;
}

/** Records that EDGAR's filing list for the company was read at `at` (never moves it back). */
export async function markChecked(db: Database, cik: string, at: Date): Promise<void> {
  await db
    .update(companies)
    .set({ checkedAt: sql`greatest(${companies.checkedAt}, ${at.toISOString()}::timestamptz)` })
    .where(eq(companies.cik, cik));
}
