import { ANNUAL_REPORTS, annualFilings } from './select-annual-filings';
import type { Submissions, SubmissionsPageRef } from './submissions-schema';

/**
 * The most older pages (filings.files) one task reads. Real filers list a handful (Fannie Mae: 3);
 * each page is a request from the operator-wide 10 per second, so a list naming thousands is not
 * followed to the end. Pages past it are reported as not looked for (resolveCompany's listGap).
 */
export const MAX_SUBMISSIONS_PAGES = 25;

export type OwnPages = {
  /** The company's own pages, each once, newest first, at most MAX_SUBMISSIONS_PAGES. */
  pages: SubmissionsPageRef[];
  /** Entries left out: naming another company's CIK, repeated, or past the cap (the first of those). */
  otherCompany: number;
  repeated: number;
  beyondCap: SubmissionsPageRef[];
};

/**
 * The pages of filings.files that belong to this company: a page is named after its CIK
 * (CIK0000320193-submissions-001.json), and one named after another CIK would bring that company's
 * filings into this one's list.
 */
export function ownPages(submissions: Pick<Submissions, 'cik' | 'filings'>, max = MAX_SUBMISSIONS_PAGES): OwnPages {
  const prefix = `CIK${submissions.cik}-`;
  const seen = new Set<string>();
  const result: OwnPages = { pages: [], otherCompany: 0, repeated: 0, beyondCap: [] };
  for (const page of submissions.filings.files) {
    if (!page.name.startsWith(prefix)) result.otherCompany++;
    else if (seen.has(page.name)) result.repeated++;
    else {
      seen.add(page.name);
      if (result.pages.length < max) result.pages.push(page);
      else result.beyondCap.push(page);
    }
  }
  return result;
}

/**
 * Which older pages (filings.files) may hold the annual reports that `recent` lacks, newest page
 * first, among the company's own (ownPages). Busy filers (Fannie Mae) push their recent list back
 * less than five years. The annual report of fiscal year Y is filed after Y's period ends, which
 * is no earlier than December of Y-1 (a 52/53-week year ending in early January); pages that stop
 * before that cannot hold it. With no annual report in `recent` to count back from, every page is
 * needed.
 */
export function pagesNeeded(
  submissions: Pick<Submissions, 'cik' | 'fiscalYearEnd' | 'filings'>,
  count = ANNUAL_REPORTS,
): string[] {
  const files = ownPages(submissions).pages;
  const years = new Set(annualFilings(submissions).map((f) => f.fiscalYear));
  if (years.size >= count) return [];
  if (years.size === 0) return files.map((f) => f.name);
  const oldestWanted = Math.max(...years) - count + 1;
  const cutoff = `${oldestWanted - 1}-12-01`;
  return files.filter((f) => f.filingTo >= cutoff).map((f) => f.name);
}
