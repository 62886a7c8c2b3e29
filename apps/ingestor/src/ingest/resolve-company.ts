import type { SelectedFiling } from '@symbology/contracts';
import type { CompanyTicker } from '../edgar/company-tickers-schema';
import type { EdgarClient } from '../edgar/edgar-client';
import { pagesNeeded } from '../edgar/pages-needed';
import { annualFilings, selectAnnualFilings, type AnnualFiling } from '../edgar/select-annual-filings';
import type { FilingColumns, Submissions } from '../edgar/submissions-schema';
import type { TickerDirectory } from '../edgar/ticker-directory';
import type { Logger } from '../logger';
import { beforeFilings, TaskFailure } from './task-errors';

export type ResolvedCompany = {
  ticker: CompanyTicker;
  submissions: Submissions;
  /** The last five annual reports, newest first. */
  selected: AnnualFiling[];
  /** Every annual report seen, for finding the primary document of a filing chosen on an earlier delivery. */
  annual: Map<string, AnnualFiling>;
};

/** Ticker -> CIK -> submissions (+ older pages when needed) -> the annual reports to ingest. */
export async function resolveCompany(
  deps: { edgar: EdgarClient; tickers: TickerDirectory; logger: Logger },
  rawTicker: string,
  /** A company already stored: its CIK, so the ticker map need not be read. */
  known?: { cik: string; name: string },
): Promise<ResolvedCompany> {
  const ticker = known
    ? { cik: known.cik, ticker: rawTicker, title: known.name }
    : await beforeFilings(() => deps.tickers.lookup(rawTicker));
  if (!ticker) {
    throw new TaskFailure(
      'unknown_ticker',
      `No company with the ticker "${rawTicker}" is registered with SEC EDGAR. Check the symbol (for example AAPL, or BRK.B for a share class).`,
      false,
    );
  }
  const submissions = await beforeFilings(() => deps.edgar.submissions(ticker.cik));
  const pages: FilingColumns[] = [];
  for (const name of pagesNeeded(submissions)) {
    try {
      pages.push(await beforeFilings(() => deps.edgar.submissionsPage(name)));
    } catch (error) {
      // SEC lists pages it no longer serves now and then; the filings in `recent` still count.
      if (!(error instanceof TaskFailure && error.code === 'company_not_found')) throw error;
      deps.logger.warn({ page: name }, 'submissions page listed but not found; continuing without it');
    }
  }
  const selected = selectAnnualFilings(submissions, pages);
  const annual = new Map(annualFilings(submissions, pages).map((f) => [f.accession, f]));
  return { ticker, submissions, selected, annual };
}

export function noAnnualReports(company: ResolvedCompany): TaskFailure {
  const { name, cik } = company.submissions;
  return new TaskFailure(
    'no_annual_reports',
    `${name} (CIK ${cik}) has filed no annual report (10-K, 20-F or 40-F) with SEC, so there is nothing to ingest.`,
    false,
  );
}

export function toSelectedFiling(f: AnnualFiling): SelectedFiling {
  return {
    accession: f.accession,
    form: f.form,
    fiscalYear: f.fiscalYear,
    reportDate: f.reportDate,
    filingDate: f.filingDate,
  };
}
