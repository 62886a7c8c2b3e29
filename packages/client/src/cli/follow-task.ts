import { isTerminal, type TaskStatus } from '@symbology/contracts';
import type { SymbologyClient } from '../client';
import { watchTaskStatus } from '../watch-status';

export type FollowOptions = {
  /** Poll interval while the WebSocket is not available. */
  pollMs?: number;
  /** Skip the WebSocket and poll from the start (`--poll`). */
  pollOnly?: boolean;
  onStatus: (status: TaskStatus, via: 'live' | 'polling') => void;
};

/**
 * Follows a task to its terminal state: over the WebSocket subscription while it works, by polling
 * `ingest.status` while it does not. Versions only go forward whichever path delivers them.
 */
export function followTask(client: SymbologyClient, taskId: string, options: FollowOptions): Promise<TaskStatus> {
  const pollMs = options.pollMs ?? 1_000;
  return new Promise<TaskStatus>((resolve, reject) => {
    let latest: TaskStatus | undefined;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    let subscription: { unsubscribe(): void } | undefined;
    let liveSince = 0;

    const accept = (status: TaskStatus, via: 'live' | 'polling') => {
      if (done || (latest && status.version <= latest.version)) return;
      latest = status;
      options.onStatus(status, via);
      if (isTerminal(status)) finish(status);
    };
    const finish = (status: TaskStatus) => {
      done = true;
      clearTimeout(timer);
      subscription?.unsubscribe();
      resolve(status);
    };
    const poll = async () => {
      if (done) return;
      try {
        // While the subscription delivers, polling only checks in now and then.
        if (!liveSince || Date.now() - liveSince > 5 * pollMs)
          accept(await client.api.ingest.status.query({ taskId }), 'polling');
      } catch (error) {
        if ((error as { data?: { code?: string } }).data?.code === 'NOT_FOUND') {
          done = true;
          subscription?.unsubscribe();
          reject(error);
          return;
        }
      }
      timer = setTimeout(() => void poll(), pollMs);
    };

    if (!options.pollOnly) {
      subscription = watchTaskStatus(client.api, taskId, {
        onStatus: (status) => {
          liveSince = Date.now();
          accept(status, 'live');
        },
        onError: () => {
          liveSince = 0;
        },
      });
    }
    void poll();
  });
}
