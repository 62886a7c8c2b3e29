import type { FilingPart, IngestEvent, IngestEventOf, IngestMode, MissingPart } from '../events/ingest-events';
import { isTerminal, type FilingState, type TaskFilingStatus, type TaskStatus } from './task-status';

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
 */
export function evolve(prev: TaskStatus | undefined, event: IngestEvent, seq: number): TaskStatus {
  if (prev && (seq <= prev.version || isTerminal(prev))) return prev;
  const base = prev ?? blankStatus(event);
  const next = apply(base, event);
  const finished = next.status === 'completed' || next.status === 'completed_with_errors';
  const progress = finished ? 100 : Math.max(base.progress, Math.min(next.progress, 99));
  return { ...next, progress, version: seq, updatedAt: event.occurredAt };
}

function apply(s: TaskStatus, event: IngestEvent): TaskStatus {
  switch (event.type) {
    case 'IngestRequested':
      return {
        ...s,
        ticker: event.data.ticker,
        mode: event.data.mode,
        message: queuedMessage(event.data.mode, event.data.ticker),
      };
    case 'CompanyResolved':
      return resolved(s, event);
    case 'FilingStarted': {
      const { accession, form, fiscalYear } = event.data;
      const filings = updateFiling(s.filings, accession, { status: 'processing' }, { form, fiscalYear });
      const position = filings.findIndex((f) => f.accession === accession) + 1;
      return withFilings(s, filings, `Ingesting ${form} for fiscal ${fiscalYear} (${position} of ${filings.length})`);
    }
    case 'FilingCompleted': {
      const { accession, outcome, missing } = event.data;
      const filings = updateFiling(s.filings, accession, { status: outcome, missing });
      const what = describeFiling(filings, accession);
      const message =
        outcome === 'completed' ? `Ingested ${what}` : `Stored part of ${what}; missing: ${partList(missing)}`;
      return withFilings(s, filings, message);
    }
    case 'FilingFailed': {
      const { accession, error } = event.data;
      const filings = updateFiling(s.filings, accession, { status: 'failed', error: error.message });
      return withFilings(s, filings, `Could not ingest ${describeFiling(filings, accession)}: ${error.message}`);
    }
    case 'IngestCompleted':
      return { ...s, status: event.data.outcome, message: completedMessage(s, event.data) };
    case 'IngestFailed': {
      const { message } = event.data.error;
      const filings = s.filings.map((f) => endUnfinished(f, `Not finished: ${message}`));
      return {
        ...ended(s, filings),
        status: 'failed',
        error: message,
        message: `Ingestion of ${s.ticker} failed: ${message}`,
      };
    }
    case 'IngestCancelRequested':
      return { ...s, cancelRequested: true, message: 'Cancelling: the ingestion stops after the filing in hand' };
    case 'IngestCancelled': {
      const filings = s.filings.map((f) => endUnfinished(f, 'Cancelled before it finished'));
      return { ...ended(s, filings), status: 'cancelled', message: `Cancelled: ${event.data.reason}` };
    }
    default:
      return assertNever(event);
  }
}

function queuedMessage(mode: IngestMode, ticker: string): string {
  switch (mode) {
    case 'initial':
      return `Queued ingestion of ${ticker}`;
    case 'refresh':
      return `Checking EDGAR for new annual reports of ${ticker}`;
    case 'retry':
      return `Queued a retry of what ${ticker} is missing`;
    default:
      return assertNever(mode);
  }
}

function resolved(s: TaskStatus, event: IngestEventOf<'CompanyResolved'>): TaskStatus {
  const { cik, name, filings, alreadyStored } = event.data;
  // A second CompanyResolved (republished after the dedupe window) must not reset progress made.
  const known = new Map(s.filings.map((f) => [f.accession, f]));
  const taskFilings = filings.map<TaskFilingStatus>((f) => {
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
  const status = s.status === 'pending' ? 'processing' : s.status;
  const company = { cik, name };
  return withFilings(
    { ...s, status, company, alreadyStored, ticker: s.ticker || (event.data.tickers[0] ?? '') },
    taskFilings,
    resolvedMessage(name, filings.length, alreadyStored),
  );
}

function resolvedMessage(name: string, toDo: number, alreadyStored: number): string {
  if (toDo === 0) return `${name}: all ${alreadyStored} annual reports are already stored`;
  const base = `Found ${name}: ${toDo} annual report${toDo === 1 ? '' : 's'} to ingest`;
  return alreadyStored === 0 ? base : `${base} (${alreadyStored} already stored)`;
}

function completedMessage(s: TaskStatus, data: IngestEventOf<'IngestCompleted'>['data']): string {
  const { outcome, completed, partial, failed } = data;
  const name = s.company?.name ?? s.ticker;
  if (completed + partial + failed === 0) return `${name} is up to date: no new annual reports to ingest`;
  if (outcome === 'completed') {
    const tail = failed > 0 ? `, ${failed} failed` : '';
    return `Ingested ${name}: ${completed} filing${completed === 1 ? '' : 's'}${tail}`;
  }
  const counts = [`${completed} complete`, partial > 0 && `${partial} partial`, failed > 0 && `${failed} failed`];
  return `Ingested ${name} with gaps: ${counts.filter(Boolean).join(', ')}`;
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

/** A filing still open when its task ended: never started, or interrupted. */
function endUnfinished(f: TaskFilingStatus, reason: string): TaskFilingStatus {
  if (f.status === 'pending') return { ...f, status: 'not_attempted' };
  if (f.status === 'processing') return { ...f, status: 'failed', error: reason };
  return f;
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

function updateFiling(
  filings: TaskFilingStatus[],
  accession: string,
  change: Partial<TaskFilingStatus>,
  ifMissing?: Pick<TaskFilingStatus, 'form' | 'fiscalYear'>,
): TaskFilingStatus[] {
  if (!filings.some((f) => f.accession === accession)) {
    // A filing the CompanyResolved event did not list (it should not happen): show it rather than drop it.
    if (!ifMissing) return filings;
    return [
      ...filings,
      { accession, reportDate: '1970-01-01', status: 'pending', missing: [], ...ifMissing, ...change },
    ];
  }
  return filings.map((f) => (f.accession === accession ? { ...f, ...change } : f));
}

/** The filings of a task that ended early: the steps are recounted, the percentage stays where it got. */
function ended(s: TaskStatus, filings: TaskFilingStatus[]): TaskStatus {
  return { ...s, filings, stepsCompleted: filings.filter((f) => FINISHED.has(f.status)).length };
}

/** Recomputes the counters and the percentage from the filings, so they can never disagree. */
function withFilings(s: TaskStatus, filings: TaskFilingStatus[], message: string): TaskStatus {
  const total = filings.length;
  const done = filings.filter((f) => FINISHED.has(f.status)).length;
  const running = filings.filter((f) => f.status === 'processing').length;
  const share = total === 0 ? 0 : (done + running / 2) / total;
  const progress = RESOLVED_PROGRESS + Math.floor((FILINGS_PROGRESS_CAP - RESOLVED_PROGRESS) * share);
  return { ...s, filings, stepsCompleted: done, totalSteps: total, progress, message };
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}
