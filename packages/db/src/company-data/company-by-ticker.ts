import { arrayContains, desc, eq, exists, sql } from 'drizzle-orm';
import type { Database } from '../client';
import { companies } from '../schema/company-data';
import { edgarTickers } from '../schema/edgar-tickers';

export type StoredCompany = typeof companies.$inferSelect;

/**
 * The stored company a ticker names now. SEC reuses tickers (a delisted company's symbol goes to a
 * newcomer, a renamed one's old symbol to another), and a stored company keeps the tickers it was
 * found by, so a row listing the ticker is not enough: where SEC's ticker map (`edgar_tickers`,
 * which the ingestor keeps to SEC's current copy) lists the ticker, it names the company, and a
 * ticker it gives to a company not stored yet finds none (a request then ingests that company). A
 * ticker the map does not list (delisted, or a share class the map leaves out) finds the stored
 * company listing it, the one changed last where several do.
 */
export async function readCompanyByTicker(db: Database, ticker: string): Promise<StoredCompany | undefined> {
  const mapped = db.select({ cik: edgarTickers.cik }).from(edgarTickers).where(eq(edgarTickers.ticker, ticker));
  const [row] = await db
    .select()
    .from(companies)
    .where(
      sql`case when ${exists(mapped)} then ${companies.cik} = (${mapped})
        else ${arrayContains(companies.tickers, [ticker])} end`,
    )
    .orderBy(desc(companies.updatedAt), companies.cik)
    .limit(1);
  return row;
}
