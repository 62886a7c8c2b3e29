import { describe, expect, it } from 'vitest';
import type { EdgarClient } from '../edgar/edgar-client';
import { EdgarError } from '../edgar/edgar-error';
import { MAX_SUBMISSIONS_PAGES } from '../edgar/pages-needed';
import { FilingColumnsSchema, SubmissionsSchema, type FilingColumns } from '../edgar/submissions-schema';
import type { TickerDirectory } from '../edgar/ticker-directory';
import type { Logger } from '../logger';
import { noAnnualReports, resolveCompany } from './resolve-company';
import { TaskFailure } from './task-errors';

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

describe('resolveCompany, given the pages filings.files lists', () => {
  const CIK = '0000000001';
  const page = (cik: string, n: number) => ({
    name: `CIK${cik}-submissions-${String(n).padStart(3, '0')}.json`,
    filingCount: 1,
    filingFrom: '2000-01-01',
    filingTo: `${2030 - n}-01-01`,
  });
  // No annual report in recent, so every page would be needed.
  const submissions = (files: unknown[]) =>
    SubmissionsSchema.parse({
      cik: CIK,
      name: 'Busy Filer Corp',
      fiscalYearEnd: '1231',
      filings: { recent: { accessionNumber: [], filingDate: [], form: [] }, files },
    });
  const annualPage = (cik: string): FilingColumns =>
    FilingColumnsSchema.parse({
      accessionNumber: [`${cik}-24-000001`],
      filingDate: ['2024-02-20'],
      reportDate: ['2023-12-31'],
      form: ['10-K'],
      primaryDocument: [`${cik}.htm`],
    });

  /** `failing`: the EDGAR error each named page answers with. */
  async function resolve(
    files: unknown[],
    options: { lastDelivery?: boolean; failing?: Record<string, EdgarError> } = {},
  ) {
    const asked: string[] = [];
    const warnings: string[] = [];
    const edgar = {
      submissions: async () => submissions(files),
      submissionsPage: async (name: string) => {
        asked.push(name);
        const error = options.failing?.[name];
        if (error) throw error;
        return annualPage(name.slice(3, 13));
      },
    } as unknown as EdgarClient;
    const tickers = { lookup: async () => ({ cik: CIK, ticker: 'BUSY', title: 'Busy Filer Corp' }) };
    const logger = { warn: (_: unknown, message: string) => warnings.push(message) } as unknown as Logger;
    const resolved = await resolveCompany({ edgar, tickers: tickers as unknown as TickerDirectory, logger }, 'BUSY', {
      lastDelivery: options.lastDelivery ?? false,
    });
    return { resolved, asked, warnings };
  }

  it("when it names another company's page 5,000 times, then none is read and no filing of that company is selected", async () => {
    const { resolved, asked, warnings } = await resolve(Array.from({ length: 5_000 }, () => page('0001318605', 1)));
    expect(asked).toEqual([]);
    expect(resolved.selected).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('when it repeats its own page, then that page is read once', async () => {
    const { resolved, asked } = await resolve([page(CIK, 1), page(CIK, 1), page(CIK, 1)]);
    expect(asked).toEqual([`CIK${CIK}-submissions-001.json`]);
    expect(resolved.selected.map((f) => f.accession)).toEqual([`${CIK}-24-000001`]);
  });

  it(`when it lists more pages than ${MAX_SUBMISSIONS_PAGES}, then only that many are read and the rest reported as not looked for`, async () => {
    const files = Array.from({ length: 40 }, (_, i) => page(CIK, i + 1));
    const { resolved, asked } = await resolve(files);
    expect(asked).toHaveLength(MAX_SUBMISSIONS_PAGES);
    expect(resolved.listGap).toContain(`15 more pages of this company's filing list than the ${MAX_SUBMISSIONS_PAGES}`);
  });

  describe('when a page cannot be read', () => {
    const second = page(CIK, 2).name;
    const unavailable = new EdgarError('upstream', `EDGAR failed to serve ${second} (HTTP 503); try again later`, {
      url: second,
      status: 503,
      retryable: true,
    });

    it('and asking again may help (503, not the last delivery), then the task is sent back for a later delivery', async () => {
      const error = await resolve([page(CIK, 1), page(CIK, 2)], { failing: { [second]: unavailable } }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TaskFailure);
      expect(error).toMatchObject({ code: 'edgar_unreachable', retryable: true });
    });

    it('on the last delivery, then what the pages before it hold is kept and the gap says why', async () => {
      const { resolved } = await resolve([page(CIK, 1), page(CIK, 2), page(CIK, 3)], {
        lastDelivery: true,
        failing: { [second]: unavailable },
      });
      expect(resolved.selected.map((f) => f.accession)).toEqual([`${CIK}-24-000001`]);
      expect(resolved.listGap).toMatch(
        new RegExp(
          `\\(${second}, filings of 2000-01-01 to 2028-01-01: HTTP 503 on the task's last attempt; a later request may read it\\)`,
        ),
      );
    });

    it('and asking again cannot help (another layout), then it is a gap on any delivery', async () => {
      const misshapen = new EdgarError(
        'malformed',
        `EDGAR's response from ${second} does not have the expected shape`,
        {
          url: second,
          retryable: false,
        },
      );
      const { resolved, asked } = await resolve([page(CIK, 1), page(CIK, 2), page(CIK, 3)], {
        failing: { [second]: misshapen },
      });
      expect(asked).toEqual([page(CIK, 1).name, second]);
      expect(resolved.listGap).toContain('a response not laid out as a page of the filing list)');
    });
  });
});
