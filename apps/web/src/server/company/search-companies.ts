import { asc, ilike, or, sql } from 'drizzle-orm';
import type { Database } from '@symbology/db';
import { companies } from '@symbology/db/schema';

export type CompanyMatch = { cik: string; name: string; tickers: string[] };

/** Escapes LIKE wildcards so that a user's `%` or `_` matches itself. */
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Ingested companies whose ticker or name starts with `query`, tickers first. Only ingested ones:
 * EDGAR's full ticker map lives inside the ingestor, which does not publish it (see README).
 */
export async function searchCompanies(db: Database, query: string, limit: number): Promise<CompanyMatch[]> {
  const prefix = likePrefix(query.trim());
  const tickerPrefix = likePrefix(query.trim().toUpperCase().replace(/[./]/g, '-'));
  const tickerMatch = sql<boolean>`exists (select 1 from unnest(${companies.tickers}) t where t like ${tickerPrefix})`;
  return db
    .select({ cik: companies.cik, name: companies.name, tickers: companies.tickers })
    .from(companies)
    .where(or(tickerMatch, ilike(companies.name, prefix)))
    .orderBy(sql`${tickerMatch} desc`, asc(companies.name))
    .limit(limit);
}
