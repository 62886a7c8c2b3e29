import type { IngestEvent } from '../events/ingest-events';
import type { TaskFilingStatus, TaskStatus } from './task-status';

/** Share of the bar earned by resolving the company; the filings share the rest up to this cap. */
const RESOLVED_PROGRESS = 10;
const FILINGS_PROGRESS_CAP = 95;

/**
 * The pure fold of one task's events into the status a person sees.
 * `seq` is the event's stream sequence: it becomes the status version, and an event at or below
 * the current version (a redelivery or replay) changes nothing.
 */
export function evolve(prev: TaskStatus | undefined, event: IngestEvent, seq: number): TaskStatus {
  if (prev && seq <= prev.version) return prev;
  const base = prev ?? blankStatus(event);
  const next = apply(base, event);
  const progress = next.status === 'completed' ? 100 : Math.max(base.progress, Math.min(next.progress, 99));
  return { ...next, progress, version: seq, updatedAt: event.occurredAt };
}

function apply(s: TaskStatus, event: IngestEvent): TaskStatus {
  switch (event.type) {
    case 'IngestRequested':
      return { ...s, ticker: event.data.ticker, message: `Queued ingestion of ${event.data.ticker}` };
    case 'CompanyResolved': {
      const { cik, name, filings } = event.data;
      // A second CompanyResolved (republished after the dedupe window) must not reset progress made.
      const known = new Map(s.filings.map((f) => [f.accession, f]));
      const taskFilings = filings.map<TaskFilingStatus>((f) => ({
        accession: f.accession,
        form: f.form,
        fiscalYear: f.fiscalYear,
        reportDate: f.reportDate,
        status: 'pending',
        ...pickProgress(known.get(f.accession)),
      }));
      return withFilings(
        {
          ...s,
          status: s.status === 'pending' ? 'processing' : s.status,
          company: { cik, name },
          ticker: s.ticker || (event.data.tickers[0] ?? ''),
        },
        taskFilings,
        `Found ${name}: ${filings.length} annual report${filings.length === 1 ? '' : 's'} to ingest`,
      );
    }
    case 'FilingStarted': {
      const { accession, form, fiscalYear } = event.data;
      const filings = updateFiling(s.filings, accession, { status: 'processing' }, { form, fiscalYear });
      const position = filings.findIndex((f) => f.accession === accession) + 1;
      return withFilings(s, filings, `Ingesting ${form} for fiscal ${fiscalYear} (${position} of ${filings.length})`);
    }
    case 'FilingCompleted': {
      const filings = updateFiling(s.filings, event.data.accession, { status: 'completed' });
      const done = filings.find((f) => f.accession === event.data.accession);
      const what = done ? `${done.form} for fiscal ${done.fiscalYear}` : event.data.accession;
      return withFilings(s, filings, `Ingested ${what}`);
    }
    case 'FilingFailed': {
      const filings = updateFiling(s.filings, event.data.accession, {
        status: 'failed',
        error: event.data.error.message,
      });
      const failed = filings.find((f) => f.accession === event.data.accession);
      const what = failed ? `${failed.form} for fiscal ${failed.fiscalYear}` : event.data.accession;
      return withFilings(s, filings, `Could not ingest ${what}: ${event.data.error.message}`);
    }
    case 'IngestCompleted': {
      const { completed, failed } = event.data;
      const name = s.company?.name ?? s.ticker;
      const tail = failed > 0 ? `, ${failed} failed` : '';
      return {
        ...s,
        status: 'completed',
        message: `Ingested ${name}: ${completed} filing${completed === 1 ? '' : 's'}${tail}`,
      };
    }
    case 'IngestFailed':
      return {
        ...s,
        status: 'failed',
        error: event.data.error.message,
        message: `Ingestion of ${s.ticker} failed: ${event.data.error.message}`,
      };
    default:
      return assertNever(event);
  }
}

function pickProgress(f: TaskFilingStatus | undefined): Partial<TaskFilingStatus> {
  if (!f) return {};
  return f.error === undefined ? { status: f.status } : { status: f.status, error: f.error };
}

function blankStatus(event: IngestEvent): TaskStatus {
  return {
    taskId: event.taskId,
    ticker: event.type === 'IngestRequested' ? event.data.ticker : '',
    status: 'pending',
    progress: 0,
    message: '',
    stepsCompleted: 0,
    totalSteps: 0,
    company: null,
    filings: [],
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
    return [...filings, { accession, reportDate: '1970-01-01', status: 'pending', ...ifMissing, ...change }];
  }
  return filings.map((f) => (f.accession === accession ? { ...f, ...change } : f));
}

/** Recomputes the counters and the percentage from the filings, so they can never disagree. */
function withFilings(s: TaskStatus, filings: TaskFilingStatus[], message: string): TaskStatus {
  const total = filings.length;
  const done = filings.filter((f) => f.status === 'completed' || f.status === 'failed').length;
  const running = filings.filter((f) => f.status === 'processing').length;
  const share = total === 0 ? 0 : (done + running / 2) / total;
  const progress = RESOLVED_PROGRESS + Math.floor((FILINGS_PROGRESS_CAP - RESOLVED_PROGRESS) * share);
  return { ...s, filings, stepsCompleted: done, totalSteps: total, progress, message };
}

export function assertNever(value: never): never {
  throw new Error(`Unhandled variant: ${JSON.stringify(value)}`);
}
