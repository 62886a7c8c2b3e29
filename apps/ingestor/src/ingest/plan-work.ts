import type { FilingPart, IngestMode } from '@symbology/contracts';
import { partsToFetch, type FilingHolding } from '@symbology/db';
import type { AnnualFiling } from '../edgar/select-annual-filings';

/** One filing a task works on, and the parts of it to fetch (never one already stored). */
export type PlannedFiling = { filing: AnnualFiling; parts: FilingPart[] };

export type WorkPlan = {
  /** Newest first: the filings with something to fetch. */
  filings: PlannedFiling[];
  /** Of the five newest annual reports, how many hold every part they can and need nothing. */
  alreadyStored: number;
};

export type PlanInput = {
  mode: IngestMode;
  /** initial / refresh: the five newest annual reports EDGAR lists now. retry: the filings to retry. */
  candidates: readonly AnnualFiling[];
  /** What is stored of each filing, by accession (absent: nothing is). */
  holdings: ReadonlyMap<string, Pick<FilingHolding, 'parts'>>;
  /** A retry's count of stored filings among the newest that need nothing (it does not read EDGAR's list). */
  storedWhole?: number;
};

/**
 * Which filings a task works on and which parts of each it fetches, pure. Every mode skips what is
 * stored: an initial ingestion of a new company fetches everything, a refresh only what EDGAR lists
 * that is not held (a new annual report, a part a retry may now get), a retry only its targets'
 * missing parts. A part missing for good (the document has no such item) is never fetched again.
 */
export function planWork({ mode, candidates, holdings, storedWhole = 0 }: PlanInput): WorkPlan {
  const filings: PlannedFiling[] = [];
  let whole = 0;
  for (const filing of candidates) {
    const parts = partsToFetch(holdings.get(filing.accession));
    if (parts.length > 0) filings.push({ filing, parts });
    else whole += 1;
  }
  return { filings, alreadyStored: mode === 'retry' ? storedWhole : whole };
}

/**
 * A filing chosen on an earlier delivery of the same task stays chosen (the projection already
 * counts it), with the parts still to fetch now: those the earlier delivery stored are skipped.
 */
export function resumePlan(
  chosen: readonly AnnualFiling[],
  holdings: ReadonlyMap<string, Pick<FilingHolding, 'parts'>>,
  alreadyStored: number,
): WorkPlan {
  return {
    filings: chosen.map((filing) => ({ filing, parts: partsToFetch(holdings.get(filing.accession)) })),
    alreadyStored,
  };
}
