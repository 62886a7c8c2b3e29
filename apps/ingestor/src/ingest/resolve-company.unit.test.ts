import { describe, expect, it } from 'vitest';
import { noAnnualReports } from './resolve-company';

const submissions = { name: 'Busy Filer Corp', cik: '0009999990' };

describe('noAnnualReports: a task with no annual report to work on', () => {
  it('says the company has filed none when its whole filing list was read', () => {
    const failure = noAnnualReports({ submissions });
    expect(failure.code).toBe('no_annual_reports');
    expect(failure.message).toMatch(/^Busy Filer Corp \(CIK 0009999990\) has filed no annual report/);
  });

  it('does not say "filed none" when part of the list could not be read, and says which part', () => {
    const listGap = 'EDGAR did not serve part of this company’s filing list (CIK0009999990-submissions-001.json).';
    const failure = noAnnualReports({ submissions, listGap });
    expect(failure.code).toBe('filing_list_incomplete');
    expect(failure.retryable).toBe(false);
    expect(failure.message).not.toMatch(/has filed no annual report/);
    expect(failure.message).toContain('its recent filings hold none');
    expect(failure.message).toContain(listGap);
  });
});
