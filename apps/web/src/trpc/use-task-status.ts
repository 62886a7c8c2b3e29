'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import type { RouterOutputs } from '@symbology/api';
import { useTransport, useTRPC, useWsEnabled } from './react';

export type TaskStatusView = RouterOutputs['ingest']['status'];

const POLL_MS = 1_500;

export const isTerminalStatus = (s: TaskStatusView | undefined): boolean =>
  s?.status === 'completed' || s?.status === 'failed';

/** Keeps the newer of two statuses, so a slow poll answer never rolls back what the socket sent. */
const newest = (prev: unknown, next: unknown) => {
  const a = prev as TaskStatusView | undefined;
  const b = next as TaskStatusView | undefined;
  return a && b && a.version > b.version ? a : b;
};

/**
 * One task's status in ONE React Query entry (ingest.status): the WebSocket subscription writes
 * into it, and while the socket is not live the same query polls. Either way the screen reads
 * the same cache entry and versions only go up.
 */
export function useTaskStatus(taskId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const transport = useTransport();
  const wsEnabled = useWsEnabled();
  const queryKey = trpc.ingest.status.queryKey({ taskId });
  const query = useQuery(
    trpc.ingest.status.queryOptions(
      { taskId },
      {
        structuralSharing: newest,
        refetchInterval: (q) => (isTerminalStatus(q.state.data) || transport === 'live' ? false : POLL_MS),
      },
    ),
  );
  const done = isTerminalStatus(query.data);
  const subscription = useSubscription(
    trpc.ingest.onStatus.subscriptionOptions(
      { taskId },
      {
        // Stays subscribed while the socket is down: on reconnect wsLink resumes it with lastEventId.
        enabled: !done && wsEnabled,
        onData: (event) => queryClient.setQueryData(queryKey, (prev) => newest(prev, event.data) as TaskStatusView),
      },
    ),
  );
  return { status: query.data, error: query.error ?? subscription.error, transport };
}
