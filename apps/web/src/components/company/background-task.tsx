'use client';

import { isTerminalState } from '@symbology/contracts';
import { useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect } from 'react';
import { useTRPC } from '~/trpc/react';
import { useTaskStatus } from '~/trpc/use-task-status';
import { backgroundEnding } from '../ingestion/outcome';

/**
 * The small live line above a company page while a refresh ("checking EDGAR for new filings") or a
 * retry runs behind it: the task's own message (which filing, or why it waits) and percentage.
 * When the task ends the page's data is read again.
 */
export function BackgroundTask({ taskId, ticker }: { taskId: string; ticker: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { status, error } = useTaskStatus(taskId);
  const ended = status !== undefined && isTerminalState(status.status);
  useEffect(() => {
    if (ended) void queryClient.invalidateQueries({ queryKey: trpc.company.byTicker.queryKey({ ticker }) });
  }, [ended, queryClient, trpc, ticker]);
  const doing = status?.mode === 'retry' ? 'Retrying what is missing' : 'Checking EDGAR for new filings';
  return (
    <p className="background-task" role="status" data-status={status?.status ?? 'pending'}>
      {!ended && <span className="spinner" aria-hidden="true" />}{' '}
      {!status
        ? error
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
