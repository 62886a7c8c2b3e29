import { FilingPartSchema, type FilingPart } from '@symbology/contracts';
import { and, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../client';
import { filingParts, filings } from '../schema/company-data';

export type PartHolding = {
  part: FilingPart;
  status: 'stored' | 'missing' | 'not_offered';
  code: string | null;
  message: string | null;
  retryable: boolean;
  size: number;
  /** The task that last worked on the part. */
  taskId: string | null;
};

/** A stored filing and what each of its parts holds. */
export type FilingHolding = {
  accession: string;
  cik: string;
  form: string;
  fiscalYear: number;
  reportDate: string;
  filingDate: string;
  primaryDocument: string | null;
  primaryDocumentUrl: string;
  parts: PartHolding[];
};

const FILING_PARTS = FilingPartSchema.options;

/** Annual reports shown per company: the five newest fiscal years. */
export const YEARS_HELD = 5;

/**
 * A company's newest filings, or those of its filings named (newest fiscal year first), with their
 * parts. Always one company's: a report filed jointly (one accession, several registrants) is held
 * by each apart. The one read the company page, the API's retry / refresh decision and the
 * ingestor's plan share.
 */
export async function readFilingHoldings(
  db: Database,
  which: { cik: string; limit?: number } | { cik: string; accessions: readonly string[] },
): Promise<FilingHolding[]> {
  const named = 'accessions' in which ? [...which.accessions] : undefined;
  if (named?.length === 0) return [];
  const rows = await db
    .select()
    .from(filings)
    .where(and(eq(filings.cik, which.cik), named && inArray(filings.accession, named)))
    .orderBy(desc(filings.fiscalYear), desc(filings.reportDate))
    .limit(named ? named.length : 'limit' in which && which.limit ? which.limit : YEARS_HELD);
  if (rows.length === 0) return [];
  const parts = await db
    .select()
    .from(filingParts)
    .where(
      and(
        eq(filingParts.cik, which.cik),
        inArray(
          filingParts.accession,
          rows.map((r) => r.accession),
        ),
      ),
    );
  return rows.map((f) => ({
    accession: f.accession,
    cik: f.cik,
    form: f.form,
    fiscalYear: f.fiscalYear,
    reportDate: f.reportDate,
    filingDate: f.filingDate,
    primaryDocument: f.primaryDocument,
    primaryDocumentUrl: f.primaryDocumentUrl,
    parts: parts
      .filter((p) => p.accession === f.accession)
      .sort((a, b) => FILING_PARTS.indexOf(a.part) - FILING_PARTS.indexOf(b.part))
      .map((p) => ({
        part: p.part,
        status: p.status,
        code: p.code,
        message: p.message,
        retryable: p.retryable,
        size: p.size,
        taskId: p.taskId,
      })),
  }));
}

/**
 * Codes of a part missing because one of Symbology's own limits or readers refused it (a size,
 * time or memory budget, a layout the reader does not know, a value the database refused), as
 * the ingestor records them. Asking again at once would get the same answer, so a retry does not;
 * but an operator may raise the limit or deploy a reader that knows the layout, so a refresh
 * (at most once per REFRESH_AFTER per company) fetches such a part again.
 */
export const REFUSAL_CODES = [
  'facts_too_large',
  'facts_timeout',
  'facts_out_of_memory',
  'facts_unexpected_format',
  'document_too_large',
  'extraction_timeout',
  'extraction_out_of_memory',
  'extraction_failed',
  'data_not_storable',
] as const;
/** One of REFUSAL_CODES: the ingestor types the codes it writes with it, so the two cannot drift apart. */
export type RefusalCode = (typeof REFUSAL_CODES)[number];
export const REFUSED_BY_SYMBOLOGY: ReadonlySet<string> = new Set<string>(REFUSAL_CODES);

/**
 * The parts a new task should fetch for a stored filing: those never recorded, and those missing
 * for a reason that may pass (EDGAR down, rate limited); with `recheck` (a refresh), also those
 * Symbology's own limits or readers refused (REFUSED_BY_SYMBOLOGY). A part missing for good
 * otherwise (the document has no such item) or not offered by the form is not fetched again.
 */
export function partsToFetch(
  holding: Pick<FilingHolding, 'parts'> | undefined,
  options: { recheck?: boolean } = {},
): FilingPart[] {
  const byPart = new Map((holding?.parts ?? []).map((p) => [p.part, p]));
  return FILING_PARTS.filter((part) => {
    const held = byPart.get(part);
    if (!held) return true;
    if (held.status !== 'missing') return false;
    return held.retryable || (options.recheck === true && held.code !== null && REFUSED_BY_SYMBOLOGY.has(held.code));
  });
}

/**
 * What a filing holds of the parts its form offers: all of them, some, or none. Only meaningful
 * once nothing is left to fetch (partsToFetch is empty): a part missing then is missing for good.
 */
export function heldExtent(holding: Pick<FilingHolding, 'parts'>): 'whole' | 'part' | 'none' {
  if (!holding.parts.some((p) => p.status === 'missing')) return 'whole';
  return holdsAnyPart(holding) ? 'part' : 'none';
}

/** Whether some part of the filing is stored (a row exists as soon as a task tried it: not the same). */
export function holdsAnyPart(holding: Pick<FilingHolding, 'parts'>): boolean {
  return holding.parts.some((p) => p.status === 'stored');
}

/** A filing as a task's status lists it: enough to tell whether that task left it unfinished. */
export type TaskFilingOutcome = { accession: string; status: string };

const UNFINISHED = new Set(['failed', 'not_attempted', 'partial', 'pending', 'processing']);

/**
 * The filings a retry should work on: every filing held with a part to fetch, and every filing a
 * task left unfinished (failed, cancelled before it, interrupted) that is not held whole since.
 */
export function filingsToRetry(
  holdings: readonly FilingHolding[],
  taskFilings: readonly TaskFilingOutcome[] = [],
): string[] {
  const held = new Map(holdings.map((h) => [h.accession, h]));
  const targets = new Set(holdings.filter((h) => partsToFetch(h).length > 0).map((h) => h.accession));
  for (const f of taskFilings) {
    if (UNFINISHED.has(f.status) && partsToFetch(held.get(f.accession)).length > 0) targets.add(f.accession);
  }
  return [...targets];
}
