import { sql } from 'drizzle-orm';
import type { Database } from '@symbology/db';
import { companies } from '@symbology/db/schema';
import type { SearchTerms } from './search-terms';

export type IngestedRow = { cik: string; name: string; tickers: string[]; rank: number };

/**
 * Ingested companies matching the query, best first. Rank: 0 exact ticker, 1 ticker prefix,
 * 2 name prefix, 3 a later word of the name. The table holds only what was ingested (hundreds of
 * rows, not SEC's ten thousand), so no index is needed for the name patterns.
 */
export async function searchIngested(db: Database, terms: SearchTerms, limit: number): Promise<IngestedRow[]> {
  const exact = sql`${terms.ticker} = any(${companies.tickers})`;
  const tickerPrefix = sql`exists (select 1 from unnest(${companies.tickers}) t where t like ${terms.tickerLike})`;
  const namePrefix = sql`lower(${companies.name}) like ${terms.titleLike}`;
  const wordPrefix = sql`lower(${companies.name}) like ${terms.wordLike}`;
  const rank = sql<number>`(case when ${exact} then 0 when ${tickerPrefix} then 1 when ${namePrefix} then 2 else 3 end)::int`;
  return db
    .select({ cik: companies.cik, name: companies.name, tickers: companies.tickers, rank })
    .from(companies)
    .where(sql`${tickerPrefix} or ${namePrefix} or ${wordPrefix}`)
    .orderBy(rank, companies.name)
    .limit(limit);
}
