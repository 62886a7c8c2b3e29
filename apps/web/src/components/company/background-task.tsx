'use client';

import { isTerminalState } from '@symbology/contracts';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect } from 'react';
import { useTRPC } from '~/trpc/react';
import { useTaskStatus } from '~/trpc/use-task-status';
import { backgroundEnding, NO_SUCH_TASK } from '../ingestion/outcome';
import { refreshAfterTask } from './refresh-after-task';

/**
 * The small live line above a company page while a refresh ("checking EDGAR for new filings") or a
 * retry runs behind it: the task's own message (which filing, or why it waits) and percentage.
 * When the task ends the page's data (the company and the reader's sections) is read again.
 */
export function BackgroundTask({ taskId, ticker }: { taskId: string; ticker: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { status, error, missing } = useTaskStatus(taskId);
  const ended = status !== undefined && isTerminalState(status.status);
  useEffect(() => {
    if (ended) void refreshAfterTask(queryClient, trpc, ticker);
  }, [ended, queryClient, trpc, ticker]);
  const doing = status?.mode === 'retry' ? 'Retrying what is missing' : 'Checking EDGAR for new filings';
  return (
    <p className="background-task" role="status" data-status={status?.status ?? 'pending'}>
      {!ended && !missing && <span className="spinner" aria-hidden="true" />}{' '}
      {!status
        ? missing
          ? NO_SUCH_TASK
          : error
            ? `${doing}: ${error.message}`
            : `${doing}…`
        : ended
          ? backgroundEnding(status)
          : `${status.message} (${status.progress}%)`}{' '}
      <Link href={`/tasks/${taskId}`} className="small">
        details
      </Link>
    </p>
  );
}
