import type { EdgarClient } from '../edgar/edgar-client';
import { indexFactsByAccession, type FilingFact } from '../edgar/facts-by-accession';
import type { Logger } from '../logger';
import { beforeFilings, TaskFailure } from './task-errors';

/**
 * companyfacts, fetched once per task and grouped by accession. A company without XBRL facts
 * (a 404, common for older or foreign filers) has no facts; that is not an error.
 */
export async function loadFacts(
  deps: { edgar: EdgarClient; logger: Logger },
  cik: string,
): Promise<Map<string, FilingFact[]>> {
  try {
    return indexFactsByAccession(await beforeFilings(() => deps.edgar.companyFacts(cik)));
  } catch (error) {
    if (error instanceof TaskFailure && error.code === 'company_not_found') {
      deps.logger.info({ cik }, 'EDGAR has no companyfacts for this company; filings get sections only');
      return new Map();
    }
    throw error;
  }
}
