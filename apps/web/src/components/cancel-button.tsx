'use client';

import { useMutation } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';

/** Asks a running task to stop after the filing in hand; it then ends `cancelled`, keeping what it stored. */
export function CancelButton({ taskId, requested }: { taskId: string; requested: boolean }) {
  const trpc = useTRPC();
  const cancel = useMutation(trpc.ingest.cancel.mutationOptions());
  const asked = requested || cancel.isSuccess;
  return (
    <span className="cancel">
      <button
        type="button"
        className="button button--quiet"
        disabled={asked || cancel.isPending}
        onClick={() => cancel.mutate({ taskId })}
      >
        {asked ? 'Cancelling…' : 'Cancel'}
      </button>
      {cancel.error && (
        <span role="alert" className="error small">
          {cancel.error.message}
        </span>
      )}
    </span>
  );
}
