import {
  AccessionSchema,
  SelectedFilingSchema,
  usablePrimaryDocument,
  type SelectedFiling,
} from '@symbology/contracts';
import { annualFormOf } from './annual-forms';
import { isCalendarDate } from './calendar-date';
import { estimateReportDate, fiscalYearOf } from './fiscal-year';
import { filingRows } from './filing-rows';
import { noteSkipped, type SkippedEntries } from './skipped-entries';
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
  return newestByYear(annualFilings(submissions, pages), count);
}

/** Of annual filings (annualFilings' answer), one per fiscal year, the newest `count` years. */
export function newestByYear(candidates: readonly AnnualFiling[], count = ANNUAL_REPORTS): AnnualFiling[] {
  const byYear = new Map<number, AnnualFiling>();
  for (const candidate of candidates) {
    const held = byYear.get(candidate.fiscalYear);
    if (!held || isLater(candidate, held)) byYear.set(candidate.fiscalYear, candidate);
  }
  return [...byYear.values()].sort((a, b) => b.fiscalYear - a.fiscalYear).slice(0, count);
}

/** An annual-report row of EDGAR's list left out, and why: said once per task by the caller. */
export type SkippedAnnualRow = { accession: string; form: string; reason: string };

/**
 * Every original annual report in recent and the pages, each accession once (its first usable
 * row). A row whose dates are not calendar dates (2025-9-27, 2024/11/01, 2024-02-30) or whose
 * fiscal year no event can carry (FY2205) is left out, and told to `skipped`: one odd row costs
 * itself, not the company's other filings. A primaryDocument that is unsafe or too long counts as none (usablePrimaryDocument).
 */
export function annualFilings(
  submissions: Pick<Submissions, 'fiscalYearEnd' | 'filings'>,
  pages: readonly FilingColumns[] = [],
  skipped?: SkippedEntries<SkippedAnnualRow>,
): AnnualFiling[] {
  const seen = new Set<string>();
  const filings: AnnualFiling[] = [];
  for (const row of [submissions.filings.recent, ...pages].flatMap(filingRows)) {
    const form = annualFormOf(row.form);
    if (!form || seen.has(row.accession) || !AccessionSchema.safeParse(row.accession).success) continue;
    const skip = (reason: string) =>
      skipped && noteSkipped(skipped, { accession: row.accession, form: row.form, reason });
    if (!isCalendarDate(row.filingDate)) {
      skip(`filingDate ${JSON.stringify(row.filingDate.slice(0, 40))} is not a date`);
      continue;
    }
    if (row.reportDate !== null && !isCalendarDate(row.reportDate)) {
      skip(`reportDate ${JSON.stringify(row.reportDate.slice(0, 40))} is not a date`);
      continue;
    }
    const estimated = row.reportDate === null;
    const reportDate = row.reportDate ?? estimateReportDate(row.filingDate, submissions.fiscalYearEnd);
    const filing: AnnualFiling = {
      accession: row.accession,
      form,
      fiscalYear: fiscalYearOf(reportDate, submissions.fiscalYearEnd),
      reportDate,
      filingDate: row.filingDate,
      primaryDocument: usablePrimaryDocument(row.primaryDocument),
      ...(estimated && { reportDateEstimated: true as const }),
    };
    // What CompanyResolved will have to carry: a row it would refuse is refused here, alone.
    const carried = SelectedFilingSchema.safeParse(filing);
    if (!carried.success) {
      skip(carried.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      continue;
    }
    // Taken once it is usable: a row left out does not hide the same accession listed again in good form.
    seen.add(row.accession);
    filings.push(filing);
  }
  return filings;
}

function isLater(a: AnnualFiling, b: AnnualFiling): boolean {
  if (a.reportDate !== b.reportDate) return a.reportDate > b.reportDate;
  return a.filingDate > b.filingDate;
}
