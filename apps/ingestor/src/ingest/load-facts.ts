import type { RefusalCode } from '@symbology/db';
import type { EdgarClient } from '../edgar/edgar-client';
import { EdgarError, isEdgarError } from '../edgar/edgar-error';
import type { FactsReader } from '../edgar/workers/facts-pool';
import type { FilingFact } from '../edgar/facts-by-accession';
import type { Logger } from '../logger';
import { taskFailureFromEdgar } from './task-errors';

/** Why no filing of the company can have its facts part: said once, repeated on each filing. */
export type FactsUnavailable = { code: string; message: string; retryable: boolean };

/** companyfacts, fetched once per task: each filing's facts by accession, or why there are none. */
export type CompanyFactsSource =
  { kind: 'loaded'; byAccession: Map<string, FilingFact[]> } | { kind: 'unavailable'; reason: FactsUnavailable };

/**
 * Reads companyfacts once for the task, for the filings it works on (`accessions`). It is parsed,
 * validated and indexed in a worker thread (`factsReader`), never on the event loop, and only
 * those filings' facts come back. A fact (or unit, or concept) of the wrong shape costs only
 * itself: it is left out and logged once, and every other fact is kept. What goes wrong with the
 * document as a whole costs the filings their facts part, never their text: a 404 (common for
 * older or foreign filers), a truncated or invalid response (retryable), a document not shaped
 * like companyfacts (not retryable) and one that costs more than the worker's time or memory
 * budget to read (not retryable). Only an EDGAR that does not answer at all (5xx, 429, network)
 * sends the task back for a later delivery, and on the last delivery that too becomes a missing,
 * retryable part.
 */
export async function loadFacts(
  deps: { edgar: EdgarClient; factsReader: FactsReader; logger: Logger },
  cik: string,
  accessions: readonly string[],
  lastDelivery: boolean,
): Promise<CompanyFactsSource> {
  try {
    const download = await deps.edgar.companyFacts(cik);
    const read = await deps.factsReader.read(download, accessions);
    if (read.kind === 'malformed') {
      throw new EdgarError('malformed', read.message, { url: download.url, retryable: read.retryable });
    }
    if (read.kind === 'not_read') {
      deps.logger.warn(
        { cik, code: read.code, reason: read.message },
        'companyfacts not read; filings get their text only',
      );
      return unavailable(read.code, read.message, read.retryable);
    }
    const { skipped } = read;
    if (skipped.count > 0) {
      deps.logger.warn(
        { cik, skipped: skipped.count, samples: skipped.samples },
        'companyfacts entries of an unexpected shape were left out; the other facts are kept',
      );
    }
    return { kind: 'loaded', byAccession: read.byAccession };
  } catch (error) {
    if (!isEdgarError(error)) throw error;
    deps.logger.warn({ cik, err: error }, 'companyfacts not available; filings get their text only');
    switch (error.code) {
      case 'not_found':
        return unavailable('no_xbrl_facts', 'EDGAR has no XBRL financial data (companyfacts) for this company', false);
      case 'document_too_large':
        // Over EDGAR_MAX_JSON_BYTES: the same bytes would come back, so asking again cannot help.
        return unavailable(
          'facts_too_large' satisfies RefusalCode,
          'EDGAR’s XBRL financial data (companyfacts) for this company is larger than the ingestor reads (EDGAR_MAX_JSON_BYTES), so none of its facts could be taken. Asking again will not help until that limit is raised; the company’s next refresh with EDGAR (daily by default) reads it again.',
          false,
        );
      case 'malformed':
        // Valid JSON of the wrong shape: the same bytes would come back, so asking again cannot help.
        if (!error.retryable) {
          return unavailable(
            'facts_unexpected_format' satisfies RefusalCode,
            'EDGAR’s XBRL financial data (companyfacts) for this company is not laid out the way Symbology reads it, so none of its facts could be taken. Asking again will not help until the ingestor is updated to read it (the ingestor’s log says what differs); the company’s next refresh with EDGAR after that reads it again.',
            false,
          );
        }
        return unavailable(
          'facts_unreadable',
          'EDGAR’s XBRL financial data (companyfacts) for this company could not be read: the response was cut short or is not valid JSON. A retry may get it.',
          true,
        );
      case 'rate_limited':
      case 'upstream':
      case 'unreachable':
      case 'unknown_ticker':
        if (!lastDelivery) throw taskFailureFromEdgar(error);
        return unavailable(
          'edgar_unreachable',
          'EDGAR did not answer for this company’s XBRL financial data (companyfacts) after every attempt. A retry may get it.',
          true,
        );
      default: {
        const unknown: never = error.code;
        throw new Error(`unhandled EDGAR error code ${String(unknown)}`, { cause: error });
      }
    }
  }
}

function unavailable(code: string, message: string, retryable: boolean): CompanyFactsSource {
  return { kind: 'unavailable', reason: { code, message, retryable } };
}
