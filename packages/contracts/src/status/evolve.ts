import type { FilingPart, IngestEvent, IngestEventOf, IngestMode, MissingPart } from '../events/ingest-events';
import {
  isTerminal,
  SET_ASIDE_ERROR,
  shortfallOf,
  type FilingState,
  type TaskFilingStatus,
  type TaskStatus,
} from './task-status';

/** Share of the bar earned by resolving the company; the filings share the rest up to this cap. */
const RESOLVED_PROGRESS = 10;
const FILINGS_PROGRESS_CAP = 95;

/** Filing states that are the outcome of work done: the filing counts as a step done. */
const FINISHED: ReadonlySet<FilingState> = new Set(['completed', 'partial', 'failed']);

/**
 * The pure fold of one task's events into the status a person sees.
 * `seq` is the event's stream sequence: it becomes the status version, and an event at or below
 * the current version (a redelivery or replay) changes nothing. Terminal is final: once a task is
 * completed, completed with errors, failed or cancelled, no later event of it changes its status.
 * `prev` is never changed: a changed status is a new object sharing nothing mutable with it.
 */
export function evolve(prev: TaskStatus | undefined, event: IngestEvent, seq: number): TaskStatus {
  if (prev && ignores(prev, seq)) return prev;
  return evolveInPlace(prev && copyStatus(prev), event, seq);
}

/**
 * `evolve` for a fold that owns its accumulator (a rebuild replaying a whole stream): the same
 * step applied to `acc` itself instead of a copy, so a task's 13 events cost one status, not 13.
 * Returns `acc` (a new status for a task's first event). Equal to `evolve` on every sequence of
 * events (evolve.unit.test.ts proves it); nothing else may hold a reference to `acc`.
 */
export function evolveInPlace(acc: TaskStatus | undefined, event: IngestEvent, seq: number): TaskStatus {
  if (acc && ignores(acc, seq)) return acc;
  const next = acc ?? blankStatus(event);
  step(next, event, seq);
  return next;
}

/** A copy that shares no mutable part with `s` (the event data it holds, like `missing`, is never changed). */
export function copyStatus(s: TaskStatus): TaskStatus {
  return { ...s, filings: s.filings.map((f) => ({ ...f })) };
}

/** A redelivery or replay (at or below the version), or anything after the terminal event. */
function ignores(s: TaskStatus, seq: number): boolean {
  return seq <= s.version || isTerminal(s);
}

/** One event applied to a status the caller owns. */
function step(s: TaskStatus, event: IngestEvent, seq: number): void {
  const before = s.progress;
  apply(s, event);
  const finished = s.status === 'completed' || s.status === 'completed_with_errors';
  s.progress = finished ? 100 : Math.max(before, Math.min(s.progress, 99));
  s.version = seq;
  s.updatedAt = event.occurredAt;
}

function apply(s: TaskStatus, event: IngestEvent): void {
  switch (event.type) {
    case 'IngestRequested':
      s.ticker = event.data.ticker;
      s.mode = event.data.mode;
      s.message = queuedMessage(event.data.mode, event.data.ticker);
      return;
    case 'CompanyResolved':
      return resolved(s, event);
    case 'FilingStarted': {
      const { accession, form, fiscalYear } = event.data;
      const filing = filingOf(s, accession, { form, fiscalYear });
      filing.status = 'processing';
      const position = s.filings.indexOf(filing) + 1;
      return withFilings(s, `Ingesting ${form} for fiscal ${fiscalYear} (${position} of ${s.filings.length})`);
    }
    case 'FilingCompleted': {
      const { accession, outcome, missing } = event.data;
      const filing = filingOf(s, accession);
      if (filing) {
        filing.status = outcome;
        filing.missing = missing;
      }
      const what = describeFiling(s.filings, accession);
      const message =
        outcome === 'completed' ? `Ingested ${what}` : `Stored part of ${what}; missing: ${partList(missing)}`;
      return withFilings(s, message);
    }
    case 'FilingFailed': {
      const { accession, error, missing } = event.data;
      const filing = filingOf(s, accession);
      if (filing) {
        filing.status = 'failed';
        filing.error = error.message;
        // Every part is missing; each reason (and whether it may pass) when the event lists them.
        filing.missing = missing ?? [];
      }
      return withFilings(s, `Could not ingest ${describeFiling(s.filings, accession)}: ${error.message}`);
    }
    case 'IngestCompleted':
      s.status = event.data.outcome;
      s.message = completedMessage(s, event.data);
      return;
    case 'IngestFailed': {
      const { message } = event.data.error;
      ended(s, `Not finished: ${message}`);
      s.status = 'failed';
      s.error = message;
      s.message = `Ingestion of ${s.ticker} failed: ${message}`;
      return;
    }
    case 'IngestCancelRequested':
      s.cancelRequested = true;
      s.message = 'Cancelling: the ingestion stops after the filing in hand';
      return;
    case 'IngestDelayed':
      s.message = delayedMessage(event);
      return;
    case 'IngestCancelled':
      ended(s, 'Cancelled before it finished');
      s.status = 'cancelled';
      s.message = `Cancelled: ${event.data.reason}`;
      return;
    default:
      return assertNever(event);
  }
}

function queuedMessage(mode: IngestMode, ticker: string): string {
  switch (mode) {
    case 'initial':
      return `Queued ingestion of ${ticker}`;
    case 'refresh':
      return `Queued a check of EDGAR for new annual reports of ${ticker}`;
    case 'retry':
      return `Queued a retry of what ${ticker} is missing`;
    default:
      return assertNever(mode);
  }
}

/**
 * "Waiting 30 s to try again (attempt 2 of 5): <why>", or for a held attempt "Paused for up to
 * 15 min: <why>; …": from the event alone, so every fold says the same.
 */
function delayedMessage(event: IngestEventOf<'IngestDelayed'>): string {
  const { kind, error, attempt, attempts, retryAt } = event.data;
  const seconds = Math.max(0, Math.round((Date.parse(retryAt) - Date.parse(event.occurredAt)) / 1_000));
  if (kind === 'held') {
    return `Paused for up to ${waitText(seconds)}: ${error.message}; the ingestion goes on from where it stopped once it answers`;
  }
  return `Waiting ${seconds} s to try again (attempt ${attempt + 1} of ${attempts}): ${error.message}`;
}

/** "45 s", "15 min": a pause a person reads at a glance. */
function waitText(seconds: number): string {
  return seconds < 120 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

function resolved(s: TaskStatus, event: IngestEventOf<'CompanyResolved'>): void {
  const { cik, name, filings, alreadyStored, listGap } = event.data;
  // A second CompanyResolved (republished after the dedupe window) must not reset progress made.
  const known = new Map(s.filings.map((f) => [f.accession, f]));
  s.filings = filings.map<TaskFilingStatus>((f) => {
    const before = known.get(f.accession);
    const base = {
      accession: f.accession,
      form: f.form,
      fiscalYear: f.fiscalYear,
      reportDate: f.reportDate,
      status: before?.status ?? 'pending',
      missing: before?.missing ?? [],
    };
    return before?.error === undefined ? base : { ...base, error: before.error };
  });
  if (s.status === 'pending') s.status = 'processing';
  s.company = { cik, name };
  s.alreadyStored = alreadyStored;
  s.ticker = s.ticker || (event.data.tickers[0] ?? '');
  // The task falls short of the five newest whatever its filings do: the reason stays on the status.
  if (listGap) s.error = listGap;
  const message = resolvedMessage(name, filings.length, event.data);
  withFilings(s, listGap ? `${message}${LIST_GAP_NOTE}` : message);
}

type Settled = Pick<IngestEventOf<'CompanyResolved'>['data'], 'alreadyStored' | 'heldInPart' | 'heldNothing'>;

function resolvedMessage(name: string, toDo: number, { alreadyStored, heldInPart, heldNothing }: Settled): string {
  const lacking = heldInPart + heldNothing;
  if (toDo === 0 && lacking === 0) return `${name}: all ${alreadyStored} annual reports are already stored`;
  const held = [
    alreadyStored > 0 && `${alreadyStored} already stored`,
    heldInPart > 0 && `${heldInPart} stored in part`,
    heldNothing > 0 && `${heldNothing} with nothing stored`,
  ].filter(Boolean);
  // What a filing nothing can be fetched for lacks, EDGAR does not give: said once, after the counts.
  const forGood = lacking > 0 ? '; what they lack EDGAR cannot give' : '';
  if (toDo === 0) return `${name}: nothing to fetch (${held.join(', ')}${forGood})`;
  const base = `Found ${name}: ${toDo} annual report${toDo === 1 ? '' : 's'} to ingest`;
  return held.length === 0 ? base : `${base} (${held.join(', ')}${forGood})`;
}

const LIST_GAP_NOTE = "; part of EDGAR's filing list could not be read";

function completedMessage(s: TaskStatus, data: IngestEventOf<'IngestCompleted'>['data']): string {
  const { outcome, completed, partial, failed } = data;
  const name = s.company?.name ?? s.ticker;
  // A gap no filing accounts for (part of EDGAR's filing list unread): named here, `error` says which
  // part. An event the projection set aside is an error too, but not EDGAR's: it says so itself.
  const shortfall = shortfallOf(s);
  const gap = shortfall === undefined || shortfall === SET_ASIDE_ERROR ? '' : LIST_GAP_NOTE;
  if (completed + partial + failed === 0) {
    return gap ? `Nothing new stored for ${name}${gap}` : `${name} is up to date: no new annual reports to ingest`;
  }
  if (outcome === 'completed') {
    const tail = failed > 0 ? `, ${failed} failed` : '';
    return `Ingested ${name}: ${completed} filing${completed === 1 ? '' : 's'}${tail}`;
  }
  const counts = [`${completed} complete`, partial > 0 && `${partial} partial`, failed > 0 && `${failed} failed`];
  return `Ingested ${name} with gaps: ${counts.filter(Boolean).join(', ')}${gap}`;
}

const PART_LABEL: Record<FilingPart, string> = {
  facts: 'financial facts',
  business: 'business section',
  risk_factors: 'risk factors',
  mdna: 'MD&A',
};

function partList(missing: readonly MissingPart[]): string {
  return missing.map((m) => PART_LABEL[m.part]).join(', ');
}

function describeFiling(filings: readonly TaskFilingStatus[], accession: string): string {
  const f = filings.find((x) => x.accession === accession);
  return f ? `${f.form} for fiscal ${f.fiscalYear}` : accession;
}

function blankStatus(event: IngestEvent): TaskStatus {
  return {
    taskId: event.taskId,
    ticker: event.type === 'IngestRequested' ? event.data.ticker : '',
    mode: event.type === 'IngestRequested' ? event.data.mode : 'initial',
    status: 'pending',
    progress: 0,
    message: '',
    stepsCompleted: 0,
    totalSteps: 0,
    company: null,
    filings: [],
    alreadyStored: 0,
    cancelRequested: false,
    error: null,
    version: 0,
    createdAt: event.occurredAt,
    updatedAt: event.occurredAt,
  };
}

/**
 * The task's filing with that accession, to change in place. A filing the CompanyResolved event
 * did not list (it should not happen) is shown rather than dropped when the event says what it
 * is (`ifMissing`); otherwise there is none.
 */
function filingOf(
  s: TaskStatus,
  accession: string,
  ifMissing: Pick<TaskFilingStatus, 'form' | 'fiscalYear'>,
): TaskFilingStatus;
function filingOf(s: TaskStatus, accession: string): TaskFilingStatus | undefined;
function filingOf(
  s: TaskStatus,
  accession: string,
  ifMissing?: Pick<TaskFilingStatus, 'form' | 'fiscalYear'>,
): TaskFilingStatus | undefined {
  const found = s.filings.find((f) => f.accession === accession);
  if (found || !ifMissing) return found;
  const added: TaskFilingStatus = { accession, reportDate: '1970-01-01', status: 'pending', missing: [], ...ifMissing };
  s.filings.push(added);
  return added;
}

/**
 * A task that ended early: a filing never started is `not_attempted`, one interrupted `failed`
 * with `reason`; the steps are recounted, the percentage stays where it got.
 */
function ended(s: TaskStatus, reason: string): void {
  for (const f of s.filings) {
    if (f.status === 'pending') f.status = 'not_attempted';
    else if (f.status === 'processing') {
      f.status = 'failed';
      f.error = reason;
    }
  }
  s.stepsCompleted = s.filings.filter((f) => FINISHED.has(f.status)).length;
}

/** Recomputes the counters and the percentage from the filings, so they can never disagree. */
function withFilings(s: TaskStatus, message: string): void {
  const total = s.filings.length;
  const done = s.filings.filter((f) => FINISHED.has(f.status)).length;
  const running = s.filings.filter((f) => f.status === 'processing').length;
  const share = total === 0 ? 0 : (done + running / 2) / total;
  s.stepsCompleted = done;
  s.totalSteps = total;
  s.progress = RESOLVED_PROGRESS + Math.floor((FILINGS_PROGRESS_CAP - RESOLVED_PROGRESS) * share);
  s.message = message;
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}
