import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * SEC's ticker map (company_tickers.json), written by the ingestor whenever it loads a changed copy,
 * so the web app can suggest companies not ingested yet without ever calling EDGAR itself.
 */
export const edgarTickers = pgTable(
  'edgar_tickers',
  {
    /** Normalised as `normalizeTicker` does (upper case, `BRK-B`), so a prefix match is a plain LIKE. */
    ticker: text().primaryKey(),
    /** Zero-padded to 10 digits, as in `companies.cik`. */
    cik: text().notNull(),
    title: text().notNull(),
    /** Position in SEC's file, roughly by market value: the tie-breaker that puts Apple Inc. first. */
    secOrder: integer().notNull(),
    /** When this row last changed; an unchanged entry is never rewritten. */
    refreshedAt: timestamp({ withTimezone: true, mode: 'string' })
      .notNull()
      .default(sql`now()`),
  },
  (t) => [
    // Pattern ops let `LIKE 'PREFIX%'` use a btree whatever the database collation; no extension needed.
    index('edgar_tickers_ticker_prefix_idx').using('btree', sql`${t.ticker} text_pattern_ops`),
    index('edgar_tickers_title_prefix_idx').using('btree', sql`lower(${t.title}) text_pattern_ops`),
    index('edgar_tickers_cik_idx').on(t.cik),
  ],
);
