import { applyStatusUpdate, type TaskStatus } from '@symbology/contracts';
import type { SymbologyClient } from './client';

export type StatusHandlers = {
  onStatus: (status: TaskStatus) => void;
  onError?: (error: unknown) => void;
  /** The server ended the subscription (after the terminal state). */
  onComplete?: () => void;
};

/**
 * `ingest.onStatus` as whole statuses: the server sends the status once, then deltas from the
 * version it sent before; this applies them. A resumed subscription (tRPC sends lastEventId on
 * reconnect) starts again with a whole status, so a delta that does not apply never goes unseen:
 * it is reported as an error and the caller reads the status (polling) meanwhile.
 */
export function watchTaskStatus(api: SymbologyClient['api'], taskId: string, handlers: StatusHandlers) {
  let held: TaskStatus | undefined;
  return api.ingest.onStatus.subscribe(
    { taskId },
    {
      onData: ({ data }) => {
        const next = applyStatusUpdate(held, data);
        if (!next)
          return handlers.onError?.(new Error(`a status delta from version ${String(held?.version)} did not apply`));
        held = next;
        handlers.onStatus(next);
      },
      onError: (error) => handlers.onError?.(error),
      onComplete: () => handlers.onComplete?.(),
    },
  );
}
