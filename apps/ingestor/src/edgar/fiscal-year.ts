const DAY_MS = 86_400_000;
/** 52/53-week years end on a weekday near the nominal date, never more than a week away. */
const FLOATING_END_TOLERANCE_DAYS = 14;
/**
 * A year end EDGAR gives in the first week of January (0101-0107) is a 52/53-week year around
 * 31 December that last closed just after New Year: EDGAR's `fiscalYearEnd` follows the latest
 * period, so the same company shows 1228 one year and 0102 the next.
 */
const NEW_YEAR_WEEK = /^010[1-7]$/;

function utcDate(iso: string): number {
  return Date.parse(`${iso}T00:00:00Z`);
}

function nominalEnd(year: number, fiscalYearEnd: string): number {
  const month = Number(fiscalYearEnd.slice(0, 2));
  // "0229" does not exist most years; Date.UTC rolls it to 1 March, close enough for a nearest match.
  return Date.UTC(year, month - 1, Number(fiscalYearEnd.slice(2, 4)));
}

/**
 * The fiscal year an annual report covers, from its period end (reportDate) and the company's
 * fiscal year end (MMDD). A fiscal year is named after the calendar year in which it ends, as
 * companies and the dei:DocumentFiscalYearFocus of their filings do (Apple's year ending
 * 2024-09-28 is FY2024). A 52/53-week year that ends a few days past the nominal date belongs to
 * the year of the nominal date: ending 2024-01-02 with fiscalYearEnd 1231 is FY2023, and so with
 * 0102 (a year end in New Year's week is read as 1231, so the label does not depend on which side
 * of New Year the company's latest period happened to close). Period ends
 * far from the nominal date (a company that has since changed its year end) fall back to their
 * calendar year. Retailers that name their year by its start (Target) come out one higher than
 * they say.
 */
export function fiscalYearOf(reportDate: string, fiscalYearEnd: string | null): number {
  const end = utcDate(reportDate);
  const calendarYear = new Date(end).getUTCFullYear();
  if (!fiscalYearEnd) return calendarYear;
  const nominal = NEW_YEAR_WEEK.test(fiscalYearEnd) ? '1231' : fiscalYearEnd;
  let best = { year: calendarYear, distance: Infinity };
  for (const year of [calendarYear - 1, calendarYear, calendarYear + 1]) {
    const distance = Math.abs(end - nominalEnd(year, nominal)) / DAY_MS;
    if (distance < best.distance) best = { year, distance };
  }
  return best.distance <= FLOATING_END_TOLERANCE_DAYS ? best.year : calendarYear;
}

/**
 * A period end for an annual report that has no reportDate: the last nominal fiscal year end
 * before it was filed (annual reports come 1-6 months after the year closes); without a known
 * year end, three months before filing.
 */
export function estimateReportDate(filingDate: string, fiscalYearEnd: string | null): string {
  const filed = utcDate(filingDate);
  if (!fiscalYearEnd) return new Date(filed - 90 * DAY_MS).toISOString().slice(0, 10);
  const year = new Date(filed).getUTCFullYear();
  const end =
    [year, year - 1].map((y) => nominalEnd(y, fiscalYearEnd)).find((t) => t < filed) ??
    nominalEnd(year - 2, fiscalYearEnd);
  return new Date(end).toISOString().slice(0, 10);
}
