import type { CompanyResolved, IngestRequested, SelectedFiling } from '@symbology/contracts';
import {
  filingsToRetry,
  readCompanyByTicker,
  readFilingHoldings,
  type FilingHolding,
  type StoredCompany,
} from '@symbology/db';
import type { AnnualFiling } from '../edgar/select-annual-filings';
import { markChecked, upsertCompany } from '../storage/companies';
import type { IngestTaskDeps } from './run-ingest-task';
import { planWork, resumePlan, settledOf, type Settled, type WorkPlan } from './plan-work';
import { noAnnualReports, resolveCompany, type ResolvedCompany } from './resolve-company';
import { taskProgress, type TaskProgress } from './task-progress';

export type CompanyProfile = Omit<
  CompanyResolved['data'],
  'filings' | 'alreadyStored' | 'heldInPart' | 'heldNothing' | 'listGap'
>;

/**
 * Who the task is about and what it will fetch; `listGap` when part of EDGAR's filing list could not
 * be read (CompanyResolved.listGap), so the task cannot end `completed`.
 */
export type ResolvedWork = { profile: CompanyProfile; plan: WorkPlan; listGap?: string };

/**
 * Reads what a task needs to plan its work, by mode. A retry of a stored company starts from what
 * is stored (its filings, their parts, the task it retries) and reads EDGAR's filing list only for
 * a filing it does not hold at all; everything else reads the list (the submissions) again, records
 * when (companies.checked_at, which the API's refresh decision reads) and plans against it.
 */
export async function resolveWork(
  request: IngestRequested,
  deps: IngestTaskDeps,
  progress: TaskProgress,
  /** The request's last delivery: a page of the list that may yet be read is not waited for any more. */
  lastDelivery: boolean,
): Promise<ResolvedWork> {
  const { ticker, mode } = request.data;
  const stored = await readCompanyByTicker(deps.db, ticker);
  if (mode === 'retry' && stored) return retryWork(request, deps, progress, stored, lastDelivery);
  // A task resumed on a later delivery works from what it announced, without reading EDGAR's list
  // again: a page served the first time may not be served now (SEC's own 404s), or EDGAR may be
  // down, and neither may cost a filing its document or a half-done task its end.
  const announced = progress.resolved && announcedFilings(progress.resolved);
  if (progress.resolved && announced) return resumeWork(deps, progress.resolved, announced);
  const known = stored && { cik: stored.cik, name: stored.name };
  const company = await resolveCompany(deps, ticker, { known, lastDelivery });
  const profile = await recordCompany(deps, company);
  const chosen = progress.resolved?.data.filings;
  if (!chosen && company.selected.length === 0) throw noAnnualReports(company);
  const listed = chosen ? chosen.map((f) => company.annual.get(f.accession) ?? noDocument(f)) : company.selected;
  const holdings = byAccession(
    await readFilingHoldings(deps.db, { cik: profile.cik, accessions: listed.map((f) => f.accession) }),
  );
  const candidates = listed.map((f) => keepingStored(f, holdings.get(f.accession)));
  const plan =
    chosen && progress.resolved
      ? resumePlan(candidates, holdings, settledIn(progress.resolved))
      : planWork({ mode, candidates, holdings });
  // A resumed task keeps what it announced; a new one says what this read of the list found.
  const listGap = chosen ? progress.resolved?.data.listGap : company.listGap;
  return { profile, plan, ...(listGap && { listGap }) };
}

async function retryWork(
  request: IngestRequested,
  deps: IngestTaskDeps,
  progress: TaskProgress,
  stored: StoredCompany,
  lastDelivery: boolean,
): Promise<ResolvedWork> {
  const newest = await readFilingHoldings(deps.db, { cik: stored.cik });
  const earlier = request.data.retryOf ? taskProgress(await deps.history(request.data.retryOf)) : undefined;
  const earlierFilings = (earlier?.resolved?.data.filings ?? []).map((f) => ({
    accession: f.accession,
    status: earlier?.finished.get(f.accession) ?? 'not_attempted',
  }));
  const chosen = progress.resolved?.data.filings.map((f) => f.accession);
  const targets = chosen ?? [...filingsToRetry(newest, earlierFilings), ...unheldOf(earlierFilings, newest)];
  const holdings = byAccession([
    ...newest,
    ...(await readFilingHoldings(deps.db, {
      cik: stored.cik,
      accessions: targets.filter((a) => !newest.some((h) => h.accession === a)),
    })),
  ]);
  // A filing not held at all (the task it retries never stored its row) is looked up in EDGAR's list.
  let edgar: ResolvedCompany | undefined;
  let profile = profileOf(stored);
  const candidates: AnnualFiling[] = [];
  for (const accession of new Set(targets)) {
    const held = holdings.get(accession);
    if (held) {
      candidates.push(annualOf(held));
      continue;
    }
    if (!edgar) {
      const known = { cik: stored.cik, name: stored.name };
      edgar = await resolveCompany(deps, request.data.ticker, { known, lastDelivery });
      profile = await recordCompany(deps, edgar);
    }
    const listed = edgar.annual.get(accession);
    if (listed) candidates.push(listed);
  }
  candidates.sort((a, b) => b.fiscalYear - a.fiscalYear);
  const plan =
    chosen && progress.resolved
      ? resumePlan(candidates, holdings, settledIn(progress.resolved))
      : planWork({ mode: 'retry', candidates, holdings, settled: settledOf(newest) });
  return { profile, plan };
}

/** Filings an earlier task listed and never stored a row for (cancelled before them, or failed early). */
function unheldOf(filings: readonly { accession: string; status: string }[], held: readonly FilingHolding[]): string[] {
  return filings
    .filter((f) => f.status !== 'completed' && !held.some((h) => h.accession === f.accession))
    .map((f) => f.accession);
}

/**
 * Stores the profile EDGAR gave, with the time it was read: the API refreshes after REFRESH_AFTER.
 * What is stored keeps what EDGAR's answer now lacks (storage/companies.ts), and the event announces
 * the profile as stored, so the two cannot drift apart.
 */
async function recordCompany(deps: IngestTaskDeps, company: ResolvedCompany): Promise<CompanyProfile> {
  const s = company.submissions;
  const stored = await upsertCompany(
    deps.db,
    {
      cik: s.cik,
      name: s.name,
      tickers: s.tickers,
      exchanges: s.exchanges,
      sic: s.sic,
      sicDescription: s.sicDescription,
      fiscalYearEnd: s.fiscalYearEnd,
      entityType: s.entityType,
      stateOfIncorporation: s.stateOfIncorporation,
    },
    company.ticker.ticker,
  );
  await markChecked(deps.db, s.cik, deps.now());
  return profileOf(stored);
}

function profileOf(c: StoredCompany): CompanyProfile {
  return {
    cik: c.cik,
    name: c.name,
    tickers: c.tickers,
    exchanges: c.exchanges,
    sic: c.sic,
    sicDescription: c.sicDescription,
    fiscalYearEnd: c.fiscalYearEnd,
  };
}

function annualOf(h: FilingHolding): AnnualFiling {
  return {
    accession: h.accession,
    form: h.form as AnnualFiling['form'],
    fiscalYear: h.fiscalYear,
    reportDate: h.reportDate,
    filingDate: h.filingDate,
    primaryDocument: h.primaryDocument,
  };
}

/** The filings a task announced, with their documents; undefined for an event written before it carried them. */
function announcedFilings(resolved: CompanyResolved): AnnualFiling[] | undefined {
  const filings = resolved.data.filings;
  if (filings.some((f) => f.primaryDocument === undefined)) return undefined;
  return filings.map((f) => ({ ...f, primaryDocument: f.primaryDocument ?? null }));
}

/** The work of a resumed task, from its CompanyResolved and what is stored of its filings since. */
async function resumeWork(
  deps: IngestTaskDeps,
  resolved: CompanyResolved,
  chosen: readonly AnnualFiling[],
): Promise<ResolvedWork> {
  const { cik, name, tickers, exchanges, sic, sicDescription, fiscalYearEnd, listGap } = resolved.data;
  const profile = { cik, name, tickers, exchanges, sic, sicDescription, fiscalYearEnd };
  const holdings = byAccession(await readFilingHoldings(deps.db, { cik, accessions: chosen.map((f) => f.accession) }));
  return { profile, plan: resumePlan(chosen, holdings, settledIn(resolved)), ...(listGap && { listGap }) };
}

/** What a resumed task announced of the filings it had nothing to fetch for. */
function settledIn(resolved: CompanyResolved): Settled {
  const { alreadyStored, heldInPart, heldNothing } = resolved.data;
  return { alreadyStored, heldInPart, heldNothing };
}

/**
 * A filing listed again as EDGAR lists it now, but never poorer than what is stored of it: a report
 * date EDGAR no longer gives (estimated from the filing date) does not replace the stored one nor move
 * the filing to another fiscal year, and a document the list no longer names keeps the stored one.
 */
function keepingStored(listed: AnnualFiling, held: FilingHolding | undefined): AnnualFiling {
  if (!held) return listed;
  const { reportDateEstimated, ...filing } = listed;
  const dated = reportDateEstimated ? { reportDate: held.reportDate, fiscalYear: held.fiscalYear } : {};
  return { ...filing, ...dated, primaryDocument: listed.primaryDocument ?? held.primaryDocument };
}

function noDocument(f: SelectedFiling): AnnualFiling {
  return { ...f, primaryDocument: null };
}

function byAccession(holdings: readonly FilingHolding[]): Map<string, FilingHolding> {
  return new Map(holdings.map((h) => [h.accession, h]));
}
