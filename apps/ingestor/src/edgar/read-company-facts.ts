import { CompanyFactsSchema } from './company-facts-schema';
import type { CompanyFactsDownload } from './edgar-client';
import { isEdgarError } from './edgar-error';
import { factsOfAccessions, type FilingFact } from './facts-by-accession';
import { jsonOf, validEdgarJson } from './parse-json';
import type { SkippedEntries } from './skipped-entries';

/**
 * What companyfacts gave for the filings asked for: their facts, and the entries left out for their
 * shape anywhere in the stored taxonomies; or why the document as a whole could not be read (an
 * EdgarError `malformed`, as data: a thrown error loses its fields between threads).
 */
export type CompanyFactsRead =
  | { kind: 'read'; byAccession: Map<string, FilingFact[]>; skipped: SkippedEntries }
  | { kind: 'malformed'; message: string; retryable: boolean };

/**
 * companyfacts from its bytes to the facts of `accessions`: decoded, parsed, validated fact by fact
 * (CompanyFactsSchema) and grouped by accession. Runs in a worker thread (the facts pool): the whole
 * document is megabytes to hundreds of MB and costs seconds to read; only the filings' facts leave.
 */
export function readCompanyFacts(download: CompanyFactsDownload, accessions: readonly string[]): CompanyFactsRead {
  try {
    // The text is let go of once parsed: it is not held while the facts are validated.
    const json = jsonOf(download.url, new TextDecoder().decode(download.bytes));
    const companyFacts = validEdgarJson(download.url, json, CompanyFactsSchema);
    return {
      kind: 'read',
      byAccession: factsOfAccessions(companyFacts, accessions),
      skipped: companyFacts.skipped,
    };
  } catch (error) {
    if (!isEdgarError(error)) throw error;
    return { kind: 'malformed', message: error.message, retryable: error.retryable };
  }
}
