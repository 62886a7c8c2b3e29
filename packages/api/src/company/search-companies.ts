import type { Database } from '@symbology/db';
import { mergeMatches, type CompanyMatch } from './merge-matches';
import { searchIngested } from './search-ingested';
import { searchTerms } from './search-terms';
import { searchTickerMap } from './search-ticker-map';

export type { CompanyMatch };

/**
 * Autocomplete over ingested companies and SEC's ticker map (`edgar_tickers`, written by the
 * ingestor: the web app never calls EDGAR). Ingested companies come first.
 */
export async function searchCompanies(db: Database, query: string, limit: number): Promise<CompanyMatch[]> {
  const terms = searchTerms(query);
  // A company has one to a few tickers; three rows a slot leaves room after grouping them.
  const [ingested, mapRows] = await Promise.all([
    searchIngested(db, terms, limit),
    searchTickerMap(db, terms, limit * 3),
  ]);
  return mergeMatches(ingested, mapRows, limit);
}
