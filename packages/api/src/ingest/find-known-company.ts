import { arrayContains } from 'drizzle-orm';
import type { Database } from '@symbology/db';
// The schema entry, not the package root: the root also exports the migrator, whose SQL folder
// Next's bundler would try to resolve.
import { companies } from '@symbology/db/schema';

export type KnownCompany = { cik: string; checkedAt: Date | null };

/** The ingested company listed under `ticker`, if any, with when EDGAR was last read for it. */
export async function findKnownCompany(db: Database, ticker: string): Promise<KnownCompany | undefined> {
  const [row] = await db
    .select({ cik: companies.cik, checkedAt: companies.checkedAt })
    .from(companies)
    .where(arrayContains(companies.tickers, [ticker]))
    .limit(1);
  return row && { cik: row.cik, checkedAt: row.checkedAt ? new Date(row.checkedAt) : null };
}
