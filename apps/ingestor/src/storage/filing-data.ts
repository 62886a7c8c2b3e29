import { sql } from 'drizzle-orm';
import { filings, filingSections, financialFacts, type Database } from '@symbology/db';
import type { FilingFact } from '../edgar/facts-by-accession';
import type { FilingSection } from '../edgar/extraction/section-extraction';
import { upsertOnChange } from './excluded';

export type FilingRow = typeof filings.$inferInsert;

/** 14 columns a fact: 1,000 rows stay far below Postgres' 65,535 parameters per statement. */
const FACTS_PER_STATEMENT = 1_000;

export type StoredCounts = { factsStored: number; sectionsStored: number };

/**
 * Stores one filing with its facts and sections in one transaction, so a crash leaves either all of
 * it or none; keyed by accession, (taxonomy, concept, unit, period) and section, a rerun is a no-op.
 */
export async function storeFiling(
  db: Database,
  filing: FilingRow,
  facts: readonly FilingFact[],
  sections: readonly FilingSection[],
): Promise<StoredCounts> {
  await db.transaction(async (tx) => {
    await tx
      .insert(filings)
      .values(filing)
      .onConflictDoUpdate({ target: filings.accession, ...FILING_UPSERT });
    for (let i = 0; i < facts.length; i += FACTS_PER_STATEMENT) {
      const chunk = facts
        .slice(i, i + FACTS_PER_STATEMENT)
        .map((f) => ({ ...f, accession: filing.accession, cik: filing.cik }));
      await tx
        .insert(financialFacts)
        .values(chunk)
        .onConflictDoUpdate({
          target: [
            financialFacts.accession,
            financialFacts.taxonomy,
            financialFacts.concept,
            financialFacts.unit,
            financialFacts.period,
          ],
          ...FACT_UPSERT,
        });
    }
    if (sections.length > 0) {
      const rows = sections.map((s) => ({ accession: filing.accession, ...s, charCount: s.text.length }));
      await tx
        .insert(filingSections)
        .values(rows)
        .onConflictDoUpdate({ target: [filingSections.accession, filingSections.section], ...SECTION_UPSERT });
    }
  });
  return { factsStored: facts.length, sectionsStored: sections.length };
}

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
