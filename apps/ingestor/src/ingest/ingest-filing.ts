import type { ErrorInfo } from '@symbology/contracts';
import type { Database } from '@symbology/db';
import type { EdgarClient } from '../edgar/edgar-client';
import { isEdgarError } from '../edgar/edgar-error';
import type { Extractor } from '../edgar/extraction/extraction-pool';
import { foundSections, type SectionExtraction } from '../edgar/extraction/section-extraction';
import type { FilingFact } from '../edgar/facts-by-accession';
import type { AnnualFiling } from '../edgar/select-annual-filings';
import { storeFiling, type StoredCounts } from '../storage/filing-data';

export type FilingResult =
  | ({ ok: true; primaryDocumentUrl: string; sections: SectionExtraction } & StoredCounts)
  | { ok: false; error: ErrorInfo; retryable: boolean };

export type FilingDeps = { edgar: EdgarClient; extractor: Extractor; db: Database };

/**
 * One annual report: its primary document -> sections, its facts -> rows, all stored in one
 * transaction. EDGAR and extraction problems come back as a failed result (the task goes on with
 * the next filing); a database error is thrown, because the task must be retried, not marked failed.
 */
export async function ingestFiling(
  deps: FilingDeps,
  cik: string,
  filing: AnnualFiling,
  facts: readonly FilingFact[],
): Promise<FilingResult> {
  if (!filing.primaryDocument) {
    return fail('no_primary_document', `EDGAR lists no primary document for ${filing.form} ${filing.accession}`, false);
  }
  let url: string;
  let html: string;
  try {
    ({ url, text: html } = await deps.edgar.document(cik, filing.accession, filing.primaryDocument));
  } catch (error) {
    if (!isEdgarError(error)) throw error;
    return fail(error.code, error.message, error.retryable);
  }
  // Off the event loop, within a time and memory budget. A document that cannot be cut fails this
  // filing alone (extraction_timeout, ...); the lead's next wave turns that into a partial filing.
  const extracted = await deps.extractor.extract(html, filing.form);
  if (!extracted.ok) return fail(extracted.code, `${extracted.message} (${url})`, false);
  const counts = await storeFiling(
    deps.db,
    {
      accession: filing.accession,
      cik,
      form: filing.form,
      fiscalYear: filing.fiscalYear,
      reportDate: filing.reportDate,
      filingDate: filing.filingDate,
      primaryDocument: filing.primaryDocument,
      primaryDocumentUrl: url,
    },
    facts,
    foundSections(extracted.extraction),
  );
  return { ok: true, primaryDocumentUrl: url, sections: extracted.extraction, ...counts };
}

function fail(code: string, message: string, retryable: boolean): FilingResult {
  return { ok: false, error: { code, message }, retryable };
}
