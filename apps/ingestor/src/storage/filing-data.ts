import { sql } from 'drizzle-orm';
import { filings, filingSections, financialFacts, type Database } from '@symbology/db';
import type { FilingFact } from '../edgar/facts-by-accession';
import type { FilingSection } from '../edgar/extraction/section-extraction';
import { upsertOnChange } from './excluded';
import { recordParts, storedPart, type HeldFiling } from './filing-parts';

export type FilingRow = typeof filings.$inferInsert;

/** 14 columns a fact: 1,000 rows stay far below Postgres' 65,535 parameters per statement. */
const FACTS_PER_STATEMENT = 1_000;

/** Inserts or refreshes the filing's own row: it exists as soon as a task works on the filing. */
export async function storeFilingRow(db: Database, filing: FilingRow): Promise<void> {
  await db
    .insert(filings)
    .values(filing)
    .onConflictDoUpdate({ target: [filings.cik, filings.accession], ...FILING_UPSERT });
}

/**
 * Stores a filing's XBRL facts and records the `facts` part as stored, in one transaction, so the
 * part never says stored for rows that are not there; keyed by (taxonomy, concept, unit, period),
 * a rerun writes nothing.
 */
export async function storeFacts(
  db: Database,
  filing: HeldFiling,
  taskId: string,
  facts: readonly FilingFact[],
): Promise<void> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < facts.length; i += FACTS_PER_STATEMENT) {
      const chunk = facts
        .slice(i, i + FACTS_PER_STATEMENT)
        .map((f) => ({ ...f, accession: filing.accession, cik: filing.cik }));
      await tx
        .insert(financialFacts)
        .values(chunk)
        .onConflictDoUpdate({
          target: [
            financialFacts.cik,
            financialFacts.accession,
            financialFacts.taxonomy,
            financialFacts.concept,
            financialFacts.unit,
            financialFacts.period,
          ],
          ...FACT_UPSERT,
        });
    }
    await recordParts(tx, filing, taskId, [storedPart('facts', facts.length)]);
  });
}

/** Stores the sections cut from a filing's document and records each as a stored part, in one transaction. */
export async function storeSections(
  db: Database,
  filing: HeldFiling,
  taskId: string,
  sections: readonly FilingSection[],
): Promise<void> {
  if (sections.length === 0) return;
  await db.transaction(async (tx) => {
    const rows = sections.map((s) => ({
      cik: filing.cik,
      accession: filing.accession,
      ...s,
      charCount: s.text.length,
    }));
    await tx
      .insert(filingSections)
      .values(rows)
      .onConflictDoUpdate({
        target: [filingSections.cik, filingSections.accession, filingSections.section],
        ...SECTION_UPSERT,
      });
    await recordParts(
      tx,
      filing,
      taskId,
      sections.map((s) => storedPart(s.section, s.text.length)),
    );
  });
}

/**
 * A filing fetched again keeps the document a poorer listing no longer names (EDGAR's primaryDocument
 * is "" now and then): its name, and the link to it rather than to the folder.
 */
const FILING_UPSERT = upsertOnChange(
  'filings',
  {
    cik: 'cik',
    form: 'form',
    fiscalYear: 'fiscal_year',
    reportDate: 'report_date',
    filingDate: 'filing_date',
    primaryDocument: 'primary_document',
    primaryDocumentUrl: 'primary_document_url',
  },
  { updatedAt: sql`now()` },
  {
    primaryDocument: 'coalesce(excluded."primary_document", "filings"."primary_document")',
    primaryDocumentUrl: `case when excluded."primary_document" is null and "filings"."primary_document" is not null
      then "filings"."primary_document_url" else excluded."primary_document_url" end`,
  },
);

const FACT_UPSERT = upsertOnChange('financial_facts', {
  cik: 'cik',
  periodStart: 'period_start',
  periodEnd: 'period_end',
  value: 'value',
  label: 'label',
  fiscalYear: 'fiscal_year',
  fiscalPeriod: 'fiscal_period',
  form: 'form',
  frame: 'frame',
});

const SECTION_UPSERT = upsertOnChange('filing_sections', { title: 'title', text: 'text', charCount: 'char_count' });
