import { and, desc, eq, inArray } from 'drizzle-orm';
import {
  filingsToRetry,
  holdsAnyPart,
  readCompanyByTicker,
  readFilingHoldings,
  type Database,
  type FilingHolding,
} from '@symbology/db';
import { filings, filingSections, financialFacts } from '@symbology/db/schema';
import { documentLinks } from '../filing/document-links';
import { KEY_CONCEPTS, pickKeyFacts } from './key-facts';

const YEARS_SHOWN = 5;

export type CompanyPage = NonNullable<Awaited<ReturnType<typeof findCompanyByTicker>>>;

/** Everything the company page shows, or null for a ticker no ingested company lists. */
export async function findCompanyByTicker(db: Database, ticker: string) {
  const company = await readCompanyByTicker(db, ticker);
  if (!company) return null;
  const filingRows = await db
    .select()
    .from(filings)
    .where(eq(filings.cik, company.cik))
    .orderBy(desc(filings.fiscalYear), desc(filings.reportDate))
    .limit(YEARS_SHOWN);
  const accessions = filingRows.map((f) => f.accession);
  const holdings = new Map(
    (await readFilingHoldings(db, { cik: company.cik, accessions })).map((h) => [h.accession, h]),
  );
  const [facts, sections] = accessions.length
    ? await Promise.all([
        db
          .select({
            accession: financialFacts.accession,
            concept: financialFacts.concept,
            unit: financialFacts.unit,
            periodStart: financialFacts.periodStart,
            periodEnd: financialFacts.periodEnd,
            value: financialFacts.value,
          })
          .from(financialFacts)
          .where(
            and(
              eq(financialFacts.cik, company.cik),
              inArray(financialFacts.accession, accessions),
              inArray(financialFacts.concept, KEY_CONCEPTS),
            ),
          ),
        db
          .select({
            accession: filingSections.accession,
            section: filingSections.section,
            title: filingSections.title,
            charCount: filingSections.charCount,
          })
          .from(filingSections)
          .where(and(eq(filingSections.cik, company.cik), inArray(filingSections.accession, accessions))),
      ])
    : [[], []];
  return {
    profile: {
      cik: company.cik,
      name: company.name,
      tickers: company.tickers,
      exchanges: company.exchanges,
      sic: company.sic,
      sicDescription: company.sicDescription,
      fiscalYearEnd: company.fiscalYearEnd,
      edgarUrl: `https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=${company.cik}&type=10-K`,
    },
    filings: filingRows.map((f) => ({
      accession: f.accession,
      form: f.form,
      fiscalYear: f.fiscalYear,
      reportDate: f.reportDate,
      filingDate: f.filingDate,
      ...documentLinks(f),
      ...holdingOf(holdings.get(f.accession)),
    })),
    /** When the ingestor last read the company's filing list from EDGAR. */
    checkedAt: company.checkedAt,
    /** Some filing misses a part a retry may get (`ingest.request` or `ingest.retry` starts it). */
    retryable: filingsToRetry([...holdings.values()]).length > 0,
    /**
     * Some filing holds a stored part. A filing row exists as soon as a task tried it, so a company
     * whose every filing failed has rows and nothing stored: this, not the rows, says which.
     */
    storedAny: [...holdings.values()].some(holdsAnyPart),
    // A year with none of the key facts stored (a report EDGAR lists before its XBRL data) is no
    // column of empty cells.
    keyFacts: pickKeyFacts(
      filingRows.filter((f) => facts.some((fact) => fact.accession === f.accession)),
      facts,
    ),
    sections: sections.map((s) => ({ ...s })),
  };
}

/**
 * What a filing holds, part by part, and what it misses with the reason, whether a retry may get
 * it and the task that tried (so the page can link it).
 */
function holdingOf(holding: FilingHolding | undefined) {
  const parts = holding?.parts ?? [];
  return {
    parts: parts.map((p) => ({ part: p.part, status: p.status, size: p.size, taskId: p.taskId })),
    missing: parts.flatMap((p) =>
      p.status === 'missing'
        ? [
            {
              part: p.part,
              code: p.code ?? 'unknown',
              message: p.message ?? '',
              retryable: p.retryable,
              taskId: p.taskId,
            },
          ]
        : [],
    ),
  };
}
