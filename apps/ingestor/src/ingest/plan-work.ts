import type { FilingPart, IngestMode } from '@symbology/contracts';
import { heldExtent, partsToFetch, type FilingHolding } from '@symbology/db';
import type { AnnualFiling } from '../edgar/select-annual-filings';

/** One filing a task works on, and the parts of it to fetch (never one already stored). */
export type PlannedFiling = { filing: AnnualFiling; parts: FilingPart[] };

/** Of the five newest annual reports, those nothing can be fetched for, by what they hold. */
export type Settled = {
  /** Hold every part their form offers. */
  alreadyStored: number;
  /** Hold some parts; the others are missing for good (the document has no such item, say). */
  heldInPart: number;
  /** Hold no part, and no fetch could get one (no facts, no document, nothing the form offers). */
  heldNothing: number;
};

export type WorkPlan = Settled & {
  /** Newest first: the filings with something to fetch. */
  filings: PlannedFiling[];
};

export type PlanInput = {
  mode: IngestMode;
  /** initial / refresh: the five newest annual reports EDGAR lists now. retry: the filings to retry. */
  candidates: readonly AnnualFiling[];
  /** What is stored of each filing, by accession (absent: nothing is). */
  holdings: ReadonlyMap<string, Pick<FilingHolding, 'parts'>>;
  /** A retry's count of the newest that need nothing, by what they hold (it does not read EDGAR's list). */
  settled?: Settled;
};

/**
 * Which filings a task works on and which parts of each it fetches, pure. Every mode skips what is
 * stored: an initial ingestion of a new company fetches everything, a refresh only what EDGAR lists
 * that is not held (a new annual report, a part a retry may now get), a retry only its targets'
 * missing parts. A part missing for good (the document has no such item) is never fetched again;
 * one our own limits or readers refused is fetched again by a refresh only.
 */
export function planWork({ mode, candidates, holdings, settled }: PlanInput): WorkPlan {
  // A refresh also fetches again what one of our own limits or readers refused (they may have changed).
  const options = { recheck: mode === 'refresh' };
  const filings: PlannedFiling[] = [];
  for (const filing of candidates) {
    const parts = partsToFetch(holdings.get(filing.accession), options);
    if (parts.length > 0) filings.push({ filing, parts });
  }
  const held = candidates.flatMap((f) => holdings.get(f.accession) ?? []);
  const counted = mode === 'retry' ? (settled ?? NOTHING_SETTLED) : settledOf(held, options);
  return { filings, ...counted };
}

const NOTHING_SETTLED: Settled = { alreadyStored: 0, heldInPart: 0, heldNothing: 0 };

/**
 * Counts the holdings nothing can be fetched for, by what they hold: a filing whose every part is
 * missing for good is not "already stored", and a company that holds nothing is not up to date.
 */
export function settledOf(
  holdings: readonly Pick<FilingHolding, 'parts'>[],
  options: { recheck?: boolean } = {},
): Settled {
  const counts = { ...NOTHING_SETTLED };
  for (const holding of holdings) {
    if (partsToFetch(holding, options).length > 0) continue;
    const extent = heldExtent(holding);
    if (extent === 'whole') counts.alreadyStored += 1;
    else if (extent === 'part') counts.heldInPart += 1;
    else counts.heldNothing += 1;
  }
  return counts;
}

/**
 * A filing chosen on an earlier delivery of the same task stays chosen (the projection already
 * counts it), with the parts still to fetch now: those the earlier delivery stored are skipped.
 */
export function resumePlan(
  chosen: readonly AnnualFiling[],
  holdings: ReadonlyMap<string, Pick<FilingHolding, 'parts'>>,
  settled: Settled,
): WorkPlan {
  return {
    filings: chosen.map((filing) => ({ filing, parts: partsToFetch(holdings.get(filing.accession)) })),
    ...settled,
  };
}
