import type { EdgarClient } from '../edgar/edgar-client';
import type { IngestTaskDeps } from '../ingest/run-ingest-task';

/** INGEST_STALL_MS's default: far beyond one EDGAR call's timeout and retries. */
export const DEFAULT_STALL_MS = 300_000;

/** A delivery made no progress for longer than INGEST_STALL_MS: something it awaits will not settle. */
export class TaskStalled extends Error {
  override readonly name = 'TaskStalled';
}

export type StallWatch = {
  /** The task's deps, each EDGAR call and publish counting as progress when it settles. */
  watched(task: IngestTaskDeps): IngestTaskDeps;
  /** Rejects with TaskStalled once `check` finds no progress for `stallMs`; never resolves. */
  stalled: Promise<never>;
  /** Called with every heartbeat: false once stalled (the heartbeat must stop keeping the delivery). */
  check(): boolean;
  /** Time spent in `p` is not idle: a wait with a bound of its own (the outage hold) is no stall. */
  paused<T>(p: Promise<T>): Promise<T>;
};

/**
 * The bound on a delivery that hangs. Heartbeats (`working()`) keep a delivery for as long as its
 * handler runs, which is right while the task works (a slow EDGAR, the rate limit) and wrong when
 * it awaits something that never settles (a Postgres query stuck across an outage): the request,
 * and the worker, would be held for good. Every EDGAR call is bounded by its timeout and attempts,
 * and every step publishes an event, so a task that neither finished an EDGAR call nor published
 * for `stallMs` is stuck; the handler then gives the delivery up.
 */
export function watchStall(stallMs: number, now: () => number = Date.now): StallWatch {
  let last = now();
  const mark = () => {
    last = now();
  };
  let reject!: (error: TaskStalled) => void;
  const stalled = new Promise<never>((_, r) => (reject = r));
  stalled.catch(() => {}); // raced against the task; settled only when it stalls
  const progress = <T>(p: Promise<T>): Promise<T> => p.finally(mark);
  let pauses = 0;
  return {
    watched: (task) => ({
      ...task,
      edgar: watchedEdgar(task.edgar, progress),
      publish: (event) => progress(task.publish(event)),
    }),
    stalled,
    check: () => {
      if (pauses > 0) return true;
      const idle = now() - last;
      if (idle <= stallMs) return true;
      reject(new TaskStalled(`no progress for ${idle} ms (INGEST_STALL_MS ${stallMs})`));
      return false;
    },
    paused: (p) => {
      pauses++;
      return p.finally(() => {
        pauses--;
        mark();
      });
    },
  };
}

function watchedEdgar(edgar: EdgarClient, progress: <T>(p: Promise<T>) => Promise<T>): EdgarClient {
  return {
    tickers: () => progress(edgar.tickers()),
    submissions: (cik) => progress(edgar.submissions(cik)),
    submissionsPage: (fileName) => progress(edgar.submissionsPage(fileName)),
    companyFacts: (cik) => progress(edgar.companyFacts(cik)),
    document: (cik, accession, primaryDocument) => progress(edgar.document(cik, accession, primaryDocument)),
    documentUrl: (cik, accession, primaryDocument) => edgar.documentUrl(cik, accession, primaryDocument),
  };
}
