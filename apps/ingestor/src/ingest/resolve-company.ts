import type { SelectedFiling } from '@symbology/contracts';
import type { CompanyTicker } from '../edgar/company-tickers-schema';
import type { EdgarClient } from '../edgar/edgar-client';
import { isEdgarError, type EdgarError } from '../edgar/edgar-error';
import { MAX_SUBMISSIONS_PAGES, ownPages, pagesNeeded } from '../edgar/pages-needed';
import {
  ANNUAL_REPORTS,
  annualFilings,
  newestByYear,
  type AnnualFiling,
  type SkippedAnnualRow,
} from '../edgar/select-annual-filings';
import type { FilingColumns, Submissions, SubmissionsPageRef } from '../edgar/submissions-schema';
import { noneSkipped } from '../edgar/skipped-entries';
import type { TickerDirectory } from '../edgar/ticker-directory';
import type { Logger } from '../logger';
import { beforeFilings, TaskFailure, taskFailureFromEdgar } from './task-errors';

export type ResolvedCompany = {
  ticker: CompanyTicker;
  submissions: Submissions;
  /** The last five annual reports, newest first. */
  selected: AnnualFiling[];
  /** Every annual report seen, for finding the primary document of a filing chosen on an earlier delivery. */
  annual: Map<string, AnnualFiling>;
  /** Set when a page EDGAR lists but did not serve readably may hold one of the five newest: what could not be looked for. */
  listGap?: string;
};

/** Ticker -> CIK -> submissions (+ older pages when needed) -> the annual reports to ingest. */
export async function resolveCompany(
  deps: { edgar: EdgarClient; tickers: TickerDirectory; logger: Logger },
  rawTicker: string,
  options: {
    /** A company already stored: its CIK, so the ticker map need not be read. */
    known?: { cik: string; name: string } | undefined;
    /** The request's last delivery: an older page that may yet be read is not waited for any more. */
    lastDelivery: boolean;
  },
): Promise<ResolvedCompany> {
  const { known, lastDelivery } = options;
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
  const submissions = await beforeFilings(() => deps.edgar.submissions(ticker.cik)).catch((error: unknown) => {
    throw noFilingList(error, ticker, rawTicker);
  });
  if (submissions.cik !== ticker.cik) {
    // Taken as given, another company's list would file this one's ticker, profile and reports under it.
    throw new TaskFailure(
      'edgar_malformed',
      `EDGAR's filing list for ${ticker.title} (CIK ${ticker.cik}) is that of CIK ${submissions.cik}, so it was not used; nothing was stored`,
      false,
    );
  }
  const pages: FilingColumns[] = [];
  let unread: { page: SubmissionsPageRef; why: string } | undefined;
  const own = ownPages(submissions);
  if (own.otherCompany + own.repeated + own.beyondCap.length > 0) {
    deps.logger.warn(
      {
        cik: submissions.cik,
        otherCompany: own.otherCompany,
        repeated: own.repeated,
        beyondCap: own.beyondCap.length,
        maxPages: MAX_SUBMISSIONS_PAGES,
      },
      "filings.files entries not read: another company's pages, repeats, or pages past the cap",
    );
  }
  const needed = new Set(pagesNeeded(submissions));
  // Newest page first. SEC lists pages it no longer serves now and then: the filings newer than such
  // a page still count, but nothing older is read, so no annual report is chosen across a hole.
  for (const page of own.pages.filter((f) => needed.has(f.name))) {
    try {
      pages.push(await deps.edgar.submissionsPage(page.name));
    } catch (error) {
      if (!isEdgarError(error)) throw error;
      // What may pass (5xx, 429/403, a body cut short) is asked again on a later delivery, as the
      // submissions are; once none is left, or asking again cannot help (404, another layout), the
      // page is a hole in the list, not the end of a task whose recent filings hold its reports.
      if (error.retryable && !lastDelivery) throw taskFailureFromEdgar(error);
      deps.logger.warn(
        { page: page.name, err: error },
        'submissions page not read; older annual reports not looked for',
      );
      unread = { page, why: whyUnread(error) };
      break;
    }
  }
  const skipped = noneSkipped<SkippedAnnualRow>();
  const candidates = annualFilings(submissions, pages, skipped);
  const annual = new Map(candidates.map((f) => [f.accession, f]));
  if (skipped.count > 0) {
    deps.logger.warn(
      { cik: submissions.cik, skipped: skipped.count, samples: skipped.samples },
      'annual reports in the filing list with impossible dates or fiscal years were left out; the others are kept',
    );
  }
  const selected = newestByYear(candidates);
  const notLookedFor = unread?.page ?? (needed.size > 0 ? own.beyondCap[0] : undefined);
  const listGap =
    notLookedFor && selected.length < ANNUAL_REPORTS
      ? unread
        ? listGapMessage(unread.page, unread.why)
        : pastCapMessage(notLookedFor, own.beyondCap.length)
      : undefined;
  return { ticker, submissions, selected, annual, ...(listGap && { listGap }) };
}

/** A 404 for the filing list itself, said of the company the ticker names rather than of a URL alone. */
function noFilingList(error: unknown, ticker: CompanyTicker, rawTicker: string): unknown {
  if (!(error instanceof TaskFailure && error.code === 'company_not_found')) return error;
  return new TaskFailure(
    'company_not_found',
    `${ticker.title} (CIK ${ticker.cik}, which SEC's ticker list gives for ${rawTicker}) has no filing list on EDGAR: ${error.message}`,
    false,
    undefined,
    { cause: error },
  );
}

function listGapMessage(page: SubmissionsPageRef, why: string): string {
  return `EDGAR did not serve part of this company's filing list (${page.name}, filings of ${page.filingFrom} to ${page.filingTo}: ${why}), so annual reports filed on or before ${page.filingTo} could not be looked for.`;
}

/** Why a page was not read, in a few words for listGap (the log has EDGAR's whole error). */
function whyUnread(error: EdgarError): string {
  let what = 'no answer from EDGAR';
  if (error.status !== undefined) what = `HTTP ${error.status}`;
  else if (error.code === 'document_too_large') what = 'larger than EDGAR_MAX_LIST_BYTES';
  else if (error.code === 'malformed') {
    what = error.retryable
      ? 'a response that is not valid JSON'
      : 'a response not laid out as a page of the filing list';
  }
  return error.retryable ? `${what} on the task's last attempt; a later request may read it` : what;
}

function pastCapMessage(page: SubmissionsPageRef, count: number): string {
  return `EDGAR lists ${count} more pages of this company's filing list than the ${MAX_SUBMISSIONS_PAGES} the ingestor reads, so annual reports filed on or before ${page.filingTo} were not looked for.`;
}

/** The failure of a task that found no annual report to work on, said as far as the list was read. */
export function noAnnualReports(company: {
  submissions: Pick<Submissions, 'name' | 'cik'>;
  listGap?: string | undefined;
}): TaskFailure {
  const { name, cik } = company.submissions;
  if (company.listGap) {
    // Not "has filed none": the part of the list that would say so could not be read.
    return new TaskFailure(
      'filing_list_incomplete',
      `No annual report of ${name} (CIK ${cik}) could be found: its recent filings hold none, and ${company.listGap}`,
      false,
    );
  }
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
    primaryDocument: f.primaryDocument,
  };
}
