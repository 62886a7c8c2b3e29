import { assertNever, type IngestEvent, type IngestMode } from '@symbology/contracts';

const MODE_LABEL: Record<IngestMode, string> = { initial: 'Ingestion', refresh: 'Refresh', retry: 'Retry' };

/** One line a person can read for each event on a task's timeline. */
export function describeEvent(event: IngestEvent): string {
  switch (event.type) {
    case 'IngestRequested':
      return `${MODE_LABEL[event.data.mode]} of ${event.data.ticker} requested`;
    case 'CompanyResolved': {
      const { name, cik, filings, alreadyStored, heldInPart, heldNothing } = event.data;
      const counts = [
        alreadyStored > 0 && `${alreadyStored} already stored`,
        heldInPart > 0 && `${heldInPart} stored in part for good`,
        heldNothing > 0 && `${heldNothing} with nothing to store`,
      ].filter(Boolean);
      const stored = counts.length > 0 ? `, ${counts.join(', ')}` : '';
      const gap = event.data.listGap ? `; ${event.data.listGap}` : '';
      return `Resolved ${name} (CIK ${cik}): ${filings.length} annual report(s) to work on${stored}${gap}`;
    }
    case 'FilingStarted':
      return `Started ${event.data.form} for fiscal ${event.data.fiscalYear} (${event.data.accession})`;
    case 'FilingCompleted': {
      const { accession, factsStored, sectionsStored, missing } = event.data;
      const gaps = missing.length > 0 ? `; missing ${missing.map((m) => m.part).join(', ')}` : '';
      return `Stored ${accession}: ${factsStored} facts, ${sectionsStored} sections${gaps}`;
    }
    case 'FilingFailed':
      return `Failed ${event.data.accession}: ${event.data.error.message}${event.data.retryable ? ' (retryable)' : ''}`;
    case 'IngestCompleted': {
      const { outcome, completed, partial, failed } = event.data;
      const label = outcome === 'completed' ? 'Completed' : 'Completed with errors';
      return `${label}: ${completed} complete, ${partial} partial, ${failed} failed`;
    }
    case 'IngestFailed':
      return `Failed: ${event.data.error.message}`;
    case 'IngestCancelRequested':
      // Not who asked: the timeline is open to anyone holding the task's link, and `requestedBy` is
      // another browser's own id (the event on the stream keeps it, for operators).
      return 'Cancellation requested';
    case 'IngestCancelled':
      return `Cancelled: ${event.data.reason}`;
    case 'IngestDelayed': {
      const { kind, attempt, attempts, retryAt, error } = event.data;
      if (kind === 'held')
        return `Attempt ${attempt} of ${attempts} paused: ${error.message}; at most until ${retryAt}`;
      return `Attempt ${attempt} of ${attempts} stopped: ${error.message}; next at ${retryAt}`;
    }
    default:
      return assertNever(event);
  }
}
