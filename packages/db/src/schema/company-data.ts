import { sql } from 'drizzle-orm';
import { date, index, integer, numeric, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const timestamptz = () => timestamp({ withTimezone: true, mode: 'string' });

/** One row per SEC registrant, keyed by its zero-padded CIK. */
export const companies = pgTable(
  'companies',
  {
    cik: text().primaryKey(),
    name: text().notNull(),
    tickers: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    exchanges: text()
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    sic: text(),
    sicDescription: text(),
    fiscalYearEnd: text(),
    entityType: text(),
    stateOfIncorporation: text(),
    updatedAt: timestamptz()
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index('companies_tickers_idx').using('gin', t.tickers)],
);

/** Annual reports ingested, keyed by accession number. */
export const filings = pgTable(
  'filings',
  {
    accession: text().primaryKey(),
    cik: text()
      .notNull()
      .references(() => companies.cik),
    form: text().notNull(),
    fiscalYear: integer().notNull(),
    reportDate: date({ mode: 'string' }).notNull(),
    filingDate: date({ mode: 'string' }).notNull(),
    primaryDocument: text().notNull(),
    primaryDocumentUrl: text().notNull(),
    updatedAt: timestamptz()
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index('filings_cik_idx').on(t.cik, t.fiscalYear)],
);

/**
 * XBRL facts reported in one filing. `period` is "start/end" for durations and "end" for instants,
 * so a fact's key has no nullable part.
 */
export const financialFacts = pgTable(
  'financial_facts',
  {
    accession: text()
      .notNull()
      .references(() => filings.accession, { onDelete: 'cascade' }),
    cik: text().notNull(),
    taxonomy: text().notNull(),
    concept: text().notNull(),
    unit: text().notNull(),
    period: text().notNull(),
    periodStart: date({ mode: 'string' }),
    periodEnd: date({ mode: 'string' }).notNull(),
    value: numeric().notNull(),
    label: text(),
    fiscalYear: integer(),
    fiscalPeriod: text(),
    form: text(),
    frame: text(),
  },
  (t) => [
    primaryKey({ columns: [t.accession, t.taxonomy, t.concept, t.unit, t.period] }),
    index('financial_facts_cik_concept_idx').on(t.cik, t.concept),
  ],
);

/** Text sections cut from a filing's primary document (Item 1, 1A, 7). */
export const filingSections = pgTable(
  'filing_sections',
  {
    accession: text()
      .notNull()
      .references(() => filings.accession, { onDelete: 'cascade' }),
    section: text({ enum: ['business', 'risk_factors', 'mdna'] }).notNull(),
    title: text().notNull(),
    text: text().notNull(),
    charCount: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.accession, t.section] })],
);
