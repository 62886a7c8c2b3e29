'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { applyStatusUpdate } from '@symbology/contracts';
import type { RouterOutputs } from '@symbology/api';
import { useRef, useState } from 'react';
import { useTransport, useTRPC, useWsEnabled } from './react';
import { isFinalError, isTerminalStatus, pollIntervalMs, shouldRetry } from './poll-policy';

export type TaskStatusView = RouterOutputs['ingest']['status'];

/** Keeps the newer of two statuses, so a slow poll answer never rolls back what the socket sent. */
const newest = (prev: unknown, next: unknown) => {
  const a = prev as TaskStatusView | undefined;
  const b = next as TaskStatusView | undefined;
  return a && b && a.version > b.version ? a : b;
};

/**
 * One task's status in ONE React Query entry (ingest.status): the WebSocket subscription writes
 * into it, and whenever the subscription is not delivering (socket down, or the subscription in
 * error) the same query polls. Either way the screen reads the same cache entry and versions
 * only go up. The subscription sends the whole status first, then deltas: they are applied to
 * what this subscription delivered (`held`), never to a polled status of another version.
 *
 * `error` is the polling's own: while polls answer, a socket that is down is only the transport
 * badge's news. `missing`: the server said no task has this id (or it is no task id), for good;
 * nothing polls or subscribes after that.
 */
export function useTaskStatus(taskId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const transport = useTransport();
  const wsEnabled = useWsEnabled();
  const [subscriptionFailed, setSubscriptionFailed] = useState(false);
  const held = useRef<TaskStatusView | undefined>(undefined);
  const queryKey = trpc.ingest.status.queryKey({ taskId });
  const query = useQuery(
    trpc.ingest.status.queryOptions(
      { taskId },
      {
        structuralSharing: newest,
        retry: shouldRetry,
        refetchInterval: (q) =>
          pollIntervalMs({
            terminal: isTerminalStatus(q.state.data),
            transport,
            subscriptionFailed,
            finalError: isFinalError(q.state.error),
          }),
      },
    ),
  );
  const done = isTerminalStatus(query.data);
  const missing = query.data === undefined && isFinalError(query.error);
  useSubscription(
    trpc.ingest.onStatus.subscriptionOptions(
      { taskId },
      {
        // Stays subscribed while the socket is down: on reconnect wsLink resumes it with lastEventId.
        enabled: !done && !missing && wsEnabled,
        onData: (event) => {
          const next = applyStatusUpdate(held.current, event.data);
          if (!next) {
            // A delta for a version this subscription did not deliver: poll until it is resumed.
            setSubscriptionFailed(true);
            return;
          }
          held.current = next;
          setSubscriptionFailed(false);
          queryClient.setQueryData(queryKey, (prev) => newest(prev, next) as TaskStatusView);
        },
        // A NOT_FOUND here is confirmed by the poll it starts, which then ends both.
        onError: () => setSubscriptionFailed(true),
      },
    ),
  );
  return { status: query.data, error: missing ? null : query.error, missing, transport };
}
