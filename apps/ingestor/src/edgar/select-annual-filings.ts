import { AccessionSchema, type SelectedFiling } from '@symbology/contracts';
import { annualFormOf } from './annual-forms';
import { estimateReportDate, fiscalYearOf } from './fiscal-year';
import { filingRows } from './filing-rows';
import type { FilingColumns, Submissions } from './submissions-schema';

export type AnnualFiling = SelectedFiling & {
  primaryDocument: string | null;
  /** EDGAR gave no reportDate: `reportDate` (and so `fiscalYear`) is estimated from the filing date. */
  reportDateEstimated?: true;
};

/** How many of a company's newest annual reports a task works on. */
export const ANNUAL_REPORTS = 5;

/**
 * The annual reports of the company's last `count` fiscal years that have one, newest first:
 * one original per fiscal year (of two claiming the same year, the later period end, then the
 * later filing, wins), amendments never. Pure: the caller fetches `pages` (see pagesNeeded).
 */
export function selectAnnualFilings(
  submissions: Pick<Submissions, 'fiscalYearEnd' | 'filings'>,
  pages: readonly FilingColumns[] = [],
  { count = ANNUAL_REPORTS }: { count?: number } = {},
): AnnualFiling[] {
  const byYear = new Map<number, AnnualFiling>();
  for (const candidate of annualFilings(submissions, pages)) {
    const held = byYear.get(candidate.fiscalYear);
    if (!held || isLater(candidate, held)) byYear.set(candidate.fiscalYear, candidate);
  }
  return [...byYear.values()].sort((a, b) => b.fiscalYear - a.fiscalYear).slice(0, count);
}

/** Every original annual report in recent and the pages, each accession once. */
export function annualFilings(
  submissions: Pick<Submissions, 'fiscalYearEnd' | 'filings'>,
  pages: readonly FilingColumns[] = [],
): AnnualFiling[] {
  const seen = new Set<string>();
  const filings: AnnualFiling[] = [];
  for (const row of [submissions.filings.recent, ...pages].flatMap(filingRows)) {
    const form = annualFormOf(row.form);
    if (!form || seen.has(row.accession) || !AccessionSchema.safeParse(row.accession).success) continue;
    seen.add(row.accession);
    const estimated = row.reportDate === null;
    const reportDate = row.reportDate ?? estimateReportDate(row.filingDate, submissions.fiscalYearEnd);
    filings.push({
      accession: row.accession,
      form,
      fiscalYear: fiscalYearOf(reportDate, submissions.fiscalYearEnd),
      reportDate,
      filingDate: row.filingDate,
      primaryDocument: row.primaryDocument,
      ...(estimated && { reportDateEstimated: true as const }),
    });
  }
  return filings;
}

function isLater(a: AnnualFiling, b: AnnualFiling): boolean {
  if (a.reportDate !== b.reportDate) return a.reportDate > b.reportDate;
  return a.filingDate > b.filingDate;
}
