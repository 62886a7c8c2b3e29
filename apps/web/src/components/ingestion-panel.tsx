'use client';

import { useQuery } from '@tanstack/react-query';
import { isTerminalState, shortfallOf } from '@symbology/contracts';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useTRPC } from '~/trpc/react';
import { useTaskStatus } from '~/trpc/use-task-status';
import { CancelButton } from './cancel-button';
import { FilingChip } from './filing-chip';
import {
  mayRetry,
  NO_SUCH_TASK,
  panelHeading,
  problems,
  progressLine,
  stoppedShort,
  storedSome,
  summary,
  tone,
} from './ingestion/outcome';
import { ProblemList } from './ingestion/problem-list';
import { withQueuePosition } from './ingestion/queue-line';
import { ReasonText } from './ingestion/reason-text';
import { ProgressBar } from './progress-bar';
import { RetryButton } from './retry-button';
import { TransportIndicator } from './transport-indicator';

type Props = {
  taskId: string;
  navigateOnDone?: boolean;
  showTaskLink?: boolean;
  /** Follows the task a retry started (the home page shows it in place; the task page opens it). */
  onRetry: (taskId: string) => void;
};

/** How often a waiting task asks for its place in the queue. */
const QUEUE_POLL_MS = 3_000;

const RETRYABLE_ENDS = new Set(['completed_with_errors', 'failed', 'cancelled']);

/**
 * The live progress of one ingestion. A clean success takes the reader to the company; any other
 * ending stays here with its summary and every failure's reason on screen.
 */
export function IngestionPanel({ taskId, navigateOnDone = true, showTaskLink = true, onRetry }: Props) {
  const { status, error, missing, transport } = useTaskStatus(taskId);
  const router = useRouter();
  const trpc = useTRPC();
  // Only while no ingestor has taken the task up; a position cached from then is not shown after.
  const waiting = status?.status === 'pending';
  const queue = useQuery(
    trpc.ingest.queuePosition.queryOptions({ taskId }, { enabled: waiting, refetchInterval: QUEUE_POLL_MS }),
  );
  const position = waiting ? queue.data : undefined;
  const terminal = status !== undefined && isTerminalState(status.status);
  const stopped = status !== undefined && stoppedShort(status.status);
  const cleanTicker = status?.status === 'completed' && status.filings.length > 0 ? status.ticker : undefined;

  useEffect(() => {
    if (navigateOnDone && cleanTicker) router.push(`/companies/${encodeURIComponent(cleanTicker)}`);
  }, [navigateOnDone, cleanTicker, router]);

  const gaps = status ? problems(status.filings) : [];
  const shortfall = status && shortfallOf(status);
  return (
    <section
      className="panel ingestion"
      aria-labelledby={`ingest-${taskId}`}
      data-status={status?.status ?? (missing ? 'missing' : 'loading')}
      data-tone={tone(status?.status, status?.filings.length)}
    >
      <header className="ingestion__head">
        <h2 id={`ingest-${taskId}`}>{panelHeading(status)}</h2>
        <span className="ingestion__actions">
          {status && !terminal && <CancelButton taskId={taskId} requested={status.cancelRequested} />}
          {!terminal && !missing && <TransportIndicator transport={transport} />}
        </span>
      </header>
      {!stopped && !missing && (
        <ProgressBar
          value={status?.progress ?? 0}
          label={`Ingestion progress${status ? ` for ${status.ticker}` : ''}`}
        />
      )}
      <p className="ingestion__message" aria-live="polite" aria-atomic="true">
        {status
          ? withQueuePosition(progressLine(status), position)
          : missing
            ? NO_SUCH_TASK
            : error
              ? error.message
              : 'Waiting for the first update…'}
      </p>
      {status && error && !terminal && (
        // Polling itself fails: the state above is the last one known, not the current one. A socket
        // that is down while polls answer is only the transport badge's news.
        <p className="notice" role="status" data-testid="status-stale">
          Could not update the status ({error.message}): showing the last known state.
        </p>
      )}
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
      {terminal && status.filings.length > 0 && (
        <p className="ingestion__summary" data-testid="ingestion-summary">
          {summary(status.filings)}
        </p>
      )}
      {gaps.length > 0 && <ProblemList problems={gaps} />}
      {shortfall && (
        // A shortfall no filing accounts for (part of EDGAR's filing list unread): said on its own.
        <p className="notice" data-testid="ingestion-gap">
          {shortfall}
        </p>
      )}
      {terminal &&
        RETRYABLE_ENDS.has(status.status) &&
        // A task that failed before it listed any filing says nothing a retry could change here
        // (no annual reports, an unknown ticker); one cancelled that early is asked for again whole.
        (status.filings.length > 0 || status.status === 'cancelled') &&
        mayRetry(status) && (
          <RetryButton
            taskId={taskId}
            onTask={onRetry}
            label={status.status === 'cancelled' ? 'Ingest the rest' : undefined}
          />
        )}
      {status?.status === 'failed' && (
        <p role="alert" className="error">
          <ReasonText reason={status.error ?? 'The ingestion failed.'} />
        </p>
      )}
      {terminal && status.company && (status.status !== 'failed' || storedSome(status.filings)) && (
        <p>
          <Link href={`/companies/${encodeURIComponent(status.ticker)}`}>
            Open {status.company.name}
            {status.status === 'completed' ? '' : ' (what was stored)'}
          </Link>
        </p>
      )}
      {showTaskLink && !missing && (
        <p className="muted small">
          <Link href={`/tasks/${taskId}`}>Task details and event timeline</Link>
        </p>
      )}
    </section>
  );
}
