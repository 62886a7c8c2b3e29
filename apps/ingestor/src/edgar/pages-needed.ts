import { ANNUAL_REPORTS, annualFilings } from './select-annual-filings';
import type { Submissions } from './submissions-schema';

/**
 * Which older pages (filings.files) may hold the annual reports that `recent` lacks, newest page
 * first. Busy filers (Fannie Mae) push their recent list back less than five years. The annual
 * report of fiscal year Y is filed after Y's period ends, which is no earlier than December of
 * Y-1 (a 52/53-week year ending in early January); pages that stop before that cannot hold it.
 * With no annual report in `recent` to count back from, every page is needed.
 */
export function pagesNeeded(
  submissions: Pick<Submissions, 'fiscalYearEnd' | 'filings'>,
  count = ANNUAL_REPORTS,
): string[] {
  const files = submissions.filings.files;
  const years = new Set(annualFilings(submissions).map((f) => f.fiscalYear));
  if (years.size >= count) return [];
  if (years.size === 0) return files.map((f) => f.name);
  const oldestWanted = Math.max(...years) - count + 1;
  const cutoff = `${oldestWanted - 1}-12-01`;
  return files.filter((f) => f.filingTo >= cutoff).map((f) => f.name);
}
