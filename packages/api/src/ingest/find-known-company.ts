import { arrayContains } from 'drizzle-orm';
import type { Database } from '@symbology/db';
// The schema entry, not the package root: the root also exports the migrator, whose SQL folder
// Next's bundler would try to resolve.
import { companies } from '@symbology/db/schema';

/** The CIK of an ingested company listed under `ticker`, if any. */
export async function findKnownCompany(db: Database, ticker: string): Promise<string | undefined> {
  const [row] = await db
    .select({ cik: companies.cik })
    .from(companies)
    .where(arrayContains(companies.tickers, [ticker]))
    .limit(1);
  return row?.cik;
}
