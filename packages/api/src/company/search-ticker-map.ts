import { and, sql, type SQL } from 'drizzle-orm';
import type { Database } from '@symbology/db';
import { companies, edgarTickers } from '@symbology/db/schema';
import type { SearchTerms } from './search-terms';

export type TickerMapRow = {
  cik: string;
  ticker: string;
  title: string;
  rank: number;
  /** The ingested company with this CIK, if any: the map row is then that company. */
  company: { name: string; tickers: string[] } | null;
};

/**
 * Rows of SEC's ticker map (`edgar_tickers`, kept by the ingestor) matching the query, best first:
 * exact ticker, ticker prefix (shorter tickers first), name prefix, then a later word of the name,
 * each in SEC's order (roughly by market value). The prefixes use the table's pattern-ops
 * indexes; the word match needs a scan of the ~10,000 rows, so it runs only to fill the list.
 */
export async function searchTickerMap(db: Database, terms: SearchTerms, limit: number): Promise<TickerMapRow[]> {
  const tickerPrefix = sql`${edgarTickers.ticker} like ${terms.tickerLike}`;
  const titlePrefix = sql`lower(${edgarTickers.title}) like ${terms.titleLike}`;
  const prefixed = await selectRows(db, sql`(${tickerPrefix} or ${titlePrefix})`, terms, limit);
  if (prefixed.length >= limit) return prefixed;
  const wordOnly = and(
    sql`lower(${edgarTickers.title}) like ${terms.wordLike}`,
    sql`not (${tickerPrefix} or ${titlePrefix})`,
  );
  return [...prefixed, ...(await selectRows(db, wordOnly, terms, limit - prefixed.length))];
}

async function selectRows(
  db: Database,
  where: SQL | undefined,
  terms: SearchTerms,
  limit: number,
): Promise<TickerMapRow[]> {
  const rank = sql<number>`(case
    when ${edgarTickers.ticker} = ${terms.ticker} then 0
    when ${edgarTickers.ticker} like ${terms.tickerLike} then 1
    when lower(${edgarTickers.title}) like ${terms.titleLike} then 2
    else 3 end)::int`;
  const rows = await db
    .select({
      cik: edgarTickers.cik,
      ticker: edgarTickers.ticker,
      title: edgarTickers.title,
      rank,
      companyName: companies.name,
      companyTickers: companies.tickers,
    })
    .from(edgarTickers)
    .leftJoin(companies, sql`${companies.cik} = ${edgarTickers.cik}`)
    .where(where)
    // Ticker length only orders ticker matches: for name matches SEC's order says more.
    .orderBy(rank, sql`case when ${rank} <= 1 then length(${edgarTickers.ticker}) else 0 end`, edgarTickers.secOrder)
    .limit(limit);
  return rows.map(({ companyName, companyTickers, ...row }) => ({
    ...row,
    company: companyName !== null && companyTickers !== null ? { name: companyName, tickers: companyTickers } : null,
  }));
}
