import { readCompanyByTicker, type Database } from '@symbology/db';

export type KnownCompany = { cik: string; checkedAt: Date | null };

/** The ingested company `ticker` names now, if any, with when EDGAR was last read for it. */
export async function findKnownCompany(db: Database, ticker: string): Promise<KnownCompany | undefined> {
  const row = await readCompanyByTicker(db, ticker);
  return row && { cik: row.cik, checkedAt: row.checkedAt ? new Date(row.checkedAt) : null };
}
