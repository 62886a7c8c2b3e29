import type {
  CompanyResolved,
  IngestCompleted,
  IngestEvent,
  IngestEventOf,
  TerminalEventType,
} from '@symbology/contracts';

export type FilingOutcome = 'completed' | 'partial' | 'failed';

/** What a task's own events say is already done: the resume point after a crash or redelivery. */
export type TaskProgress = {
  terminal: IngestEventOf<TerminalEventType> | undefined;
  resolved: CompanyResolved | undefined;
  /** Filings with a FilingStarted: worked on by some delivery. */
  started: Set<string>;
  /** Filings with a FilingCompleted or FilingFailed: never redone. */
  finished: Map<string, FilingOutcome>;
  /** Every event id on the stream for the task: a step whose id is here is not published again. */
  published: Set<string>;
  /** Someone asked to cancel the task. */
  cancelRequested: boolean;
};

export function taskProgress(events: readonly IngestEvent[]): TaskProgress {
  const progress: TaskProgress = {
    terminal: undefined,
    resolved: undefined,
    started: new Set(),
    finished: new Map(),
    published: new Set(),
    cancelRequested: false,
  };
  for (const event of events) {
    progress.published.add(event.eventId);
    switch (event.type) {
      case 'IngestRequested':
      case 'IngestDelayed':
        break;
      case 'FilingStarted':
        progress.started.add(event.data.accession);
        break;
      case 'CompanyResolved':
        progress.resolved ??= event;
        break;
      case 'FilingCompleted':
        progress.finished.set(event.data.accession, event.data.outcome);
        break;
      case 'FilingFailed':
        if (!progress.finished.has(event.data.accession)) progress.finished.set(event.data.accession, 'failed');
        break;
      case 'IngestCancelRequested':
        progress.cancelRequested = true;
        break;
      case 'IngestCompleted':
      case 'IngestFailed':
      case 'IngestCancelled':
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

/**
 * The IngestCompleted of a task whose filings all have an outcome: `completed` only when every
 * filing is whole and the filing list was read whole (no `listGap`), else `completed_with_errors`.
 */
export function totals(finished: ReadonlyMap<string, FilingOutcome>, listGap?: string): IngestCompleted['data'] {
  const outcomes = [...finished.values()];
  const count = (o: FilingOutcome) => outcomes.filter((x) => x === o).length;
  const [completed, partial, failed] = [count('completed'), count('partial'), count('failed')];
  const whole = partial + failed === 0 && listGap === undefined;
  return { outcome: whole ? 'completed' : 'completed_with_errors', completed, partial, failed };
}
