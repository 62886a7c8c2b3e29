'use client';

import { isTerminalState } from '@symbology/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTaskStatus } from '~/trpc/use-task-status';
import { FilingChip } from './filing-chip';
import { panelHeading, problems, summary, tone } from './ingestion/outcome';
import { ProblemList } from './ingestion/problem-list';
import { ProgressBar } from './progress-bar';
import { TransportIndicator } from './transport-indicator';

type Props = { taskId: string; navigateOnDone?: boolean; showTaskLink?: boolean };

/**
 * The live progress of one ingestion. A clean success takes the reader to the company; any other
 * ending stays here with its summary and every failure's reason on screen.
 */
export function IngestionPanel({ taskId, navigateOnDone = true, showTaskLink = true }: Props) {
  const { status, error, transport } = useTaskStatus(taskId);
  const router = useRouter();
  const terminal = status !== undefined && isTerminalState(status.status);
  const cleanTicker = status?.status === 'completed' && status.filings.length > 0 ? status.ticker : undefined;

  useEffect(() => {
    if (navigateOnDone && cleanTicker) router.push(`/companies/${encodeURIComponent(cleanTicker)}`);
  }, [navigateOnDone, cleanTicker, router]);

  const gaps = status ? problems(status.filings) : [];
  return (
    <section
      className="panel ingestion"
      aria-labelledby={`ingest-${taskId}`}
      data-status={status?.status ?? 'loading'}
      data-tone={tone(status?.status)}
    >
      <header className="ingestion__head">
        <h2 id={`ingest-${taskId}`}>{panelHeading(status)}</h2>
        {!terminal && <TransportIndicator transport={transport} />}
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
      {terminal && (
        <p className="ingestion__summary" data-testid="ingestion-summary">
          {summary(status.filings)}
        </p>
      )}
      {gaps.length > 0 && <ProblemList problems={gaps} />}
      {status?.status === 'failed' && (
        <p role="alert" className="error">
          {status.error ?? 'The ingestion failed.'}
        </p>
      )}
      {terminal && status.company && status.status !== 'failed' && (
        <p>
          <Link href={`/companies/${encodeURIComponent(status.ticker)}`}>
            Open {status.company.name}
            {status.status === 'completed' ? '' : ' (what was stored)'}
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
