'use client';

import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';

/**
 * "Retry failed filings" ("Ingest the rest" after a cancel): asks for a retry of what `taskId` left
 * undone. The answer names the task doing it (a new one, or one already running for the ticker),
 * which `onTask` then follows.
 */
export function RetryButton({
  taskId,
  onTask,
  label = 'Retry failed filings',
}: {
  taskId: string;
  onTask: (taskId: string) => void;
  label?: string;
}) {
  const trpc = useTRPC();
  const retry = useMutation(
    trpc.ingest.retry.mutationOptions({
      onSuccess: (result) => {
        const id = result.status === 'exists' ? result.background?.taskId : result.taskId;
        if (id) onTask(id);
      },
    }),
  );
  return (
    <div className="retry">
      <button type="button" className="button" disabled={retry.isPending} onClick={() => retry.mutate({ taskId })}>
        {retry.isPending ? 'Starting…' : label}
      </button>
      {retry.error && (
        <p role="alert" className="error small">
          {retry.error.message}
        </p>
      )}
    </div>
  );
}
