import { sql } from 'drizzle-orm';
import { FilingPartSchema, type FilingPart } from '@symbology/contracts';
import {
  type AnyPgColumn,
  boolean,
  date,
  foreignKey,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

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
    /** When the ingestor last read the company's submissions from EDGAR (a refresh is due after REFRESH_AFTER). */
    checkedAt: timestamptz(),
    updatedAt: timestamptz()
      .notNull()
      .default(sql`now()`),
  },
  (t) => [index('companies_tickers_idx').using('gin', t.tickers)],
);

/**
 * Annual reports the ingestor worked on, keyed by company and accession number: a row exists as soon
 * as a task tried the filing, whatever it could store (`filing_parts` says what it holds). One
 * accession can be a report of several companies (a parent and its subsidiaries filing one 10-K
 * together); each holds it, and its own facts, apart.
 */
export const filings = pgTable(
  'filings',
  {
    accession: text().notNull(),
    cik: text()
      .notNull()
      .references(() => companies.cik),
    form: text().notNull(),
    fiscalYear: integer().notNull(),
    reportDate: date({ mode: 'string' }).notNull(),
    filingDate: date({ mode: 'string' }).notNull(),
    /** The primary document's file name; null where EDGAR lists none. */
    primaryDocument: text(),
    /** The document on SEC's own site (https://www.sec.gov/Archives/...), never a mirror's address. */
    primaryDocumentUrl: text().notNull(),
    updatedAt: timestamptz()
      .notNull()
      .default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.cik, t.accession] }), index('filings_cik_idx').on(t.cik, t.fiscalYear)],
);

/** A filing's key in the tables that hang off it: the company that holds it and its accession. */
const heldFiling = (t: { cik: AnyPgColumn; accession: AnyPgColumn }) =>
  foreignKey({ columns: [t.cik, t.accession], foreignColumns: [filings.cik, filings.accession] }).onDelete('cascade');

/**
 * XBRL facts reported in one filing. `period` is "start/end" for durations and "end" for instants,
 * so a fact's key has no nullable part.
 */
export const financialFacts = pgTable(
  'financial_facts',
  {
    accession: text().notNull(),
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
    primaryKey({ columns: [t.cik, t.accession, t.taxonomy, t.concept, t.unit, t.period] }),
    heldFiling(t),
    index('financial_facts_cik_concept_idx').on(t.cik, t.concept),
  ],
);

/** Text sections cut from a filing's primary document (Item 1, 1A, 7). */
export const filingSections = pgTable(
  'filing_sections',
  {
    cik: text().notNull(),
    accession: text().notNull(),
    section: text({ enum: ['business', 'risk_factors', 'mdna'] }).notNull(),
    title: text().notNull(),
    text: text().notNull(),
    charCount: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.cik, t.accession, t.section] }),
    heldFiling(t),
    // filing.sections reads a report's sections by accession alone (any registrant's copy).
    index('filing_sections_accession_idx').on(t.accession),
  ],
);

/**
 * What each part of a filing holds: `stored`, `missing` (with the reason and whether a retry may
 * get it) or `not_offered` (the form has no such part as we cut it, e.g. the text of a 40-F).
 * Written in the same transaction as the part's rows, so it never says stored for rows not there.
 */
export const filingParts = pgTable(
  'filing_parts',
  {
    cik: text().notNull(),
    accession: text().notNull(),
    part: text({ enum: FilingPartSchema.options as [FilingPart, ...FilingPart[]] }).notNull(),
    status: text({ enum: ['stored', 'missing', 'not_offered'] }).notNull(),
    code: text(),
    message: text(),
    retryable: boolean().notNull().default(false),
    /** Facts stored for `facts`, characters for a section. */
    size: integer().notNull().default(0),
    /** The task that last worked on this part. */
    taskId: uuid(),
    updatedAt: timestamptz()
      .notNull()
      .default(sql`now()`),
  },
  (t) => [primaryKey({ columns: [t.cik, t.accession, t.part] }), heldFiling(t)],
);
