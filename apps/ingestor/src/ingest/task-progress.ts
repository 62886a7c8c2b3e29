import type { CompanyResolved, IngestEvent } from '@symbology/contracts';

export type FilingOutcome = 'completed' | 'failed';

/** What a task's own events say is already done: the resume point after a crash or redelivery. */
export type TaskProgress = {
  terminal: IngestEvent | undefined;
  resolved: CompanyResolved | undefined;
  /** Filings with a FilingCompleted or FilingFailed: never redone. */
  finished: Map<string, FilingOutcome>;
  /** Every event id on the stream for the task: a step whose id is here is not published again. */
  published: Set<string>;
};

export function taskProgress(events: readonly IngestEvent[]): TaskProgress {
  const progress: TaskProgress = {
    terminal: undefined,
    resolved: undefined,
    finished: new Map(),
    published: new Set(),
  };
  for (const event of events) {
    progress.published.add(event.eventId);
    switch (event.type) {
      case 'IngestRequested':
      case 'FilingStarted':
        break;
      case 'CompanyResolved':
        progress.resolved ??= event;
        break;
      case 'FilingCompleted':
        progress.finished.set(event.data.accession, 'completed');
        break;
      case 'FilingFailed':
        if (!progress.finished.has(event.data.accession)) progress.finished.set(event.data.accession, 'failed');
        break;
      case 'IngestCompleted':
      case 'IngestFailed':
        progress.terminal ??= event;
        break;
      default: {
        const unknown: never = event;
        throw new Error(`unhandled event ${JSON.stringify(unknown)}`);
      }
    }
  }
  return progress;
}

export function totals(finished: ReadonlyMap<string, FilingOutcome>): { completed: number; failed: number } {
  const outcomes = [...finished.values()];
  return {
    completed: outcomes.filter((o) => o === 'completed').length,
    failed: outcomes.filter((o) => o === 'failed').length,
  };
}
