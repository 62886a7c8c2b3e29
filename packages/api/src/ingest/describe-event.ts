import { assertNever, type IngestEvent } from '@symbology/contracts';

/** One line a person can read for each event on a task's timeline. */
export function describeEvent(event: IngestEvent): string {
  switch (event.type) {
    case 'IngestRequested':
      return `Ingestion of ${event.data.ticker} requested`;
    case 'CompanyResolved':
      return `Resolved ${event.data.name} (CIK ${event.data.cik}): ${event.data.filings.length} annual report(s) selected`;
    case 'FilingStarted':
      return `Started ${event.data.form} for fiscal ${event.data.fiscalYear} (${event.data.accession})`;
    case 'FilingCompleted':
      return `Stored ${event.data.accession}: ${event.data.factsStored} facts, ${event.data.sectionsStored} sections`;
    case 'FilingFailed':
      return `Failed ${event.data.accession}: ${event.data.error.message}${event.data.retryable ? ' (retryable)' : ''}`;
    case 'IngestCompleted':
      return `Completed: ${event.data.completed} filing(s) stored, ${event.data.failed} failed`;
    case 'IngestFailed':
      return `Failed: ${event.data.error.message}`;
    default:
      return assertNever(event);
  }
}
