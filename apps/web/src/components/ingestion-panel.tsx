'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTaskStatus } from '~/trpc/use-task-status';
import { FilingChip } from './filing-chip';
import { ProgressBar } from './progress-bar';
import { TransportIndicator } from './transport-indicator';

type Props = { taskId: string; navigateOnDone?: boolean; showTaskLink?: boolean };

/** The live progress of one ingestion; on success, it takes the reader to the company. */
export function IngestionPanel({ taskId, navigateOnDone = true, showTaskLink = true }: Props) {
  const { status, error, transport } = useTaskStatus(taskId);
  const router = useRouter();
  // Go to the company once there is something to show; a run where every filing failed stays
  // here, where the failures and their reasons are.
  const showable =
    status?.status === 'completed' &&
    (status.filings.length === 0 || status.filings.some((f) => f.status === 'completed'));
  const completedTicker = showable ? status.ticker : undefined;

  useEffect(() => {
    if (navigateOnDone && completedTicker) router.push(`/companies/${encodeURIComponent(completedTicker)}`);
  }, [navigateOnDone, completedTicker, router]);

  return (
    <section className="panel ingestion" aria-labelledby={`ingest-${taskId}`} data-status={status?.status ?? 'loading'}>
      <header className="ingestion__head">
        <h2 id={`ingest-${taskId}`}>{status ? `Ingesting ${status.ticker}` : 'Ingestion'}</h2>
        <TransportIndicator transport={transport} />
      </header>
      <ProgressBar value={status?.progress ?? 0} label={`Ingestion progress${status ? ` for ${status.ticker}` : ''}`} />
      <p className="ingestion__message" aria-live="polite" aria-atomic="true">
        {status ? `${status.progress}% · ${status.message}` : error ? error.message : 'Waiting for the first update…'}
      </p>
      {status?.company && (
        <p className="ingestion__company">
          <strong>{status.company.name}</strong> <span className="muted">CIK {status.company.cik}</span>
        </p>
      )}
      {status && status.filings.length > 0 && (
        <ul className="chips" aria-label="Annual reports">
          {status.filings.map((f) => (
            <FilingChip key={f.accession} filing={f} />
          ))}
        </ul>
      )}
      {status?.status === 'failed' && (
        <p role="alert" className="error">
          {status.error ?? 'The ingestion failed.'}
        </p>
      )}
      {status?.status === 'completed' && !showable && (
        <p>
          <Link href={`/companies/${encodeURIComponent(status.ticker)}`}>
            Open {status.company?.name ?? status.ticker} anyway
          </Link>
        </p>
      )}
      {showTaskLink && (
        <p className="muted small">
          <Link href={`/tasks/${taskId}`}>Task details and event timeline</Link>
        </p>
      )}
    </section>
  );
}
