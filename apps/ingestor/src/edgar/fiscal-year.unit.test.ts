import { describe, expect, it } from 'vitest';
import { estimateReportDate, fiscalYearOf } from './fiscal-year';

describe('fiscalYearOf', () => {
  it.each([
    ['2024-09-28', '0926', 2024, "Apple's 52/53-week year ending late September"],
    ['2023-09-30', '0926', 2023, 'the same company in a year ending four days after the nominal date'],
    ['2024-06-30', '0630', 2024, 'a June year end (Microsoft)'],
    ['2024-12-31', '1231', 2024, 'a calendar year'],
    ['2024-01-02', '1231', 2023, 'a 52/53-week year ending just after New Year'],
    ['2023-12-29', '0102', 2023, 'a year nominally ending 2 January that closed on the last Friday of December'],
    ['2024-01-02', '0102', 2023, 'the same company the year it closed on 2 January (dei: FY2023)'],
    ['2024-12-28', '0103', 2024, 'a Saturday-nearest-31-December year, when EDGAR last saw it close on 3 January'],
    ['2026-01-03', '0103', 2025, 'the year that closed on 3 January 2026: fiscal 2025, not 2026'],
    ['2025-01-07', '0107', 2024, 'the last day of New Year’s week'],
    ['2025-01-31', '0131', 2025, 'a retailer ending in January (named by its end)'],
    ['2019-06-30', '1231', 2019, 'a period end far from the current year end (the company changed it since)'],
    ['2024-12-31', null, 2024, 'no fiscal year end known'],
  ] as Array<[string, string | null, number, string]>)(
    'given reportDate %s and fiscalYearEnd %s, then FY%s (%s)',
    (reportDate, fye, expected) => {
      expect(fiscalYearOf(reportDate, fye)).toBe(expected);
    },
  );
});

describe('estimateReportDate', () => {
  it('given a February filing and a December year end, then the previous 31 December', () => {
    expect(estimateReportDate('2022-02-25', '1231')).toBe('2021-12-31');
  });

  it('given a November filing and a late-September year end, then that September', () => {
    expect(estimateReportDate('2024-11-01', '0926')).toBe('2024-09-26');
  });

  it('given no fiscal year end, then three months before filing', () => {
    expect(estimateReportDate('2024-04-15', null)).toBe('2024-01-16');
  });
});
